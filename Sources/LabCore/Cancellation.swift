// Cancellation — Ctrl-C cancels the running thing, not the learner's session.
//
// Long-running work (training loops, generation, benchmarks) calls `try Cancellation.check()` at safe points:
// between steps, never inside a kernel. The REPL and the notebook install `Cancellation.installInterruptHandler()`,
// so SIGINT only raises a flag; the work stops at its next check, keeps what it has (a trained-so-far model, the
// tokens generated so far) and the session carries on. A second Ctrl-C while nothing checks exits, as usual.
//
// SIGTERM (`kill`, a shutdown, `timeout`) is caught only while a training run is inside
// `Cancellation.checkpointingOnTermination`: it stops the loop like Ctrl-C, the run writes its checkpoint, and then
// the process ends by SIGTERM after all (status 143 in the shell). Anywhere else SIGTERM keeps its default action, so
// a notebook or REPL still quits on it rather than just cancelling a cell.

import CKernels
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thrown by `Cancellation.check()` after Ctrl-C.
public struct CancellationRequested: Error, CustomStringConvertible {
    public init() {}
    public var description: String { "cancelled (Ctrl-C)" }
}

public enum Cancellation {
    /// Interrupts seen and not yet consumed; written by the signal handler and other threads, so a C int32 read and
    /// written only through CKernels' atomics.
    nonisolated(unsafe) static let pending: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// The work a cancel asked of it reaches only: the notebook runs each cell in a scope of its own and its Ctrl-C
    /// key asks that scope, so other work in the process — a test running beside it that generates text — neither
    /// sees that cancel nor swallows it. SIGINT (the handler) still asks everyone; `check()` looks at both.
    /// Bound with `Cancellation.$scope.withValue(CancellationScope()) { … }`; a Thread started inside does not
    /// inherit it.
    @TaskLocal public static var scope: CancellationScope?

    /// Asks the running work to stop at its next check: the work of `scope` (by default the current one), or all of
    /// it.
    public static func request(in scope: CancellationScope? = scope) {
        if let scope { scope.request() } else { _ = ck_atomic_add(pending, 1) }
    }

    /// True when a cancel is pending (for the current scope or all work).
    public static var isRequested: Bool { scope?.isRequested == true || ck_atomic_load(pending) > 0 }

    /// Forgets pending requests (call before starting a new piece of work).
    public static func reset() {
        scope?.reset()
        ck_atomic_store(pending, 0)
    }

    /// SIGINTs seen by the handler since the process started; never reset, so the command line can exit 130 after a
    /// command stopped by Ctrl-C has saved what it saves and returned normally.
    nonisolated(unsafe) static let interrupts: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// True once Ctrl-C reached `installInterruptHandler`'s handler in this process.
    public static var wasInterrupted: Bool { ck_atomic_load(interrupts) > 0 }

    /// SIGTERMs caught inside `checkpointingOnTermination`; written by the signal handler.
    nonisolated(unsafe) static let terminations: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    /// True when the pending cancel came from SIGTERM (the process ends once `checkpointingOnTermination` returns).
    public static var terminationRequested: Bool { ck_atomic_load(terminations) > 0 }

    /// What stopped the work, for messages: "SIGTERM" or "Ctrl-C".
    public static var reason: String { terminationRequested ? "SIGTERM" : "Ctrl-C" }

    /// False inside `Cancellation.$listening.withValue(false) { … }`: `check()` there neither sees nor consumes a
    /// pending Ctrl-C. The flag is process-wide, so the test suite runs the fixtures several tests share this way,
    /// where another test's deliberate Ctrl-C must neither cut them short nor be swallowed by them.
    @TaskLocal public static var listening = true

    /// Throws `CancellationRequested` (and clears the request) when Ctrl-C was pressed since the last reset.
    @inline(never)
    public static func check() throws {
        guard listening else { return }
        if let scope, scope.isRequested {
            scope.reset()
            throw CancellationRequested()
        }
        if ck_atomic_load(pending) > 0 {
            ck_atomic_store(pending, 0)
            throw CancellationRequested()
        }
    }

