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
