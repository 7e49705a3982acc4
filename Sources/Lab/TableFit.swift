// TableFit — a table's columns fitted to a line, and each cell's lines within its column: the one cell wrapping
// behind both table renderers, OutputLayout.table (a command's tables) and TerminalUI's LessonPageLayout.table (a
// lesson's own).
//
// A table wider than its line gives way in this order, stopping as soon as it fits:
//   1. headers wrap down to the width of their column's cells (a short header — a word of at most 8 cells, such as
//      "词元数" — stays whole until step 4), and bars (a cell ending in █…) get shorter, all of a column's alike, so
//      its rows still compare;
//   2. the gap between columns narrows to the caller's narrow one;
//   3. cells wrap onto more lines at spaces and between CJK characters, the widest column first, never inside a word;
//   4. words wider than their column break.
// Nothing is cut, unless a table does not fit even with every column 3 cells wide: then the caller's line is.
// A table of prose (a lesson's own) takes 3 before 2: its cells wrap at words before the gap narrows, so a column of
// Chinese keeps " │ " at 60 columns instead of running into the next (walk 15).

import LabCore

public struct TableFit: Equatable, Sendable {
    /// Each column's width in cells.
    public let widths: [Int]
    /// True when the columns are set apart by the narrow gap.
    public let narrow: Bool
    /// Per column of bars: the widest text left of them and the longest bar, in cells.
    private let bars: [BarColumn?]

    struct BarColumn: Equatable, Sendable {
        var fixed: Int, longest: Int
        /// The narrowest the column gets before its cells wrap: 4 cells of bar.
        var least: Int { fixed + min(longest, 4) }
    }

    /// Fits `header` and `rows` (each as long as `header`) into `width` cells with `gap` cells between columns, or
    /// `narrowGap` when wrapping headers and shortening bars is not enough — for `prose`, when wrapping its cells
    /// at words is not enough either.
    public init(header: [String], rows: [[String]], width: Int, gap: Int, narrowGap: Int, prose: Bool = false) {
        let n = header.count
        let cells = (0..<n).map { c in rows.map { $0[c] } }
        let natural = (0..<n).map { c in ([header[c]] + cells[c]).map(EastAsianWidth.cells).max() ?? 0 }
        let bars = cells.map(Self.barColumn)
        let headerWord = header.map(Self.longestHeaderWord), headerPiece = header.map(Self.longestWord)
        // How narrow each column may get: its header's measure, its bars' least, else its cells' measure.
        func floor(_ header: [Int], _ cell: (String) -> Int) -> [Int] {
            (0..<n).map { c in min(natural[c], max(header[c], bars[c]?.least ?? cells[c].map(cell).max() ?? 0)) }
        }
        // 1. Headers wrap down to their cells' width, bars shorten.
        let first = floor(headerWord, EastAsianWidth.cells)
        // 3. Cells wrap between words, a short Chinese header kept whole while they can; 4. words break.
        let word = floor(headerWord, Self.longestWord)
        let wordOrHeaderPiece = floor(headerPiece, Self.longestWord)
        let sum = { (w: [Int]) in w.reduce(0, +) }
        // 2. The narrow gap, when the table does not fit with only its headers wrapped and its bars shortened.
        narrow = n > 1 && sum(prose ? word : first) + gap * (n - 1) > width
        let room = width - (narrow ? narrowGap : gap) * max(0, n - 1)
        var widths = natural
        for floor in [first, word, wordOrHeaderPiece, natural.map { min($0, 3) }] {
            while sum(widths) > room,
                  let widest = widths.indices.filter({ widths[$0] > floor[$0] }).max(by: { widths[$0] < widths[$1] }) {
                widths[widest] -= 1
            }
        }
        self.widths = widths
        self.bars = bars
    }

    /// The lines of `cell` in `column`, each at most the column's width (not padded): the cell itself when it fits,
    /// with its bar shortened as the column's others are, or its text wrapped.
    public func lines(_ cell: String, column c: Int) -> [String] {
        let width = widths[c]
        if let bar = bars[c], bar.fixed + bar.longest > width, width > bar.fixed,
           let (head, eighths) = Self.splitBar(cell) {
            let scaled = max(1, Int((Double(eighths * (width - bar.fixed)) / Double(bar.longest)).rounded()))
            let part = scaled % 8 > 0 ? String(Self.eighths[scaled % 8 - 1]) : ""
            return [head + String(repeating: "█", count: scaled / 8) + part]
        }
        guard EastAsianWidth.cells(cell) > width else { return [cell] }
        return OutputLayout.text(OutputText(cell), width: width).map { OutputLayout.trimmedRight($0.text) }
    }

    /// The lines of a row of `cells`, as many as its tallest cell has, each a list of the cells' pieces padded to their
    /// columns' widths (`align` says how, by column): what a renderer joins with its own separator and styles.
    public func rowLines(_ cells: [String], align: (Int) -> ColumnAlignment = { _ in .left }) -> [[String]] {
        let pieces = cells.enumerated().map { c, s in lines(s, column: c) }
        return (0..<(pieces.map(\.count).max() ?? 1)).map { k in
            pieces.enumerated().map { c, p in
                EastAsianWidth.pad(k < p.count ? p[k] : "", toCells: widths[c], align: align(c))
            }
        }
    }

    /// The rule under the header: each column's width of ─, `joint` between columns.
    public func rule(joinedBy joint: String) -> String {
        widths.map { String(repeating: "─", count: $0) }.joined(separator: joint)
    }

    // MARK: - Measures

    static let eighths = Array("▏▎▍▌▋▊▉")

    /// The widest piece a line may not break inside (a word, or a CJK character with the marks that keep to it).
    static func longestWord(_ s: String) -> Int {
        OutputLayout.breakable(s).map { EastAsianWidth.cells(OutputLayout.trimmedRight($0)) }.max() ?? 0
    }

    /// The narrowest a header wraps to while the cells can still wrap between words: its longest word, a word of at
    /// most 8 cells (a Chinese header of up to four characters) taken whole — "词元数" stood one character per line at
    /// 60 columns while the label column beside it kept its room (walk 16). Before a cell's word would break, such a
    /// header wraps after all (`longestWord`): a model name cut mid-word is worse (review 16).
    static func longestHeaderWord(_ s: String) -> Int {
        s.split(separator: " ").map { word in
            let cells = EastAsianWidth.cells(String(word))
            return cells <= 8 ? cells : longestWord(String(word))
        }.max() ?? 0
    }

    /// A cell ending in a bar: the text before it and the bar's length in eighths of a cell; nil without a bar.
    static func splitBar(_ cell: String) -> (head: String, eighths: Int)? {
        var head = Substring(cell), eighths = 0
        while let last = head.last {
            if last == "█" { eighths += 8 }
            else if let k = Self.eighths.firstIndex(of: last) { eighths += k + 1 }
            else { break }
            head = head.dropLast()
        }
        return eighths > 0 ? (String(head), eighths) : nil
    }

    /// A column of bars: a cell ends in one, or has none ("5.0% " with a share too small to draw).
    static func barColumn(_ cells: [String]) -> BarColumn? {
        var fixed = 0, longest = 0
        for cell in cells {
            let (head, eighths) = splitBar(cell) ?? (cell, 0)
            fixed = max(fixed, EastAsianWidth.cells(head))
            longest = max(longest, (eighths + 7) / 8)
        }
        return longest > 0 ? BarColumn(fixed: fixed, longest: longest) : nil
    }
}
