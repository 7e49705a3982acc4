// OutputPage — any Output full screen, scrolled with ↑/↓ and PgUp/PgDn: an embedding map (scatter), an n-gram
// table, a ledger, training curves. The content is a closure, so a page over a changing value draws what is current.

import Lab
import LabCore

public final class OutputPage: Page {
    public let title: String
    private let content: () throws -> Output
    public private(set) var scroll = 0
    private let frame = ExplorerFrame()

    public init(title: String, content: @escaping () throws -> Output) {
        self.title = title
        self.content = content
    }

    public var keyHelp: String { frame.zh ? "↑/↓ PgUp/PgDn 滚动 · ? 按键 · q 返回" : "↑/↓ PgUp/PgDn scroll · ? keys · q back" }

    /// Draws in the language the page was opened in (the content's own wording follows it).
    public func draw(on screen: Screen) {
        frame.draw(on: screen, title: StyledLine(title, .accent), keyHelp: keyHelp, bodyTop: 1) {
            let body = max(1, screen.rows - 2)
            let lines = OutputLayout.lines(try content(), width: screen.cols, height: body)
            scroll = max(0, min(scroll, lines.count - body))
            OutputView.draw(lines, on: screen, top: 1, left: 0, width: screen.cols, height: body, scroll: scroll)
        }
    }

    public func handle(_ key: Key) -> PageAction {
        frame.handle(key) { key in
            switch key {
            case .up: scroll = max(0, scroll - 1)
            case .down: scroll += 1
            case .pageUp: scroll = max(0, scroll - 10)
            case .pageDown: scroll += 10
            default: break
            }
            return nil
        }
    }
}
