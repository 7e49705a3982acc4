// OutputLayoutTable — tables, the P(sentence) ledger and training progress as lines (see OutputLayout.swift).
//
// Columns are measured in display cells; when a table is wider than the line, its headers wrap, its bars shorten and
// then its cells wrap within their columns (TableFit) until it fits, so narrow screens cut nothing — or, for a table
// of alike columns (`continuesBelow`: the logit lens's positions), the columns that do not fit continue in a block
// below.

import Foundation
import LabCore

extension OutputLayout {
    static func table(_ t: OutputTable, width: Int, rowEmphasis: [Emphasis] = []) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(t.title, width: width)
        let n = t.headers.count
        guard n > 0 else { return out }
        let widths = (0..<n).map { c in
            ([t.headers[c]] + t.rows.map { $0[c] }).map(EastAsianWidth.cells).max() ?? 0
        }
        let gap = 2
        if t.continuesBelow == true, widths.reduce(0, +) + gap * (n - 1) > width, n > 2 {
            // Blocks of the columns that fit beside the first, in order; one too wide alone gives way below.
            var blocks: [[Int]] = [[]]
            var used = widths[0]
            for c in 1..<n {
                if !blocks[blocks.count - 1].isEmpty && used + gap + widths[c] > width { blocks.append([]); used = widths[0] }
                blocks[blocks.count - 1].append(c)
                used += gap + widths[c]
            }
            for (i, block) in blocks.enumerated() {
                if i > 0 { out.append(StyledLine()) }
                let columns = [0] + block
                out += table(OutputTable(headers: columns.map { t.headers[$0] }, rows: t.rows.map { r in columns.map { r[$0] } },
                                         alignments: columns.map(t.alignment)), width: width, rowEmphasis: rowEmphasis)
            }
            return out
        }
        // Too wide: headers wrap, bars shorten, then cells wrap within their columns (TableFit).
        let fit = TableFit(header: t.headers, rows: t.rows, width: width, gap: gap, narrowGap: 1)
        let between = String(repeating: " ", count: fit.narrow ? 1 : gap)
        func lines(_ cells: [String], _ emphasis: Emphasis) -> [StyledLine] {
            fit.rowLines(cells, align: t.alignment).map { pieces in
                StyledLine(trimmedRight(pieces.joined(separator: between)), emphasis)
            }
        }
        out += lines(t.headers, .strong)
        out.append(StyledLine(fit.rule(joinedBy: between), .dim))
        for (i, r) in t.rows.enumerated() { out += lines(r, i < rowEmphasis.count ? rowEmphasis[i] : .plain) }
        return out
    }

    static func trimmedRight(_ s: String) -> String {
        var t = s
        while t.hasSuffix(" ") { t.removeLast() }
        return t
    }

    // MARK: - Ledger

    /// One row per token (context, token, P, ln P, running Σ), then the total and the perplexity.
    static func ledger(_ l: Ledger, width: Int) -> [StyledLine] {
        let showContext = l.entries.contains { !$0.context.isEmpty }
        var headers = [Learner.text("token", "词元"), "P", "ln P", "Σ ln P"]
        var align: [ColumnAlignment] = [.left, .right, .right, .right]
        if showContext { headers.insert(Learner.text("context", "上文"), at: 0); align.insert(.left, at: 0) }
        let rows = l.entries.map { e -> [String] in
            var r = [e.token, probability(e.probability), e.logProb.map { number($0, 3) } ?? "−∞",
                     e.running.map { number($0, 3) } ?? "−∞"]
            if showContext { r.insert(e.context, at: 0) }
            return r
        }
        var out = table(OutputTable(title: l.title, headers: headers, rows: rows, alignments: align), width: width,
                        rowEmphasis: l.entries.map { $0.probability == 0 ? .bad : .plain })
        if let total = l.total, let ppl = l.perplexity {
            out += text(OutputText(spans: [
                TextSpan(Learner.text("ln P(sentence)", "ln P(句子)") + " = \(number(total, 4))   P = \(String(format: "%.4g", Foundation.exp(total)))   "),
                TextSpan(Learner.text("perplexity ", "困惑度 ") + number(ppl, 3), .strong),
                TextSpan(Learner.text(" over \(l.entries.count) tokens", "（共 \(l.entries.count) 个词元）")),
            ]), width: width)
        } else if !l.entries.isEmpty {
            out += text(OutputText(Learner.text("a factor is 0, so P(sentence) = 0 and the perplexity is infinite",
                                                   "有一个因子为 0，所以 P(句子) = 0，困惑度为无穷大"), .bad), width: width)
        }
        return out
    }

    // MARK: - Progress

    /// TrainingMeter's line ("step 120/500  loss 3.412 (smoothed 3.580)  9,870 tok/s  ETA 0:41", in the learner's
    /// language) with the loss set apart, a progress bar, and the smoothed loss as a sparkline (the last samples that fit).
    static func progress(_ p: TrainingProgress, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(p.title, width: width)
        let words = TrainingMeter.lineParts(p.samples.last, totalSteps: p.totalSteps)
        guard let s = p.samples.last else {
            out.append(StyledLine(words.head, .dim))
            return out
        }
        // The tail's parts ("(smoothed …)", "… tok/s", "ETA …") that do not fit go to a second line rather than off the
        // edge: in Chinese the line is a few cells wider and at 60 columns lost its 剩余 (ETA).
        var line = StyledLine(words.head)
        line.append(words.loss, .strong)
        var parts = words.tail[...]
        if let average = parts.popFirst() { line.append(average) }
        let gap = TrainingMeter.fieldGap
        var rest: [String] = []
        for part in parts {
            if rest.isEmpty && line.cells + gap.count + EastAsianWidth.cells(part) <= width { line.append(gap + part) }
            else { rest.append(part) }
        }
        out.append(line)
        if !rest.isEmpty { out.append(StyledLine(rest.joined(separator: gap))) }
        if p.totalSteps > 0 {
            let f = min(1, Double(s.step) / Double(p.totalSteps))
            let percent = " \(Int((f * 100).rounded(.down)))%"
            let barWidth = max(4, width - 2 - percent.count)
            var b = StyledLine("▕")
            b.append(bar(f, width: barWidth), .good)
            b.append("▏" + percent)
            out.append(b)
        }
        let losses = p.samples.map(\.smoothedLoss).filter(\.isFinite)
        if losses.count >= 2 {
            let label = Learner.text("loss ", "损失 ")
            let shown = Array(losses.suffix(max(1, width - EastAsianWidth.cells(label) - 20)))
            let lo = shown.min()!, hi = shown.max()!
            let ticks = Array("▁▂▃▄▅▆▇█")
            let spark = String(shown.map { v in ticks[hi > lo ? Int(((v - lo) / (hi - lo) * 7).rounded()) : 3] })
            var l = StyledLine(label, .dim)
            l.append(spark, .accent)
            l.append("  \(number(hi, 3)) → \(number(shown.last!, 3))", .dim)
            out.append(l)
        }
        return out
    }
}
