// LogitLensPage — the logit lens full screen: ↑/↓ choose the layer, ←/→ the position; the grid shows every layer's
// top prediction, the bars below the selected cell's candidates (state: Lab's LogitLensExplorer).

import Lab

public final class LogitLensPage: Page {
    public let explorer: LogitLensExplorer
    public init(explorer: LogitLensExplorer) { self.explorer = explorer }

    public var keyHelp: String { "↑/↓ layer · ←/→ position · Home/End first/last · q back" }

    public func draw(on screen: Screen) {
        var title = StyledLine("Logit lens", .accent)
        title.append("  · \(explorer.modelName) · ✓ = predicts the real next token", .dim)
        OutputView.frame(title, keyHelp: keyHelp, on: screen)
        OutputView.draw(explorer.lines(width: screen.cols), on: screen, top: 2, left: 0, width: screen.cols,
                        height: max(0, screen.rows - 3))
        screen.hideCursor()
    }

    public func handle(_ key: Key) -> PageAction {
        switch key {
        case .up: explorer.move(layer: -1)
        case .down: explorer.move(layer: 1)
        case .left: explorer.move(position: -1)
        case .right: explorer.move(position: 1)
        case .home: explorer.move(position: -explorer.tokens.count)
        case .end: explorer.move(position: explorer.tokens.count)
        case .char("q"), .escape: return .back
        default: break
        }
        return .stay
    }
}
