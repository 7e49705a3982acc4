// OutputLayoutPlots — heatmaps, scatter plots and line plots on a grid of character cells (see OutputLayout.swift).
//
// Heatmap: one cell block per value, shaded " ░▒▓█" by where it lies in [low, high] (five equal bands), "·" for
// NaN (a masked attention score). Scatter: each point a "•" at its (x, y) scaled into the grid, its label beside it
// on its row when the cells are free, else a mark 1…9 that the list under the plot names. Line plot: each series
// interpolated linearly at every column, with its own mark.

import Foundation
import LabCore

/// A rows × cols grid of cells; a wide character takes two (its right half is "").
struct CharGrid {
    let rows: Int, cols: Int
    private(set) var cells: [[String]]
    private(set) var emphasis: [[Emphasis]]

    init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        cells = Array(repeating: Array(repeating: " ", count: cols), count: rows)
        emphasis = Array(repeating: Array(repeating: .plain, count: cols), count: rows)
    }

    func isFree(row: Int, col: Int, width: Int) -> Bool {
        guard row >= 0, row < rows, col >= 0, col + width <= cols else { return false }
        return (col..<col + width).allSatisfy { cells[row][$0] == " " }
    }

    /// Writes `text` from (row, col) when it fits inside the grid; returns false (writing nothing) otherwise.
    @discardableResult
    mutating func put(_ text: String, row: Int, col: Int, _ e: Emphasis = .plain, onlyIfFree: Bool = false) -> Bool {
        let w = EastAsianWidth.cells(text)
        guard row >= 0, row < rows, col >= 0, col + w <= cols else { return false }
        if onlyIfFree && !isFree(row: row, col: col, width: w) { return false }
        var c = col
        for ch in text {
            let cw = EastAsianWidth.cells(ch)
            if cw == 0 { continue }
            cells[row][c] = String(ch)
            emphasis[row][c] = e
            if cw == 2 { cells[row][c + 1] = ""; emphasis[row][c + 1] = e }
            c += cw
        }
        return true
    }

    func line(_ r: Int) -> StyledLine {
        var l = StyledLine()
        for c in 0..<cols { l.append(cells[r][c], emphasis[r][c]) }
        return l
    }
}

extension OutputLayout {
    // MARK: - Heatmap

    static let shades = [" ", "░", "▒", "▓", "█"]

    static func heatmap(_ h: Heatmap, width: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(h.title, width: width)
        let (low, high) = h.range
        let labelWidth = min(12, max(1, h.rowLabels.map(EastAsianWidth.cells).max() ?? 1))
        let n = max(1, h.columnLabels.count)
        let widestColumnLabel = h.columnLabels.map(EastAsianWidth.cells).max() ?? 1
        let cellWidth = max(1, min(max(6, widestColumnLabel), (width - labelWidth - 1) / n - 1))
        // Column labels, cut to the cell width.
        var header = StyledLine(String(repeating: " ", count: labelWidth + 1))
        for label in h.columnLabels {
            header.append(EastAsianWidth.pad(EastAsianWidth.truncate(label, toCells: cellWidth, ellipsis: false),
                                             toCells: cellWidth) + " ", .strong)
        }
        out.append(header)
        var sawNaN = false
        for (r, label) in h.rowLabels.enumerated() {
            var line = StyledLine(EastAsianWidth.pad(label, toCells: labelWidth) + " ", .strong)
            for v in h.values[r] {
                if v.isNaN {
                    sawNaN = true
                    line.append(EastAsianWidth.pad("·", toCells: cellWidth) + " ", .dim)
                    continue
                }
                let f = high > low ? (v - low) / (high - low) : 1
                let level = min(4, max(0, Int(f * 5)))
                line.append(String(repeating: shades[level], count: cellWidth), .accent)
                line.append(" ")
            }
            out.append(line)
        }
        var legend = StyledLine("", .dim)
        for level in 1...4 {
            legend.append(shades[level], .accent)
            legend.append(" ≥ \(number(low + (high - low) * Double(level) / 5, 2))  ", .dim)
        }
        legend.append("(\(number(low, 2)) … \(number(high, 2)))", .dim)
        if sawNaN {
            // "· masked" on the legend's line when it fits, else on a line of its own (never cut off at 60 columns).
            let masked = Learner.text("  · masked", "  · 已掩码")
            if legend.cells + EastAsianWidth.cells(masked) <= width { legend.append(masked, .dim) } else {
                out.append(legend)
                legend = StyledLine(Learner.text("· masked", "· 已掩码"), .dim)
            }
        }
        out.append(legend)
        return out
    }

