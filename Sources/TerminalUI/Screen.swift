// Screen — where the lab draws: a grid of cells, `rows` × `cols`, addressed by display cells (a CJK character
// takes two). Pages and Output renderers draw only through this protocol, so the same drawing code runs on ncurses
// (`CursesScreen`) and on `MemoryScreen`, the in-memory terminal that renderer and page tests compare to golden text.

import Lab
import LabCore

/// How a run of text looks. Colour is a role, not a number: the screen maps roles to what the terminal can show
/// (none at all under NO_COLOR or on a monochrome terminal).
public struct TextStyle: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let bold      = TextStyle(rawValue: 1 << 0)
    public static let dim       = TextStyle(rawValue: 1 << 1)
    public static let reverse   = TextStyle(rawValue: 1 << 2)
    public static let underline = TextStyle(rawValue: 1 << 3)
    /// Headings, the selected item, kept beams.
    public static let accent    = TextStyle(rawValue: 1 << 4)
    /// Processed / chosen values: the sampled token, the nucleus.
    public static let good      = TextStyle(rawValue: 1 << 5)
    /// Pruned beams, errors, cut-off probability mass.
    public static let bad       = TextStyle(rawValue: 1 << 6)
    /// Code and lab cells.
    public static let code      = TextStyle(rawValue: 1 << 7)

    public static let plain: TextStyle = []
}

public protocol Screen: AnyObject {
    var rows: Int { get }
    var cols: Int { get }
    /// Blanks every cell.
    func clear()
    /// Writes `text` from (row, col) on one line, clipped at the right edge by display width; a wide character that
    /// would straddle the edge is not drawn. Rows or columns outside the screen draw nothing. Control characters are
    /// drawn as their pictures (VisibleText.picture: ⏎, ⇥, ␛), one cell each.
    func put(_ text: String, row: Int, col: Int, style: TextStyle)
    /// Where the terminal cursor should rest (the input line); nil hides it.
    func setCursor(row: Int, col: Int)
    func hideCursor()
    /// Makes what was drawn visible.
    func present()
}

extension Screen {
    public func put(_ text: String, row: Int, col: Int) { put(text, row: row, col: col, style: .plain) }
}

/// An in-memory terminal: what tests draw on and compare, cell by cell, with golden screens.
public final class MemoryScreen: Screen {
    public private(set) var rows: Int
    public private(set) var cols: Int
    /// One entry per cell: the character drawn there, "" for the right half of a wide character.
    private var cells: [[String]]
    private var styles: [[TextStyle]]
    public private(set) var cursor: (row: Int, col: Int)?
    public private(set) var presentCount = 0

    public init(rows: Int, cols: Int) {
        precondition(rows > 0 && cols > 0)
        self.rows = rows
        self.cols = cols
        cells = Array(repeating: Array(repeating: " ", count: cols), count: rows)
        styles = Array(repeating: Array(repeating: .plain, count: cols), count: rows)
    }

    /// Changes the size (as a terminal resize does) and blanks the screen.
    public func resize(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
        clear()
    }

    public func clear() {
        cells = Array(repeating: Array(repeating: " ", count: cols), count: rows)
        styles = Array(repeating: Array(repeating: .plain, count: cols), count: rows)
    }

    public func put(_ text: String, row: Int, col: Int, style: TextStyle) {
        guard row >= 0, row < rows else { return }
        var c = col
        for ch in text {
            if let first = ch.unicodeScalars.first, VisibleText.picture(of: first) != nil {   // "\r\n" is one Character
                let shown = String(String.UnicodeScalarView(ch.unicodeScalars.map { VisibleText.picture(of: $0) ?? $0 }))
                put(shown, row: row, col: c, style: style)
                c += EastAsianWidth.cells(shown)
                continue
            }
            let s = String(ch)
            let w = EastAsianWidth.cells(s)
            if w == 0 {
                // A combining mark joins the character before it.
                if c > 0, c - 1 < cols, c - 1 >= 0 { cells[row][c - 1] += s }
                continue
            }
            if c + w > cols { break }
            if c >= 0 {
                // Overwriting half of a wide character blanks its other half.
                if cells[row][c] == "", c > 0 { cells[row][c - 1] = " " }
                if c + w < cols, cells[row][c + w] == "" { cells[row][c + w] = " " }
                cells[row][c] = s
                styles[row][c] = style
                if w == 2 { cells[row][c + 1] = ""; styles[row][c + 1] = style }
            }
            c += w
        }
    }

    public func setCursor(row: Int, col: Int) { cursor = (row, col) }
    public func hideCursor() { cursor = nil }
    public func present() { presentCount += 1 }

    /// Row `r` as text, trailing spaces trimmed.
    public func line(_ r: Int) -> String {
        var s = cells[r].joined()
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }

    /// The whole screen as text, one line per row (trailing spaces trimmed) — the golden-screen format.
    public var text: String { (0..<rows).map(line).joined(separator: "\n") }

    /// One cell: the character drawn there ("" for the right half of a wide character) and its style.
    public struct Cell: Equatable {
        public var text: String
        public var style: TextStyle
    }

    /// Row `r` cell by cell (CursesScreen hands these to curses).
    public func cells(row r: Int) -> [Cell] { zip(cells[r], styles[r]).map { Cell(text: $0, style: $1) } }

    /// The style of the cell at (row, col).
    public func style(row: Int, col: Int) -> TextStyle { styles[row][col] }
}
