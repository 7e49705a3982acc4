// ExpertRouteExplorerPage — `lmlab moe route --explore` full screen: ↑/↓ MoE layer, ←/→ token; the grid shows which
// experts each token chose and with what weight, the bars the selected token's router probabilities (state: Lab's
// ExpertRouteExplorer).

import Lab
import LabCore

public final class ExpertRouteExplorerPage: Page {
    public let explorer: ExpertRouteExplorer
    private let zh = Learner.isChinese
    private var showKeys = false
    public init(explorer: ExpertRouteExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        zh ? "↑/↓ 层 · ←/→ 词元 · Home/End 首/末 · ? 按键 · q 返回" : "↑/↓ layer · ←/→ token · Home/End first/last · ? keys · q back"
    }

    public func draw(on screen: Screen) {
        var title = StyledLine(zh ? "专家路由" : "Expert routing", .accent)
        title.append("  · \(explorer.modelName)", .dim)
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
        case .left: explorer.move(token: -1)
        case .right: explorer.move(token: 1)
        case .home: explorer.move(token: -explorer.report.pieces.count)
        case .end: explorer.move(token: explorer.report.pieces.count)
        default: break
        }
        return .stay
    }
}
