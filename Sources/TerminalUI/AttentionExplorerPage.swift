// AttentionExplorerPage — the attention heatmap full screen: ↑/↓ layer, ←/→ head (state: Lab's AttentionExplorer).

import Lab
import LabCore

public final class AttentionExplorerPage: Page {
    public let explorer: AttentionExplorer
    public private(set) var message: String?
    private let zh = Learner.isChinese
    private var showKeys = false
    public init(explorer: AttentionExplorer) { self.explorer = explorer }

    public var keyHelp: String { zh ? "↑/↓ 层 · ←/→ 头 · ? 按键 · q 返回" : "↑/↓ layer · ←/→ head · ? keys · q back" }

    public func draw(on screen: Screen) {
        let w = screen.cols
        OutputView.frame(StyledLine(zh ? "注意力探索器" : "Attention explorer", .accent), keyHelp: keyHelp, on: screen)
        do {
            OutputView.draw(.heatmap(try explorer.heatmap()), on: screen, top: 2, left: 0, width: w,
                            height: max(1, screen.rows - 3))
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
        default: break
        }
        return .stay
    }
}