    /// Waits `seconds`, calling `tick` with the whole seconds passed as each one starts, until the time is up.
    /// - Throws: `CancellationRequested` at Ctrl-C.
    public static func wait(seconds: Double, tick: (Int) -> Void) throws {
        let start = Date()
        var ticks = 0
        while Date().timeIntervalSince(start) < seconds {
            try check()
            if Int(Date().timeIntervalSince(start)) >= ticks { tick(ticks); ticks += 1 }
            usleep(10_000)
        }
    }

    /// A parent's blocked signal mask is inherited across exec (Dispatch threads block every signal): unblocks
    /// the signals a terminal and a shell send — SIGINT, so Ctrl-C reaches the handler and a command can stop cleanly
    /// and exit 130; SIGWINCH, so the notebook follows a resize; SIGHUP and SIGTERM, so closing the terminal or
    /// `kill` ends the lab. Called first thing, before any thread starts (threads inherit the mask).
    public static func unblockTerminalSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        for s in [SIGINT, SIGWINCH, SIGHUP, SIGTERM] { sigaddset(&signals, s) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
    }

    /// Routes SIGINT to `request()`; a third interrupt with nothing checking exits with status 130.
    /// Installed without SA_RESTART, so a blocking read (the REPL prompt) wakes up and can clear its line.
    public static func installInterruptHandler() {
        _ = pending
        _ = interrupts
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in
            _ = ck_atomic_add(Cancellation.interrupts, 1)
            if ck_atomic_add(Cancellation.pending, 1) >= 3 { _exit(130) }
        }
        #else
        action.__sigaction_u.__sa_handler = { _ in
            _ = ck_atomic_add(Cancellation.interrupts, 1)
            if ck_atomic_add(Cancellation.pending, 1) >= 3 { _exit(130) }
        }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
    }

    /// Runs a training `body` with SIGTERM handled like Ctrl-C: the loop stops at its next check and `body` saves its
    /// checkpoint as it does on Ctrl-C. When `body` returns after a SIGTERM, the previous SIGTERM action is restored
    /// and the signal raised again, so the process still ends as its sender asked (by default: killed by SIGTERM,
    /// status 143), with its output flushed and the checkpoint on disk. A second SIGTERM while saving ends it at once.
    /// When `body` throws, the error propagates (its message says what failed) and SIGTERM is not raised again.
    /// SIGTERM is unblocked on the calling thread meanwhile: a blocked signal mask is inherited across exec (a
    /// parent's Dispatch thread blocks every signal), and the run would otherwise never see the signal at all.
    public static func checkpointingOnTermination<T>(_ body: () throws -> T) rethrows -> T {
        _ = pending
        ck_atomic_store(terminations, 0)
        var action = sigaction(), previous = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { _ in
            if ck_atomic_add(Cancellation.terminations, 1) >= 2 { _exit(143) }
            _ = ck_atomic_add(Cancellation.pending, 1)
        }
        #else
        action.__sigaction_u.__sa_handler = { _ in
            if ck_atomic_add(Cancellation.terminations, 1) >= 2 { _exit(143) }
            _ = ck_atomic_add(Cancellation.pending, 1)
        }
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, &previous)
        var term = sigset_t(), previousMask = sigset_t()
        sigemptyset(&term)
        sigaddset(&term, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &term, &previousMask)
        defer { pthread_sigmask(SIG_SETMASK, &previousMask, nil) }
        let result: T
        do { result = try body() } catch {
            sigaction(SIGTERM, &previous, nil)
            ck_atomic_store(terminations, 0)
            throw error
        }
        sigaction(SIGTERM, &previous, nil)
        if ck_atomic_load(terminations) > 0 {
            ck_atomic_store(terminations, 0)
            fflush(nil)
            raise(SIGTERM)                  // still unblocked here: with the default action the process ends now
        }
        return result
    }
}

/// One piece of work's own cancel flag (`Cancellation.scope`): asked from another thread (the notebook's Ctrl-C key),
/// seen by `Cancellation.check()` on the threads the scope is bound on.
public final class CancellationScope: @unchecked Sendable {
    private let pending: UnsafeMutablePointer<Int32> = {
        let p = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        p.initialize(to: 0)
        return p
    }()

    public init() {}
    deinit { pending.deallocate() }

    /// Asks the work in this scope to stop at its next check.
    public func request() { _ = ck_atomic_add(pending, 1) }
    public var isRequested: Bool { ck_atomic_load(pending) > 0 }
    public func reset() { ck_atomic_store(pending, 0) }
}
