// DisplayWidth — how many terminal cells a string takes, never by Character count.
//
// CJK ideographs and most emoji take 2 cells, combining marks 0, ASCII 1. Every table, bar and ledger the lab
// draws aligns its columns with these functions, so Chinese lessons line up like English ones.
// The widths come from Lab's `EastAsianWidth` (Unicode data, the same answers as glibc's wcwidth under C.UTF-8 for
// every code point it knows), so they do not move with the locale and golden screens are the same everywhere.
// ncurses itself still follows LC_CTYPE: call `TerminalLocale.activate()` once at start-up.

import Lab

/// TerminalUI's name for Lab's `EastAsianWidth` (one implementation; the terminal code reads better with it).
public enum DisplayWidth {
    /// Cells taken by one Unicode scalar: 0 for combining marks, zero-width and control characters, 2 for wide ones.
    @inline(__always)
    public static func of(_ scalar: Unicode.Scalar) -> Int { EastAsianWidth.cells(scalar) }

    /// Cells taken by a whole string.
    public static func of(_ s: String) -> Int { EastAsianWidth.cells(s) }

    /// The longest prefix of `s` that fits in `cells`, never splitting a wide character or a grapheme cluster;
    /// ends in "…" when cut and `ellipsis` is true.
    public static func truncate(_ s: String, toCells cells: Int, ellipsis: Bool = true) -> String {
        EastAsianWidth.truncate(s, toCells: cells, ellipsis: ellipsis)
    }

    /// `s` padded with spaces to exactly `cells` (truncated first when longer).
    public static func pad(_ s: String, toCells cells: Int, alignRight: Bool = false) -> String {
        EastAsianWidth.pad(s, toCells: cells, align: alignRight ? .right : .left)
    }
}
