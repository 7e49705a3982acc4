// AttentionExplorerPage — the attention heatmap full screen: ↑/↓ layer, ←/→ head (state: Lab's AttentionExplorer).

import Lab
import LabCore

public final class AttentionExplorerPage: Page {
    public let explorer: AttentionExplorer
    public private(set) var message: String?
    private let language = Learner.language
    private var zh: Bool { language == .zh }
    private var showKeys = false
    public init(explorer: AttentionExplorer) { self.explorer = explorer }

    public var keyHelp: String { zh ? "↑/↓ 层 · ←/→ 头 · ? 按键 · q 返回" : "↑/↓ layer · ←/→ head · ? keys · q back" }

    /// Draws in the language the page was opened in: the explorer's own wording (legends, titles, notes) follows it.
    public func draw(on screen: Screen) { Learner.$language.withValue(language) { drawPage(on: screen) } }

    private func drawPage(on screen: Screen) {
        let w = screen.cols
        OutputView.frame(StyledLine(zh ? "注意力探索器" : "Attention explorer", .accent), keyHelp: keyHelp, on: screen)
        do {
            OutputView.draw(.heatmap(try explorer.heatmap()), on: screen, top: 2, left: 0, width: w,
                            height: max(1, screen.rows - 3))
        } catch {
            screen.put(EastAsianWidth.truncate("\(error)", toCells: w), row: 2, col: 0, style: .bad)
        }
        if showKeys { KeyHelpOverlay.draw(KeyHelpOverlay.lines(fromKeyBar: keyHelp, zh: zh), on: screen) }
        screen.hideCursor()
    }

    public func handle(_ key: Key) -> PageAction {
        if showKeys { showKeys = false; return .stay }
        switch key {
        case .char("?"): showKeys = true
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
