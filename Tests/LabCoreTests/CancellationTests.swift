// Cancellation: a request is seen once by the next check, then cleared; SIGTERM inside a training run is a request too.
// One suite, run serially: both tests use the one process-wide request flag.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import LabCore

@Suite(.serialized) struct CancellationTests {
    @Test func checkThrowsOnceAfterARequest() throws {
        Cancellation.reset()
        try Cancellation.check()                      // nothing pending: no throw
        Cancellation.request()
        #expect(Cancellation.isRequested)
        #expect(throws: CancellationRequested.self) { try Cancellation.check() }
        #expect(!Cancellation.isRequested)
        try Cancellation.check()                      // consumed
    }

    /// A cancel asked of a scope (the notebook's Ctrl-C on one cell) reaches only the work bound to it: work
    /// elsewhere in the process — a test generating text beside it — neither sees it nor swallows it; a cancel
    /// for everyone (SIGINT) reaches the scope too.
    @Test func aScopedCancelReachesOnlyItsScope() throws {
        Cancellation.reset()
        let cell = CancellationScope()
        cell.request()
        #expect(!Cancellation.isRequested)
        try Cancellation.check()                      // outside the scope: nothing pending, nothing consumed
        #expect(cell.isRequested)
        try Cancellation.$scope.withValue(cell) {
            #expect(Cancellation.isRequested)
            #expect(throws: CancellationRequested.self) { try Cancellation.check() }
            try Cancellation.check()                  // consumed
            Cancellation.request()                    // asked inside: the scope's own
        }
        #expect(!Cancellation.isRequested && cell.isRequested)
        cell.reset()
        Cancellation.request()                        // everyone's
        try Cancellation.$scope.withValue(cell) {
            #expect(throws: CancellationRequested.self) { try Cancellation.check() }
        }
        #expect(!Cancellation.isRequested)
    }

    /// SIGTERM inside `checkpointingOnTermination` becomes a cancel request marked as a termination, and the previous
    /// SIGTERM action comes back afterwards. The previous action here is "ignore", so raising it again after the body
    /// leaves this test process running (the real run, killed by SIGTERM, is LabCLITests/NothingLostTests).
    @Test func sigtermDuringTrainingCancelsAndTheOldActionReturns() throws {
        var ignore = sigaction(), saved = sigaction(), after = sigaction()
        #if canImport(Glibc)
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        #else
        ignore.__sigaction_u.__sa_handler = SIG_IGN
        #endif
        sigemptyset(&ignore.sa_mask)
        sigaction(SIGTERM, &ignore, &saved)
        defer { sigaction(SIGTERM, &saved, nil) }
        Cancellation.reset()
        let reason: String = try Cancellation.checkpointingOnTermination {
            raise(SIGTERM)
            #expect(Cancellation.isRequested && Cancellation.terminationRequested)
            #expect(throws: CancellationRequested.self) { try Cancellation.check() }
            return Cancellation.reason
        }
        #expect(reason == "SIGTERM")
        #expect(!Cancellation.terminationRequested && Cancellation.reason == "Ctrl-C")
        sigaction(SIGTERM, nil, &after)
        #if canImport(Glibc)
        #expect(unsafeBitCast(after.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
        #else
        #expect(unsafeBitCast(after.__sigaction_u.__sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self))
        #endif
    }
}
