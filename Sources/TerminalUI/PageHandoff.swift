// PageHandoff — how a command running inside the notebook opens a full-screen page (an explorer) in the notebook's
// own app instead of starting a second curses session over it.
//
//   cell thread:  `sample … --explore` builds its explorer page → PageHandoff.shared.offer(page) → the cell ends
//   app loop:     after every key or tick → take() → push the page on the stack → q pops back to the lesson
//
// Only while an app that takes pages is running (`accepting`) is a page handed over; a command run from the shell or
// the REPL opens its own screen as before.
import Foundation

public final class PageHandoff: @unchecked Sendable {
    public static let shared = PageHandoff()

    private let lock = NSLock()
    private var pending: [(page: Page, immediate: Bool)] = []
    private var acceptors = 0

    /// True while an app runs that will show offered pages.
    public var accepting: Bool { lock.lock(); defer { lock.unlock() }; return acceptors > 0 }

    /// Marks an app as taking pages for the duration of `body`.
    public func accept<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock(); acceptors += 1; lock.unlock()
        defer { lock.lock(); acceptors -= 1; if acceptors == 0 { pending.removeAll() }; lock.unlock() }
        return try body()
    }

    /// Hands `page` to the running app; false when no app takes pages (the caller opens its own screen).
    /// - Parameter immediate: show it while the cell still runs (a view of that run, e.g. its training curve);
    ///   otherwise it opens when the cell has finished.
    @discardableResult
    public func offer(_ page: Page, immediate: Bool = false) -> Bool {
        lock.lock(); defer { lock.unlock() }
        guard acceptors > 0 else { return false }
        pending.append((page, immediate))
        return true
    }

    /// The next page waiting to be shown, if any; with `cellRunning` only pages offered as immediate.
    public func take(cellRunning: Bool = false) -> Page? {
        lock.lock(); defer { lock.unlock() }
        guard let i = pending.firstIndex(where: { !cellRunning || $0.immediate }) else { return nil }
        return pending.remove(at: i).page
    }
}
