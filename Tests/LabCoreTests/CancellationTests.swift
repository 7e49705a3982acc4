// Cancellation: a request is seen once by the next check, then cleared.
import Testing
@testable import LabCore

@Test func checkThrowsOnceAfterARequest() throws {
    Cancellation.reset()
    try Cancellation.check()                      // nothing pending: no throw
    Cancellation.request()
    #expect(Cancellation.isRequested)
    #expect(throws: CancellationRequested.self) { try Cancellation.check() }
    #expect(!Cancellation.isRequested)
    try Cancellation.check()                      // consumed
}
