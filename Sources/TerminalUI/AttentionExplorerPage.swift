// AttentionExplorerPage — the attention heatmap full screen: ↑/↓ layer, ←/→ head, PgUp/PgDn scroll the rows when a
// long text has more query rows than the screen (state: Lab's AttentionExplorer). The title, the column labels and
// the legend stay put; the rows between them scroll, each with its label, and "rows a–b of T" says which are shown.

import Lab
import LabCore

public final class AttentionExplorerPage: Page {
    public let explorer: AttentionExplorer
    /// First query row shown.
    public private(set) var scroll = 0
    private let frame = ExplorerFrame()
    private var zh: Bool { frame.zh }
    private var lastRowsShown = 10
    public init(explorer: AttentionExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        zh ? "↑/↓ 层 · ←/→ 头 · PgUp/PgDn 滚动行 · ? 按键 · q 返回" : "↑/↓ layer · ←/→ head · PgUp/PgDn scroll rows · ? keys · q back"
    }

    public func draw(on screen: Screen) {
        frame.draw(on: screen, title: StyledLine(zh ? "注意力探索器" : "Attention explorer", .accent), keyHelp: keyHelp,
                   bodyTop: 2) { try drawHeatmap(on: screen) }
    }

    /// The heatmap below the title; when its rows do not fit, the rows between the column labels and the legend scroll.
    private func drawHeatmap(on screen: Screen) throws {
        let w = screen.cols
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
    }

    public func handle(_ key: Key) -> PageAction {
        frame.handle(key) { key in
            if explorer.walk(key) { return nil }
            switch key {
            case .pageDown, .char(" "): scroll += max(1, lastRowsShown - 1)
            case .pageUp: scroll = max(0, scroll - max(1, lastRowsShown - 1))
            case .home: scroll = 0
            case .end: scroll = explorer.tokens.count
            default: break
            }
            return nil
        }
    }
}

/// ←/→ walk the heads.
extension AttentionExplorer: LayerWalking {
    public func move(across delta: Int) { move(head: delta) }
}
