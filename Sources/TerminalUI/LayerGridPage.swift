// LayerGridPage — the full screen of an explorer whose picture is a grid of layers × tokens with bars for the
// selected cell: the logit lens (`lmlab lens --explore`: every layer's top prediction) and expert routing
// (`lmlab moe route --explore`: the experts each token chose). ↑/↓ walk the layers, ←/→ the tokens, Home/End jump
// to the first/last token. The explorers (Lab's LogitLensExplorer, ExpertRouteExplorer) hold the state and draw the
// lines; this page only maps keys to them.

import Lab
import LabCore

/// An explorer with ↑/↓ over the model's layers and ←/→ over a second axis (tokens, attention heads).
public protocol LayerWalking: AnyObject {
    func move(layer delta: Int)
    func move(across delta: Int)
}

extension LayerWalking {
    /// ↑/↓ one layer, ←/→ one step across; false for any other key.
    func walk(_ key: Key) -> Bool {
        switch key {
        case .up: move(layer: -1)
        case .down: move(layer: 1)
        case .left: move(across: -1)
        case .right: move(across: 1)
        default: return false
        }
        return true
    }
}

/// An explorer over layers × tokens, as LayerGridPage shows it.
public protocol LayerGridExplorer: LayerWalking {
    /// The page's top line, in the learner's language.
    var title: StyledLine { get }
    /// What ←/→ walk, for the key bar: (English, Chinese).
    var columnName: (en: String, zh: String) { get }
    var columnCount: Int { get }
    /// The grid and the selected cell's bars, laid out `width` cells wide; `height` rows are on screen (what does
    /// not fit is cut at the bottom, so an explorer whose bars may not fit says so itself).
    func lines(width: Int, height: Int) -> [StyledLine]
}

public final class LayerGridPage: Page {
    public let explorer: any LayerGridExplorer
    private let frame = ExplorerFrame()
    public init(explorer: any LayerGridExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        let c = explorer.columnName
        return frame.zh ? "↑/↓ 层 · ←/→ \(c.zh) · Home/End 首/末 · ? 按键 · q 返回"
                        : "↑/↓ layer · ←/→ \(c.en) · Home/End first/last · ? keys · q back"
    }

    public func draw(on screen: Screen) {
        frame.draw(on: screen, title: explorer.title, keyHelp: keyHelp, bodyTop: 2) {
            let height = max(0, screen.rows - 3)
            OutputView.draw(explorer.lines(width: screen.cols, height: height), on: screen, top: 2, left: 0,
                            width: screen.cols, height: height)
        }
    }

    public func handle(_ key: Key) -> PageAction {
        frame.handle(key) { key in
            if explorer.walk(key) { return nil }
            if key == .home { explorer.move(across: -explorer.columnCount) }
            if key == .end { explorer.move(across: explorer.columnCount) }
            return nil
        }
    }
}

/// The names the commands open these pages by.
public typealias LogitLensPage = LayerGridPage
public typealias ExpertRouteExplorerPage = LayerGridPage

extension LogitLensExplorer: LayerGridExplorer {
    public var title: StyledLine {
        var t = StyledLine(Learner.text("Logit lens", "logit lens"), .accent)
        t.append("  · \(modelName) · " + Learner.text("✓ = predicts the real next token", "✓ = 预测对了真实的下一个词元"), .dim)
        return t
    }
    public var columnName: (en: String, zh: String) { ("position", "位置") }
    public var columnCount: Int { tokens.count }
    public func move(across delta: Int) { move(position: delta) }
}

extension ExpertRouteExplorer: LayerGridExplorer {
    public var title: StyledLine {
        var t = StyledLine(Learner.text("Expert routing", "专家路由"), .accent)
        t.append("  · \(modelName)", .dim)
        return t
    }
    public var columnName: (en: String, zh: String) { ("token", "词元") }
    public var columnCount: Int { report.pieces.count }
    public func move(across delta: Int) { move(token: delta) }
}
