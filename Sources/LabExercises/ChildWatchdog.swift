// ChildWatchdog — stops a child process of an exercise (swiftc building it, or the learner's program running) at its
// deadline or when Ctrl-C asks the work that started it, checking ten times a second.
//
// Ctrl-C must be passed on by hand: Foundation starts a child in a process group of its own, so the terminal's
// SIGINT never reaches it. Without this a Ctrl-C during the compile waited for swiftc to finish, and a third one
// ended the lab with the build folder left in the temporary directory.
import Foundation
import LabCore

final class ChildWatchdog: @unchecked Sendable {
    enum Reason { case deadline, cancelled }

    private let timer = DispatchSource.makeTimerSource(queue: .global())
    private let lock = NSLock()
    private var reason: Reason?

    /// Watches `process` (already running) until `cancel()`; `seconds` may be `.infinity`.
    init(_ process: Process, seconds: Double) {
        let start = DispatchTime.now()
        let scope = Cancellation.scope                   // the notebook cell's own Ctrl-C; the timer's queue has none
        timer.schedule(deadline: .now() + 0.1, repeating: 0.1)
        timer.setEventHandler { [weak self, process] in
            guard let self, process.isRunning else { return }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
            let cancelled = Cancellation.$scope.withValue(scope) { Cancellation.isRequested }
            guard elapsed > seconds || cancelled else { return }
            self.lock.lock()
            self.reason = self.reason ?? (elapsed > seconds ? .deadline : .cancelled)
            self.lock.unlock()
            Self.stop(process)
        }
        timer.resume()
    }

    /// Why the child was stopped, or nil when it was not.
    var fired: Reason? { lock.lock(); defer { lock.unlock() }; return reason }

    func cancel() { timer.cancel() }

    deinit { timer.cancel() }

    /// Stops `process` and its process group (swiftc's frontend and linker) with SIGKILL: SIGTERM can be blocked, and
    /// a program started from a thread that blocks it (Dispatch's, the test runner's) inherits that mask — an endless
    /// loop outlived its deadline and Ctrl-C.
    static func stop(_ process: Process) {
        let pid = process.processIdentifier
        if kill(-pid, SIGKILL) != 0 { _ = kill(pid, SIGKILL) }
    }
}
