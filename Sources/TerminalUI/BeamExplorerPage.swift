// BeamExplorerPage — the beam-search explorer full screen: the tree as it grows (● kept, ✗ pruned, ◆ finished,
// ○ finished but not kept; log P, Σ and score on every node), the finished list below it, the keys at the bottom.
// All state is Lab's `BeamExplorer`; autoplay steps once per tick of the app loop (LivePage) until the search ends.

import Foundation
import Lab
import LabCore

public final class BeamExplorerPage: LivePage {
    public let explorer: BeamExplorer
    /// Where exports are written: the lab's state folder (…/lmlab/exports), never the folder lmlab was started in.
    public let exportDirectory: URL
    /// A line for the learner: the exported path, or an error.
    public var message: String? { frame.message }
    /// First tree line shown (the view scrolls to keep the cursor visible).
    public private(set) var scroll = 0
    /// True after End: the view stays at the bottom (the finished table) until the cursor moves.
    private var atEnd = false
    private let frame = ExplorerFrame(messageStyle: .good)
    private var zh: Bool { frame.zh }

    public init(explorer: BeamExplorer,
                exportDirectory: URL = ProgressStore.defaultDirectory().appendingPathComponent("exports")) {
        self.explorer = explorer
        self.exportDirectory = exportDirectory
    }

    /// Each key as what it does: ↑/↓ move the tree's cursor ◀ (the ▸ beside a slider only marks the knob +/- or
    /// l/L moved last), f folds the branch at the cursor, and p says which way it switches the pruned nodes now.
    public var keyHelp: String {
        let pruned = explorer.showPruned ? (zh ? "p 隐藏剪枝 ✗" : "p hide pruned ✗") : (zh ? "p 显示剪枝 ✗" : "p show pruned ✗")
        return zh
            ? "空格 一步 · a 自动 · +/- 束数 · l/L 长度惩罚 · ↑/↓ 在树中移动光标 ◀ · Home 回到顶部 · End 完成表 · "
                + "f 折叠/展开光标所在的分支 · \(pruned) · d/j 导出 DOT/JSON · ? 按键 · q 返回"
            : "space step · a autoplay · +/- beams · l/L length penalty · ↑/↓ move the cursor ◀ · Home top · "
                + "End finished · f fold/unfold the branch at ◀ · \(pruned) · d/j export DOT/JSON · ? keys · q back"
    }

    public func draw(on screen: Screen) {
        var title = StyledLine(zh ? "束搜索探索器" : "Beam explorer", .accent)
        title.append(explorer.autoplay ? (zh ? "  · 自动" : "  · autoplay") : "", .good)
        if let n = explorer.topOnly {
            title.append(zh ? "  · 近似：每步只扩展服务器的前 \(n) 个" : "  · approximate: beams expand over the server's top \(n) only", .dim)
        }
        frame.draw(on: screen, title: title, keyHelp: keyHelp, bodyTop: 1) { drawTree(on: screen) }
    }

    private func drawTree(on screen: Screen) {
        let w = screen.cols
        let bodyHeight = max(1, screen.rows - 3)
        // Keep the cursor's line inside the body: tree lines are title, root, then one per visible node.
        let lines = OutputLayout.lines(explorer.output, width: w, height: bodyHeight)
        if atEnd {
            scroll = lines.count
        } else if let s = explorer.selected, let i = explorer.tree.visibleOrder.firstIndex(of: s) {
            let line = explorer.sliders.count + 1 + i + 2      // below the sliders and their blank line
            // On the first node the view goes back to the top: the sliders, the status line and the root are above it.
            if i == 0 { scroll = 0 } else if line < scroll { scroll = line }
            if line >= scroll + bodyHeight { scroll = line - bodyHeight + 1 }
        } else if explorer.selected == nil {
            scroll = 0                                          // no node yet: nothing below the root to show
        }
        scroll = max(0, min(scroll, max(0, lines.count - bodyHeight)))
        OutputView.draw(lines, on: screen, top: 1, left: 0, width: w, height: bodyHeight, scroll: scroll)
    }

    public func handle(_ key: Key) -> PageAction {
        if !frame.showKeys { atEnd = key == .end }
        return frame.handle(key) { key in
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
            case .home: explorer.moveSelection(by: -explorer.tree.visibleOrder.count)   // the first node: the top
            case .char("f"), .enter: explorer.toggleFold()
            case .char("p"): explorer.togglePruned()
            case .char("d"): return (zh ? "已写入 " : "wrote ") + (try explorer.export(.dot, to: exportDirectory)).path
            case .char("j"): return (zh ? "已写入 " : "wrote ") + (try explorer.export(.json, to: exportDirectory)).path
            case .end: break                      // atEnd: the finished table
            default: break
            }
            return nil
        }
    }

    // MARK: LivePage (autoplay)

    public var isBusy: Bool { explorer.autoplay && !explorer.isDone }

    /// One step per tick while autoplay is on.
    public func tick() -> Bool {
        guard isBusy else { return false }
        do { try explorer.step() } catch { frame.message = "\(error)"; explorer.autoplay = false }
        return true
    }

    public func cancelRunning() { explorer.autoplay = false }
}
