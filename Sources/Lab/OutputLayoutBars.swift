// OutputLayoutBars — next-token bars (raw vs processed, with the nucleus cut and a sample histogram) and the beam
// tree, as lines (see OutputLayout.swift).
//
//   ▶ token   raw                 processed             drawn
//     的      ██████▍      0.3120  ██████████▌  0.5230   █████████▏  0.4900
//   ┄┄┄ cut: the processors removed the tokens below ┄┄┄
//     猫      ▌            0.0210               0
// All bar columns share one scale (the largest probability shown), so sharpening by temperature is visible as
// longer processed bars, and a histogram of N draws sits on the same scale as the distribution it came from.

import Foundation
import LabCore

extension OutputLayout {
    static func bars(_ b: ProbabilityBars, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(b.title, width: width)
        // Columns: raw, then processed (side by side), then the histogram of draws.
        var labels = [b.rawLabel]
        if b.sideBySide { labels.append(b.processedLabel) }
        if let n = b.samples { labels.append(Learner.text("drawn (\(n))", "抽取（\(n) 次）")) }
        let k = labels.count
        let marker = 2, numberWidth = 8
        let heading = b.rowHeading ?? Learner.text("token", "词元")
        let widest = b.rows.map { EastAsianWidth.cells($0.token) }.max() ?? 5
        let tokenWidth = min(16, max(5, EastAsianWidth.cells(heading), widest))
        let barWidth = min(40, max(3, (width - marker - tokenWidth - k * (2 + 1 + numberWidth)) / k))
        func values(_ r: BarRow) -> [Double?] {
            var v: [Double?] = [r.raw]
            if b.sideBySide { v.append(r.processed) }
            if let n = b.samples { v.append(n > 0 ? Double(r.drawn ?? 0) / Double(n) : 0) }
            return v
        }
        let scale = b.rows.flatMap { values($0).compactMap { $0 } }.max() ?? 1
        // Header.
        var header = StyledLine(String(repeating: " ", count: marker) + EastAsianWidth.pad(heading, toCells: tokenWidth))
        for label in labels {
            header.append("  " + EastAsianWidth.pad(label, toCells: barWidth + 1 + numberWidth), .strong)
        }
        out.append(header)
        // Rows, with the cut line after `cutAfter`.
        for (i, r) in b.rows.enumerated() {
            let removed = b.sideBySide && (r.processed ?? 0) == 0
            var line = StyledLine(r.chosen ? "▶ " : "  ", .good)
            line.append(EastAsianWidth.pad(r.token, toCells: tokenWidth), r.chosen ? .good : (removed ? .dim : .plain))
            for (c, v) in values(r).enumerated() {
                line.append("  ")
                guard let v else { line.append(String(repeating: " ", count: barWidth + 1 + numberWidth)); continue }
                let emphasis: Emphasis = c == 0 ? .dim : (removed ? .bad : .good)
                line.append(bar(scale > 0 ? v / scale : 0, width: barWidth), emphasis)
                let text = c == 2 || (c == 1 && b.samples != nil && !b.sideBySide)
                    ? "\(r.drawn ?? 0)" : probability(v)
                line.append(" " + EastAsianWidth.pad(text, toCells: numberWidth, align: .right), removed && c > 0 ? .bad : .plain)
            }
            out.append(line)
            if let cut = b.cutAfter, cut == i, i < b.rows.count - 1 {
                let label = Learner.text("┄┄┄ cut: the processors removed the tokens below ",
                                         "┄┄┄ 截断：logits 处理器去掉了下面的词元 ")
                out.append(StyledLine(label + String(repeating: "┄", count: max(0, width - EastAsianWidth.cells(label))), .bad))
            }
        }
        if let note = b.note { out += text(OutputText(note, .dim), width: width) }
        return out
    }

    // MARK: - Beam tree

    static func beamTree(_ t: OutputBeamTree, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(t.title, width: width)
        guard let root = t.nodes.first else { return out }
        var head = StyledLine("\"\(root.token)\"", .strong)
        head.append(Learner.text("  · step \(t.step)", "  · 第 \(t.step) 步"), .dim)
        out.append(head)
        let children = t.children
        let folded = Set(t.folded)
        var shortened = false
        func visible(_ id: Int) -> Bool { t.showPruned || t.nodes[id].state != .pruned }
        func descendants(_ id: Int) -> Int { children[id].filter(visible).reduce(0) { $0 + 1 + descendants($1) } }
        func visit(_ id: Int, prefix: String) {
            let kids = children[id].filter(visible)
            for (i, c) in kids.enumerated() {
                let last = i == kids.count - 1
                let n = t.nodes[c]
                var line = StyledLine(prefix + (last ? "└─ " : "├─ "), .dim)
                let emphasis: Emphasis
                switch n.state {
                case .kept, .root: emphasis = .accent
                case .pruned: emphasis = .dim
                case .finished: emphasis = .good
                case .rejected: emphasis = .bad
                }
                line.append(n.state.symbol + " " + n.token, emphasis)
                let long = "  log P \(number(n.logProb, 3))  Σ \(number(n.cumulative, 3))  " + Learner.text("score", "得分") + " \(number(n.score, 3))"
                let short = "  \(number(n.logProb, 2)) / \(number(n.score, 2))"
                // The fold count and the cursor are counted in: at 60 columns "▸ +26" was cut to "+2" and ◀ lost.
                let hidden = folded.contains(c) ? descendants(c) : 0
                let marks = (hidden > 0 ? "  ▸ +\(hidden)" : "") + (t.selected == c ? "  ◀" : "")
                let fits = line.cells + EastAsianWidth.cells(long + marks) <= width
                if !fits { shortened = true }
                line.append(fits ? long : short, n.state == .pruned ? .dim : .plain)
                if !marks.isEmpty { line.append(marks, .accent) }
                out.append(line)
                if hidden == 0 { visit(c, prefix: prefix + (last ? "   " : "│  ")) }
            }
        }
        visit(0, prefix: "")
        out.append(StyledLine(Learner.text("● kept  ✗ pruned  ◆ finished  ○ finished, not kept", "● 保留  ✗ 剪枝  ◆ 完成  ○ 完成但未保留"), .dim))
        // A node too deep for its long numbers shows two: say which.
        if shortened { out.append(StyledLine(Learner.text("a / b: a is log P, b the score", "a / b：a 是 log P，b 是得分"), .dim)) }
        return out
    }
}
