// SamplingExplorerPage — the sampling explorer full screen: the context on top, the bars raw vs processed (with the
// nucleus cut, the next seeded draw marked ▶, and the histogram of `r` draws) below, the keys on the bottom line.
// All state is Lab's `SamplingExplorer`; this page maps keys to it and draws its `output`.

import Lab
import LabCore

public final class SamplingExplorerPage: Page {
    public let explorer: SamplingExplorer
    /// The last error (a model failure while appending), shown until the next key.
    public var message: String? { frame.message }
    private let frame = ExplorerFrame()
    private var zh: Bool { frame.zh }

    public init(explorer: SamplingExplorer) { self.explorer = explorer }

    public var keyHelp: String {
        zh ? "←/→ 温度 T · ↑/↓ top-p · k/K top-k · m/M min-p · Enter 采样 · g 贪心 · r 抽 \(explorer.drawsPerPress) 次 · ? 按键 · q 返回"
           : "←/→ T · ↑/↓ top-p · k/K top-k · m/M min-p · Enter sample · g greedy · r draw \(explorer.drawsPerPress) · ? keys · q back"
    }

    public func draw(on screen: Screen) {
        var title = StyledLine(zh ? "采样探索器" : "Sampling explorer", .accent)
        title.append("  · \(explorer.model.name) · \(zh ? "种子" : "seed") \(explorer.seed)", .dim)
        frame.draw(on: screen, title: title, keyHelp: keyHelp, bodyTop: 2) {
            let height = max(0, screen.rows - 4)
            OutputView.draw(explorer.output(fitting: height, width: screen.cols), on: screen, top: 2, left: 0,
                            width: screen.cols, height: height)
        }
    }

    public func handle(_ key: Key) -> PageAction {
        frame.handle(key) { key in
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
            default: break
            }
            return nil
        }
    }
}