    // MARK: - Axes shared by scatter and line plots

    /// The frame of a plot: y tick labels and "│" on the left, the x axis and its labels below.
    struct PlotFrame {
        let plotRows: Int, plotCols: Int, yLabelWidth: Int
        let x: (low: Double, high: Double), y: (low: Double, high: Double)

        init(width: Int, rows: Int, x: (Double, Double), y: (Double, Double)) {
            func widen(_ r: (Double, Double)) -> (low: Double, high: Double) {
                r.0 < r.1 ? (r.0, r.1) : (r.0 - 1, r.1 + 1)
            }
            self.x = widen(x)
            self.y = widen(y)
            yLabelWidth = [self.y.low, self.y.high, (self.y.low + self.y.high) / 2]
                .map { EastAsianWidth.cells(OutputLayout.number($0, 2)) }.max()!
            plotRows = max(3, rows)
            plotCols = max(4, width - yLabelWidth - 1)
        }

        func column(_ v: Double) -> Int { Int(((v - x.low) / (x.high - x.low) * Double(plotCols - 1)).rounded()) }
        func row(_ v: Double) -> Int { Int(((y.high - v) / (y.high - y.low) * Double(plotRows - 1)).rounded()) }

        /// The grid's lines with the axes around them.
        func lines(_ grid: CharGrid, xLabel: String, yLabel: String) -> [StyledLine] {
            var out = [StyledLine("↑ " + yLabel, .dim)]
            for r in 0..<plotRows {
                let tick: String
                switch r {
                case 0: tick = OutputLayout.number(y.high, 2)
                case plotRows - 1: tick = OutputLayout.number(y.low, 2)
                case (plotRows - 1) / 2 where plotRows >= 5:
                    tick = OutputLayout.number(y.high - (y.high - y.low) * Double(r) / Double(plotRows - 1), 2)
                default: tick = ""
                }
                var l = StyledLine(EastAsianWidth.pad(tick, toCells: yLabelWidth, align: .right) + "│", .dim)
                for run in grid.line(r).runs { l.append(run.text, run.emphasis) }
                out.append(l)
            }
            out.append(StyledLine(String(repeating: " ", count: yLabelWidth) + "└" + String(repeating: "─", count: plotCols), .dim))
            // Whole ends (steps, lags, positions) read as whole numbers: "1 … 2300", not "1.00 … 2300.00".
            let digits = x.low == x.low.rounded() && x.high == x.high.rounded() ? 0 : 2
            let lo = OutputLayout.number(x.low, digits), hi = OutputLayout.number(x.high, digits), name = xLabel + " →"
            var below = CharGrid(rows: 1, cols: plotCols + 1)
            below.put(lo, row: 0, col: 0, .dim)
            below.put(hi, row: 0, col: plotCols + 1 - EastAsianWidth.cells(hi), .dim)
            below.put(name, row: 0, col: max(0, (plotCols + 1 - EastAsianWidth.cells(name)) / 2), .dim, onlyIfFree: true)
            var l = StyledLine(String(repeating: " ", count: yLabelWidth))
            for run in below.line(0).runs { l.append(run.text, run.emphasis) }
            out.append(l)
            return out
        }
    }

    // MARK: - Scatter

