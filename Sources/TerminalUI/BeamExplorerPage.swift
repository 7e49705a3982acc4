// BeamExplorerPage — the beam-search explorer full screen: the tree as it grows (● kept, ✗ pruned, ◆ finished,
// ○ finished but not kept; log P, Σ and score on every node), the finished list below it, the keys at the bottom.
// All state is Lab's `BeamExplorer`; autoplay steps once per tick of the app loop (LivePage) until the search ends.

import Foundation
import Lab

public final class BeamExplorerPage: LivePage {
    public let explorer: BeamExplorer
    /// Where exports are written (the current directory in the app).
    public let exportDirectory: URL
    /// A line for the learner: the exported path, or an error.
    public private(set) var message: String?
    /// First tree line shown (the view scrolls to keep the cursor visible).
    public private(set) var scroll = 0

    public init(explorer: BeamExplorer,
                exportDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) {
        self.explorer = explorer
        self.exportDirectory = exportDirectory
    }

    public var keyHelp: String {
        "space step · a autoplay · +/- beams · l/L length penalty · ↑/↓ move · f fold · p pruned · d DOT · j JSON · q back"
    }

    public func draw(on screen: Screen) {
        screen.clear()
        let w = screen.cols
        let bodyHeight = max(1, screen.rows - 3)
        var title = StyledLine("Beam explorer", .accent)
        title.append(explorer.autoplay ? "  · autoplay" : "", .good)
        OutputView.draw([title], on: screen, top: 0, left: 0, width: w, height: 1)
        // Keep the cursor's line inside the body: tree lines are title, root, then one per visible node.
        let lines = OutputLayout.lines(explorer.output, width: w, height: bodyHeight)
        if let s = explorer.selected, let i = explorer.tree.visibleOrder.firstIndex(of: s) {
            let line = i + 2
            if line < scroll { scroll = line }
            if line >= scroll + bodyHeight { scroll = line - bodyHeight + 1 }
        }
        scroll = max(0, min(scroll, max(0, lines.count - bodyHeight)))
        OutputView.draw(lines, on: screen, top: 1, left: 0, width: w, height: bodyHeight, scroll: scroll)
        if let message { screen.put(EastAsianWidth.truncate(message, toCells: w), row: screen.rows - 2, col: 0, style: .good) }
        screen.put(EastAsianWidth.truncate(keyHelp, toCells: w), row: screen.rows - 1, col: 0, style: .reverse)
        screen.hideCursor()
    }

    public func handle(_ key: Key) -> PageAction {
        message = nil
        do {
            switch key {
            case .char(" "): try explorer.step()
            case .char("a"): explorer.autoplay = !explorer.autoplay && !explorer.isDone
            case .char("+"), .char("="): try explorer.changeBeams(by: 1)
            case .char("-"), .char("−"): try explorer.changeBeams(by: -1)
            case .char("l"): try explorer.changeLengthPenalty(by: -0.25)
            case .char("L"): try explorer.changeLengthPenalty(by: 0.25)
            case .up: explorer.moveSelection(by: -1)
            case .down: explorer.moveSelection(by: 1)
            case .pageUp: explorer.moveSelection(by: -10)
            case .pageDown: explorer.moveSelection(by: 10)
            case .char("f"), .enter: explorer.toggleFold()
            case .char("p"): explorer.togglePruned()
            case .char("d"): message = "wrote " + (try explorer.export(.dot, to: exportDirectory)).path
            case .char("j"): message = "wrote " + (try explorer.export(.json, to: exportDirectory)).path
            case .char("q"), .escape: return .back
            default: break
            }
        } catch {
            message = "\(error)"
        }
        return .stay
    }

    // MARK: LivePage (autoplay)

    public var isBusy: Bool { explorer.autoplay && !explorer.isDone }

    /// One step per tick while autoplay is on.
    public func tick() -> Bool {
        guard isBusy else { return false }
        do { try explorer.step() } catch { message = "\(error)"; explorer.autoplay = false }
        return true
    }

    public func cancelRunning() { explorer.autoplay = false }
}
