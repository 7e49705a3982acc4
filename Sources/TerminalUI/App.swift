// App — the notebook's event loop: a stack of pages, the top one draws and gets the keys.
//
//   loop: draw the top page (whole screen, from its state) → present once → wait for a key
//         key → page.handle → stay / open (push) / back (pop) / quit
// While a page is busy (a cell running on a background thread) the wait times out every 50 ms so streamed output is
// drawn as it arrives, and Ctrl-C — a key under raw() — cancels the running cell instead of leaving the lab.
// A resize (ncurses turns SIGWINCH into KEY_RESIZE) clears and redraws at the new size.

/// Where keys come from: ncurses, or a script in tests.
public protocol KeySource: AnyObject {
    /// The next key, or nil when `timeoutMilliseconds` passed first (−1 waits forever).
    func nextKey(timeoutMilliseconds: Int32) -> Key?
}

extension CursesScreen: KeySource {}

/// A page that can change without a key: it runs something in the background and streams its output.
public protocol LivePage: Page {
    /// True while background work runs.
    var isBusy: Bool { get }
    /// Called every poll while busy (and once after); true when the page has something new to draw.
    func tick() -> Bool
    /// Ctrl-C while busy: ask the running work to stop.
    func cancelRunning()
}

public final class App {
    public private(set) var stack: [Page]
    private let screen: Screen
    private let keys: KeySource

    public init(screen: Screen, keys: KeySource, root: Page) {
        self.screen = screen
        self.keys = keys
        stack = [root]
    }

    /// Runs until the root page quits (or is popped).
    public func run() {
        redraw()
        while !stack.isEmpty {
            let live = stack.last as? LivePage
            let busy = live?.isBusy ?? false
            guard let key = keys.nextKey(timeoutMilliseconds: busy ? 50 : 250) else {
                if let live, live.tick() { redraw() }
                showHandedOffPages()
                continue
            }
            guard handle(key) else { return }
            showHandedOffPages()
        }
    }

    /// Feeds one key; false when the app should end.
    @discardableResult
    public func handle(_ key: Key) -> Bool {
        guard let top = stack.last else { return false }
        if key == .hangup {              // nobody is looking: stop the running cell and leave
            (top as? LivePage)?.cancelRunning()
            stack.removeAll()
            return false
        }
        if key == .ctrl("c"), let live = top as? LivePage, live.isBusy {
            live.cancelRunning()
            redraw()
            return true
        }
        if key == .resize { screen.clear() }
        switch top.handle(key) {
        case .stay: break
        case .open(let page): stack.append(page)
        case .handOver(let body):
            if let terminal = screen as? TerminalHandover { terminal.handOver(body) } else { body() }
        case .back:
            stack.removeLast()
            if stack.isEmpty { return false }
        case .quit:
            stack.removeAll()
            return false
        }
        redraw()
        return true
    }

    /// Pushes pages a cell's command handed over (PageHandoff): explorers once that cell has finished, so the
    /// lesson's own output is complete underneath when the learner backs out; views of the running cell at once.
    func showHandedOffPages() {
        let busy = (stack.last as? LivePage)?.isBusy ?? false
        var opened = false
        while let page = PageHandoff.shared.take(cellRunning: busy) { stack.append(page); opened = true }
        if opened { redraw() }
    }

    public func redraw() {
        guard let top = stack.last else { return }
        screen.clear()
        screen.hideCursor()
        top.draw(on: screen)
        screen.present()
    }
}
