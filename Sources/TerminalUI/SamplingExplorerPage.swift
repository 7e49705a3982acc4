// SamplingExplorerPage — the sampling explorer full screen: the context on top, the bars raw vs processed (with the
// nucleus cut, the next seeded draw marked ▶, and the histogram of `r` draws) below, the keys on the bottom line.
// All state is Lab's `SamplingExplorer`; this page maps keys to it and draws its `output`.

import Lab

public final class SamplingExplorerPage: Page {
    public let explorer: SamplingExplorer
    /// The last error (a model failure while appending), shown until the next key.
    public private(set) var message: String?

    public init(explorer: SamplingExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        "←/→ T · ↑/↓ top-p · k/K top-k · m/M min-p · Enter sample · g greedy · r draw \(explorer.drawsPerPress) · q back"
    }

    public func draw(on screen: Screen) {
        screen.clear()
        let w = screen.cols
        var title = StyledLine("Sampling explorer", .accent)
        title.append("  · \(explorer.model.name) · seed \(explorer.seed)", .dim)
        OutputView.draw([title], on: screen, top: 0, left: 0, width: w, height: 1)
        OutputView.draw(explorer.output, on: screen, top: 2, left: 0, width: w, height: max(0, screen.rows - 4))
        if let message { screen.put(EastAsianWidth.truncate(message, toCells: w), row: screen.rows - 2, col: 0, style: .bad) }
        screen.put(EastAsianWidth.truncate(keyHelp, toCells: w), row: screen.rows - 1, col: 0, style: .reverse)
        screen.hideCursor()
    }

    public func handle(_ key: Key) -> PageAction {
        message = nil
        do {
            switch key {
            case .left: explorer.temperature(up: false)
            case .right: explorer.temperature(up: true)
            case .up: explorer.topP(up: true)
            case .down: explorer.topP(up: false)
            case .char("k"): explorer.topK(up: false)
            case .char("K"): explorer.topK(up: true)
            case .char("m"): explorer.minP(up: false)
            case .char("M"): explorer.minP(up: true)
            case .enter: try explorer.sample()
            case .char("g"): try explorer.greedy()
            case .char("r"): explorer.drawMany()
            case .char("q"), .escape: return .back
            default: break
            }
        } catch {
            message = "\(error)"
        }
        return .stay
    }
}
