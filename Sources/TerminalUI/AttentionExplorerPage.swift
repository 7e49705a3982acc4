// AttentionExplorerPage — the attention heatmap full screen: ↑/↓ layer, ←/→ head, PgUp/PgDn scroll the rows when a
// long text has more query rows than the screen (state: Lab's AttentionExplorer). The title, the column labels and
// the legend stay put; the rows between them scroll, each with its label, and "rows a–b of T" says which are shown.

import Lab
import LabCore

public final class AttentionExplorerPage: Page {
    public let explorer: AttentionExplorer
    public private(set) var message: String?
    /// First query row shown.
    public private(set) var scroll = 0
    private let language = Learner.language
    private var zh: Bool { language == .zh }
    private var showKeys = false
    private var lastRowsShown = 10
    public init(explorer: AttentionExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        zh ? "↑/↓ 层 · ←/→ 头 · PgUp/PgDn 滚动行 · ? 按键 · q 返回" : "↑/↓ layer · ←/→ head · PgUp/PgDn scroll rows · ? keys · q back"
    }

    /// Draws in the language the page was opened in: the explorer's own wording (legends, titles, notes) follows it.
    public func draw(on screen: Screen) { Learner.$language.withValue(language) { drawPage(on: screen) } }

    private func drawPage(on screen: Screen) {
        let w = screen.cols
        OutputView.frame(StyledLine(zh ? "注意力探索器" : "Attention explorer", .accent), keyHelp: keyHelp, on: screen)
        do {
            let map = try explorer.heatmap()
            // Laid out: title, column labels, one line per query row, legend.
            let lines = OutputLayout.lines(.heatmap(map), width: w)
            let height = max(1, screen.rows - 3)
            let t = map.rowLabels.count
            let fixed = Array(lines.prefix(2)), rows = Array(lines.dropFirst(2).prefix(t)), legend = Array(lines.dropFirst(2 + t))
            if lines.count <= height {
                scroll = 0
                OutputView.draw(lines, on: screen, top: 2, left: 0, width: w, height: height)
            } else {
                let room = max(1, height - fixed.count - legend.count - 1)     // and one line saying which rows
                lastRowsShown = room
                scroll = max(0, min(scroll, rows.count - room))
                let shown = Array(rows[scroll..<min(rows.count, scroll + room)])
                let which = StyledLine(zh ? "第 \(scroll + 1)–\(scroll + shown.count) 行，共 \(rows.count) 行（PgUp/PgDn 滚动）"
                                          : "rows \(scroll + 1)–\(scroll + shown.count) of \(rows.count) (PgUp/PgDn scroll)", .dim)
                OutputView.draw(fixed + shown + legend + [which], on: screen, top: 2, left: 0, width: w, height: height)
            }
        } catch {
            screen.put(EastAsianWidth.truncate("\(error)", toCells: w), row: 2, col: 0, style: .bad)
        }
        KeyHelpOverlay.finish(on: screen, keyHelp: keyHelp, zh: zh, open: showKeys)
    }

    public func handle(_ key: Key) -> PageAction {
        if let action = KeyHelpOverlay.handle(key, open: &showKeys) { return action }
        switch key {
        case .up: explorer.move(layer: -1)
        case .down: explorer.move(layer: 1)
        case .left: explorer.move(head: -1)
        case .right: explorer.move(head: 1)
        case .pageDown, .char(" "): scroll += max(1, lastRowsShown - 1)
        case .pageUp: scroll = max(0, scroll - max(1, lastRowsShown - 1))
        case .home: scroll = 0
        case .end: scroll = explorer.tokens.count
        default: break
        }
        return .stay
    }
}