    static func scatter(_ s: Scatter, width: Int, height: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(s.title, width: width)
        let finite = s.points.filter { $0.x.isFinite && $0.y.isFinite }
        let frame = PlotFrame(width: width, rows: height - out.count - 3,
                              x: (finite.map(\.x).min() ?? 0, finite.map(\.x).max() ?? 1),
                              y: (finite.map(\.y).min() ?? 0, finite.map(\.y).max() ?? 1))
        var grid = CharGrid(rows: frame.plotRows, cols: frame.plotCols)
        let at = finite.map { (frame.row($0.y), frame.column($0.x)) }
        // 1. Every point first, so no label hides one; 2. then each label in the first free place on its point's row:
        //    right of the point, else left of it (a label a row or two away was read as another point's); 3. a point
        //    whose label has no room is marked 1…9 instead, and the labels are listed under the plot by their marks (a
        //    point on another's cell by the other's name).
        for (r, c) in at { grid.put("•", row: r, col: c, .accent) }
        var unplaced: [String] = [], marks = 0
        var shown: [Int: String] = [:]             // how a point can be found on the plot: its label or its mark
        for (i, (p, (r, c))) in zip(finite, at).enumerated() {
            let w = EastAsianWidth.cells(p.label)
            // A label needs its own cells and one free cell on each side (or the plot's edge) — only its own point
            // may touch it — so two labels never run together.
            func fits(_ start: Int) -> Bool {
                guard start >= 0, start + w <= grid.cols else { return false }
                return (max(0, start - 1)..<min(grid.cols, start + w + 1)).allSatisfy { col in
                    col == c || grid.isFree(row: r, col: col, width: 1)
                }
            }
            if let start = [c + 1, c - w].first(where: fits) {
                grid.put(p.label, row: r, col: start, .plain)
                shown[i] = p.label
            } else if let other = at.indices.first(where: { at[$0] == (r, c) && $0 != i && shown[$0] != nil }).flatMap({ shown[$0] }) {
                // On a point shown by its label or mark (two unlabelled points named each other: w17 explorer walk 7).
                let spaced = other.unicodeScalars.contains { $0.isASCII } ? " \(other) " : other
                unplaced.append(p.label + Learner.text(" (where \(other) is)", "（和\(spaced)在同一处）"))
            } else if marks < 9 {                                       // marked, also for the points on its cell
                marks += 1
                grid.put("\(marks)", row: r, col: c, .accent)
                shown[i] = "\(marks)"
                unplaced.append("\(marks) " + p.label)
            } else {
                unplaced.append(p.label)
            }
        }
        out += frame.lines(grid, xLabel: s.xLabel, yLabel: s.yLabel)
        if !unplaced.isEmpty {      // wrapped at the width, whole labels per line
            var line = Learner.text("no room to label:", "没地方标注的点：")
            for (k, label) in unplaced.enumerated() {
                // Chinese full-width punctuation carries its own space: "没地方标注的点：1 狗、2 巴黎".
                let item = Learner.text(" ", "") + label + (k + 1 < unplaced.count ? Learner.text(",", "、") : "")
                if EastAsianWidth.cells(line + item) > width { out.append(StyledLine(line, .dim)); line = "  " }
                line += item
            }
            out.append(StyledLine(line, .dim))
        }
        return out
    }

    // MARK: - Line plot

    static let seriesMarks = ["•", "∘", "×", "+", "◦", "▪"]

    static func linePlot(_ p: LinePlot, width: Int, height: Int) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(p.title, width: width)
        let xs = p.series.flatMap(\.x).filter(\.isFinite), ys = p.series.flatMap(\.y).filter(\.isFinite)
        let frame = PlotFrame(width: width, rows: height - out.count - 4,
                              x: (xs.min() ?? 0, xs.max() ?? 1), y: (ys.min() ?? 0, ys.max() ?? 1))
        var grid = CharGrid(rows: frame.plotRows, cols: frame.plotCols)
        let emphases: [Emphasis] = [.accent, .good, .bad, .strong, .plain, .dim]
        for (k, series) in p.series.enumerated() {
            let mark = seriesMarks[k % seriesMarks.count], e = emphases[k % emphases.count]
            let points = zip(series.x, series.y).filter { $0.0.isFinite && $0.1.isFinite }.sorted { $0.0 < $1.0 }
            guard let first = points.first, let last = points.last else { continue }
            // y at every column inside the series' x range, by linear interpolation between its points.
            var j = 0
            for c in 0..<frame.plotCols {
                let x = frame.x.low + (frame.x.high - frame.x.low) * Double(c) / Double(frame.plotCols - 1)
                guard x >= first.0 - 1e-12, x <= last.0 + 1e-12 else { continue }
                while j + 1 < points.count && points[j + 1].0 < x { j += 1 }
                let a = points[j], b = j + 1 < points.count ? points[j + 1] : points[j]
                let y = b.0 > a.0 ? a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0) : a.1
                grid.put(mark, row: frame.row(y), col: c, e)
            }
        }
        out += frame.lines(grid, xLabel: p.xLabel, yLabel: p.yLabel)
        var legend = StyledLine()
        for (k, series) in p.series.enumerated() {
            legend.append(seriesMarks[k % seriesMarks.count] + " ", emphases[k % emphases.count])
            legend.append(series.name + "  ")
        }
        out.append(legend)
        return out
    }
}
