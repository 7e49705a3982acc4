// OutputPage — any Output full screen, scrolled with ↑/↓ and PgUp/PgDn: an embedding map (scatter), an n-gram
// table, a ledger, training curves. The content is a closure, so a page over a changing value draws what is current.

import Lab
import LabCore

public final class OutputPage: Page {
    public let title: String
    private let content: () throws -> Output
    public private(set) var scroll = 0
    /// The learner's language where the page was opened (a zh lesson's cell: Chinese).
    private let language = Learner.language
    private var zh: Bool { language == .zh }
    private var showKeys = false

    public init(title: String, content: @escaping () throws -> Output) {
        self.title = title
        self.content = content
    }

    public var keyHelp: String { zh ? "↑/↓ PgUp/PgDn 滚动 · ? 按键 · q 返回" : "↑/↓ PgUp/PgDn scroll · ? keys · q back" }

    /// Draws in the language the page was opened in (the content's own wording follows it).
    public func draw(on screen: Screen) { Learner.$language.withValue(language) { drawPage(on: screen) } }

    private func drawPage(on screen: Screen) {
        let w = screen.cols, body = max(1, screen.rows - 2)
        OutputView.frame(StyledLine(title, .accent), keyHelp: keyHelp, on: screen)
        do {
            let lines = OutputLayout.lines(try content(), width: w, height: body)
            scroll = max(0, min(scroll, lines.count - body))
            OutputView.draw(lines, on: screen, top: 1, left: 0, width: w, height: body, scroll: scroll)
        } catch {
            screen.put(EastAsianWidth.truncate("\(error)", toCells: w), row: 1, col: 0, style: .bad)
        }
        KeyHelpOverlay.finish(on: screen, keyHelp: keyHelp, zh: zh, open: showKeys)
    }

    public func handle(_ key: Key) -> PageAction {
        if let action = KeyHelpOverlay.handle(key, open: &showKeys) { return action }
        switch key {
        case .up: scroll = max(0, scroll - 1)
        case .down: scroll += 1
        case .pageUp: scroll = max(0, scroll - 10)
        case .pageDown: scroll += 10
        default: break
        }
        return .stay
    }
}
