// The app ends when its terminal goes away (Key.hangup): the running cell is asked to stop and run() returns,
// instead of polling a dead tty forever (seen: orphaned notebooks spinning at 25 % CPU after their pty vanished).
import Testing
@testable import TerminalUI

private final class BusyPage: LivePage {
    var cancelled = 0
    var isBusy: Bool { cancelled == 0 }
    func tick() -> Bool { false }
    func cancelRunning() { cancelled += 1 }
    func draw(on screen: Screen) { screen.put("running…", row: 0, col: 0) }
    func handle(_ key: Key) -> PageAction { .stay }
    var keyHelp: String { "" }
}

private final class ScriptedKeys: KeySource {
    var keys: [Key?]
    init(_ keys: [Key?]) { self.keys = keys }
    func nextKey(timeoutMilliseconds: Int32) -> Key? { keys.isEmpty ? .hangup : keys.removeFirst() }
}

@Test func aHangupEndsTheAppAndCancelsTheRunningCell() {
    let page = BusyPage()
    let app = App(screen: MemoryScreen(rows: 24, cols: 80), keys: ScriptedKeys([nil, .char("x"), nil, .hangup]), root: page)
    app.run()                                   // returns: the test would hang otherwise
    #expect(page.cancelled == 1)
    #expect(app.stack.isEmpty)
}
