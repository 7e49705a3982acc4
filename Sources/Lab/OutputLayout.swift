// OutputLayout — lays any `Output` out as lines of styled text at a given width (and, for pictures, height).
//
// One layout serves every renderer, so what `lmlab` prints and what the TUI draws are the same picture:
//   PlainRenderer   joins the lines' text (no escape codes) for the CLI, the REPL and `lmlab lesson run`;
//   OutputView      (TerminalUI) puts each run on a Screen with its style, clipped to a rectangle.
// Widths are display cells from `EastAsianWidth` (a CJK character takes 2), never Character counts, and never
// the locale, so golden screens are the same on every machine. No line is wider than `width`.

import Foundation

/// A run of text with one emphasis.
public struct StyledRun: Sendable, Equatable {
    public var text: String
    public var emphasis: Emphasis
    public init(_ text: String, _ emphasis: Emphasis = .plain) { self.text = text; self.emphasis = emphasis }
}

/// One line of laid-out output.
public struct StyledLine: Sendable, Equatable {
    public var runs: [StyledRun] = []
    public init() {}
    public init(_ text: String, _ emphasis: Emphasis = .plain) { runs = [StyledRun(text, emphasis)] }

    public mutating func append(_ text: String, _ emphasis: Emphasis = .plain) {
        guard !text.isEmpty else { return }
        if let last = runs.last, last.emphasis == emphasis { runs[runs.count - 1].text += text }
        else { runs.append(StyledRun(text, emphasis)) }
    }
    /// The text without styles.
    public var text: String { runs.map(\.text).joined() }
    /// Width in display cells.
    public var cells: Int { runs.reduce(0) { $0 + EastAsianWidth.cells($1.text) } }

    /// The line without spaces at its end (plain text never ends in spaces).
    public func trimmingTrailingSpaces() -> StyledLine {
        var out = self
        while let last = out.runs.last {
            var t = last.text
            while t.hasSuffix(" ") { t.removeLast() }
            if t.isEmpty { out.runs.removeLast(); continue }
            out.runs[out.runs.count - 1].text = t
            break
        }
        return out
    }

    /// The line cut to `width` cells (a wide character that would straddle the edge is dropped).
    public func clipped(to width: Int) -> StyledLine {
        var out = StyledLine()
        var used = 0
        for r in runs {
            if used >= width { break }
            let w = EastAsianWidth.cells(r.text)
            if used + w <= width { out.append(r.text, r.emphasis); used += w; continue }
            let t = EastAsianWidth.truncate(r.text, toCells: width - used, ellipsis: false)
            out.append(t, r.emphasis)
            used += EastAsianWidth.cells(t)
        }
        return out
    }
}

public enum OutputLayout {
    /// Rows a picture (scatter, line plot) takes when no height is given.
    public static let defaultPlotHeight = 14

    /// The lines of `output`, each at most `width` cells wide.
    /// - Parameter height: rows available; pictures fill it (nil: `defaultPlotHeight`). Text and tables ignore it
    ///   (a view scrolls them).
    public static func lines(_ output: Output, width: Int, height: Int? = nil) -> [StyledLine] {
        let w = max(8, width)
        let raw: [StyledLine]
        switch output {
        case .text(let t): raw = text(t, width: w)
        case .table(let t): raw = table(t, width: w)
        case .bars(let b): raw = bars(b, width: w)
        case .beamTree(let t): raw = beamTree(t, width: w)
        case .heatmap(let h): raw = heatmap(h, width: w)
        case .scatter(let s): raw = scatter(s, width: w, height: height ?? defaultPlotHeight)
        case .linePlot(let p): raw = linePlot(p, width: w, height: height ?? defaultPlotHeight)
        case .ledger(let l): raw = ledger(l, width: w)
        case .progress(let p): raw = progress(p, width: w)
        case .group(let g): raw = group(g, width: w, height: height)
        }
        return raw.map { $0.clipped(to: w).trimmingTrailingSpaces() }
    }

    // MARK: - Text

