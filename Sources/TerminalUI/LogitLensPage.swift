// LogitLensPage — the logit lens full screen: ↑/↓ choose the layer, ←/→ the position; the grid shows every layer's
// top prediction, the bars below the selected cell's candidates (state: Lab's LogitLensExplorer).

import Lab
import LabCore

public final class LogitLensPage: Page {
    public let explorer: LogitLensExplorer
    private let language = Learner.language
    private var zh: Bool { language == .zh }
    private var showKeys = false
    public init(explorer: LogitLensExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        zh ? "↑/↓ 层 · ←/→ 位置 · Home/End 首/末 · ? 按键 · q 返回" : "↑/↓ layer · ←/→ position · Home/End first/last · ? keys · q back"
    }

    /// Draws in the language the page was opened in: the explorer's own wording (legends, titles, notes) follows it.
    public func draw(on screen: Screen) { Learner.$language.withValue(language) { drawPage(on: screen) } }

    private func drawPage(on screen: Screen) {
        var title = StyledLine(zh ? "逻辑透镜" : "Logit lens", .accent)
        title.append("  · \(explorer.modelName) · " + (zh ? "✓ = 预测对了真实的下一个词元" : "✓ = predicts the real next token"), .dim)
        OutputView.frame(title, keyHelp: keyHelp, on: screen)
        OutputView.draw(explorer.lines(width: screen.cols), on: screen, top: 2, left: 0, width: screen.cols,
                        height: max(0, screen.rows - 3))
        KeyHelpOverlay.finish(on: screen, keyHelp: keyHelp, zh: zh, open: showKeys)
    }

    public func handle(_ key: Key) -> PageAction {
        if let action = KeyHelpOverlay.handle(key, open: &showKeys) { return action }
        switch key {
        case .up: explorer.move(layer: -1)
        case .down: explorer.move(layer: 1)
        case .left: explorer.move(position: -1)
        case .right: explorer.move(position: 1)
        case .home: explorer.move(position: -explorer.tokens.count)
        case .end: explorer.move(position: explorer.tokens.count)
        default: break
        }
        return .stay
    }
}
