// AttentionExplorerPage — the attention heatmap full screen: ↑/↓ layer, ←/→ head (state: Lab's AttentionExplorer).

import Lab

public final class AttentionExplorerPage: Page {
    public let explorer: AttentionExplorer
    public private(set) var message: String?
    public init(explorer: AttentionExplorer) { self.explorer = explorer }

    public var keyHelp: String { "↑/↓ layer · ←/→ head · q back" }

    public func draw(on screen: Screen) {
        let w = screen.cols
        OutputView.frame(StyledLine("Attention explorer", .accent), keyHelp: keyHelp, on: screen)
        do {
            OutputView.draw(.heatmap(try explorer.heatmap()), on: screen, top: 2, left: 0, width: w,
                            height: max(1, screen.rows - 3))
        } catch {
            screen.put(EastAsianWidth.truncate("\(error)", toCells: w), row: 2, col: 0, style: .bad)
        }
        screen.hideCursor()
    }

    public func handle(_ key: Key) -> PageAction {
        switch key {
        case .up: explorer.move(layer: -1)
        case .down: explorer.move(layer: 1)
        case .left: explorer.move(head: -1)
        case .right: explorer.move(head: 1)
        case .char("q"), .escape: return .back
        default: break
        }
        return .stay
    }
}