    /// Greedy word wrap; CJK text may break between any two characters; "\n" breaks the line.
    static func text(_ t: OutputText, width: Int) -> [StyledLine] {
        var lines: [StyledLine] = []
        var line = StyledLine()
        var used = 0
        // A continuation starts under the value, not at the margin, while a third of the line is left for it.
        let indent = min(t.hangingIndent ?? 0, width * 2 / 3)
        func flush() { lines.append(line); line = StyledLine(); used = 0 }
        for span in t.spans {
            for (i, paragraph) in span.text.components(separatedBy: "\n").enumerated() {
                if i > 0 { flush() }
                for piece in breakable(paragraph) {
                    let w = EastAsianWidth.cells(piece)
                    if used + w > width && used > 0 {
                        // A space at a break is dropped.
                        if let last = line.runs.indices.last, line.runs[last].text.hasSuffix(" ") {
                            line.runs[last].text.removeLast()
                        }
                        flush()
                        if indent > 0 { line.append(String(repeating: " ", count: indent), .plain); used = indent }
                        if piece == " " { continue }
                    }
                    var p = piece
                    while EastAsianWidth.cells(p) > width - used {      // a word longer than the line
                        let cut = EastAsianWidth.truncate(p, toCells: width - used, ellipsis: false)
                        let head = cut.isEmpty ? String(p.prefix(1)) : cut      // a wide character in one cell: go on
                        line.append(head, span.emphasis)
                        flush()
                        if indent > 0 { line.append(String(repeating: " ", count: indent), .plain); used = indent }
                        p = String(p.dropFirst(head.count))
                    }
                    line.append(p, span.emphasis)
                    used += EastAsianWidth.cells(p)
                }
            }
        }
        if !line.runs.isEmpty || lines.isEmpty { lines.append(line) }
        return lines
    }

    /// Pieces a line may break after: a word with its trailing spaces, or one wide (CJK) character — with a closing
    /// mark kept on the piece before it and an opening mark on the piece after it (Kinsoku), so no line starts with
    /// 。or ） and none ends with （.
    static func breakable(_ s: String) -> [String] {
        var merged: [String] = []
        for piece in unbrokenPieces(s) {
            if let previous = merged.last, !previous.hasSuffix(" "),
               let first = piece.unicodeScalars.first, Kinsoku.neverStartsLine(first) {
                merged[merged.count - 1] += piece
            } else if let last = merged.last?.unicodeScalars.last, Kinsoku.neverEndsLine(last) {
                merged[merged.count - 1] += piece
            } else {
                merged.append(piece)
            }
        }
        return merged
    }

    /// A word with its trailing spaces, or one wide (CJK) character, in order.
    private static func unbrokenPieces(_ s: String) -> [String] {
        var out: [String] = []
        var word = ""
        for ch in s {
            if EastAsianWidth.cells(ch) == 2 {
                if !word.isEmpty { out.append(word); word = "" }
                out.append(String(ch))
            } else if ch == " " {
                word.append(ch)
                out.append(word)
                word = ""
            } else {
                word.append(ch)
            }
        }
        if !word.isEmpty { out.append(word) }
        return out
    }

    /// A title wrapped at the width, not cut: "attention · layer 1 · head 0 (…) · rows (queries) attend to columns
    /// (keys)" is longer than 76 cells.
    static func titleLines(_ title: String?, width: Int) -> [StyledLine] {
        title.map { text(OutputText($0, .accent), width: width) } ?? []
    }

    // MARK: - Group

    static func group(_ g: OutputGroup, width: Int, height: Int?) -> [StyledLine] {
        var out: [StyledLine] = []
        out += titleLines(g.title, width: width)
        for (i, item) in g.items.enumerated() {
            if i > 0 { out.append(StyledLine()) }
            out += lines(item, width: width, height: nil)
        }
        return out
    }

    // MARK: - Shared pieces

    /// A horizontal bar of `fraction` × `width` cells, in eighths (█ and one of ▏▎▍▌▋▊▉), padded to `width`.
    public static func bar(_ fraction: Double, width: Int) -> String {
        guard width > 0 else { return "" }
        let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
        let eighths = Int((f * Double(width) * 8).rounded())
        let full = eighths / 8, rest = eighths % 8
        var s = String(repeating: "█", count: full)
        if rest > 0 { s.append(Array("▏▎▍▌▋▊▉")[rest - 1]) }
        return s + String(repeating: " ", count: width - full - (rest > 0 ? 1 : 0))
    }

    /// A number with `digits` decimals, "−" for negatives (U+2212 reads better than "-" next to bars); one that
    /// rounds to zero has no sign ("0.00", never "−0.00").
    static func number(_ v: Double, _ digits: Int) -> String {
        if v.isNaN { return "—" }
        if v.isInfinite { return v < 0 ? "−∞" : "∞" }
        let s = String(format: "%.\(digits)f", v)
        guard s.hasPrefix("-") else { return s }
        return s.dropFirst().allSatisfy { $0 == "0" || $0 == "." } ? String(s.dropFirst()) : "−" + s.dropFirst()
    }

    /// A probability: 4 decimals, or 3 significant digits in e-notation below 0.0001 (0 stays "0").
    static func probability(_ p: Double) -> String {
        if p == 0 { return "0" }
        if p < 0.0001 { return String(format: "%.2e", p) }
        return String(format: "%.4f", p)
    }
}
