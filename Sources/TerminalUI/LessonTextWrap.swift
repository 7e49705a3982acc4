// LessonTextWrap — lesson prose and cell text cut into screen lines by display width: prose at spaces and between
// CJK characters (never against the kinsoku rules), output lines and commands at the last space or CJK boundary that
// fits, keeping their indentation, and anything without either at the width.

import Lab

extension LessonPageLayout {
    /// A page's status message on the rows just above `row` (the screen's bottom): wrapped at `cols`, at most three
    /// rows, over what stood there — a long one (a failed editor and its fix, a file changed elsewhere) is read whole.
    static func putMessage(_ message: String, on screen: Screen, above row: Int, cols: Int) {
        let pieces = message.split(separator: "\n").flatMap { wrapOutputLine(String($0), width: cols) }.prefix(3)
        for (k, piece) in pieces.enumerated() {
            let r = row - pieces.count + k
            screen.put(String(repeating: " ", count: cols), row: r, col: 0)
            screen.put(EastAsianWidth.truncate(piece, toCells: cols), row: r, col: 0, style: .accent)
        }
    }

    /// A line of Markdown (a quiz's question, hint, explanation) as the prose draws it.
    static func styled(_ markdown: String, base: TextStyle = .plain) -> [Segment] {
        styled(InlineSpan.parse(markdown), base: base)
    }

    static func styled(_ spans: [InlineSpan], base: TextStyle = .plain) -> [Segment] {
        spans.map { s in
            switch s.kind {
            case .text: return Segment(s.text, base)
            case .emphasis: return Segment(s.text, base.union(.underline))
            case .strong: return Segment(s.text, base.union(.bold))
            case .code: return Segment(s.text, base.union(.code))
            case .link: return Segment(s.text, base.union([.underline, .accent]))
            }
        }
    }

    /// Greedy word wrap by display width: breaks at spaces, and between any two wide (CJK) characters — except
    /// where Chinese typesetting forbids it (kinsoku): a closing mark such as 。，」 never starts a line and an
    /// opening one such as （「 never ends one, so each travels with its neighbour.
    static func wrap(_ segments: [Segment], width: Int) -> [[Segment]] {
        let w = max(1, width)
        // Atoms: a Latin word, one space, or one wide character (with the marks that must stay beside it) — each a
        // run of styled pieces, never broken inside unless it is wider than the line.
        var atoms: [(pieces: [Segment], isSpace: Bool)] = []
        var glueNext = false          // the last atom ends in an opening mark: the next one joins it
        func add(_ text: String, _ style: TextStyle, isSpace: Bool = false) {
            if isSpace { atoms.append(([Segment(text, style)], true)); glueNext = false; return }
            let first = text.unicodeScalars.first!
            // The last atom is tested in place: a copy of it alive here would make each append copy its pieces.
            if glueNext || Kinsoku.neverStartsLine(first), !atoms.isEmpty, !atoms[atoms.count - 1].isSpace {
                atoms[atoms.count - 1].pieces.append(Segment(text, style))
            } else {
                atoms.append(([Segment(text, style)], false))
            }
            glueNext = Kinsoku.neverEndsLine(text.unicodeScalars.last!)
        }
        for seg in segments {
            // Short inline code is one atom: a label's leading space (`" positive"`) is what lesson 2 teaches, and a
            // break after its opening quote hid it (walk 16).
            if seg.style.contains(.code), seg.text.contains(" "), EastAsianWidth.cells(seg.text) <= w / 2 {
                add(seg.text, seg.style)
                continue
            }
            var word = ""
            func flush() { if !word.isEmpty { add(word, seg.style); word = "" } }
            for ch in seg.text {
                if ch == " " || ch == "\n" { flush(); add(" ", seg.style, isSpace: true) }
                else if EastAsianWidth.cells(ch) >= 2 { flush(); add(String(ch), seg.style) }
                else { word.append(ch) }
            }
            flush()
        }
        var lines: [[Segment]] = [[]]
        var used = 0
        // The line's last segment is changed in place: a copy of it would copy its text on every append.
        func append(_ text: String, _ style: TextStyle) {
            let l = lines.count - 1
            if let k = lines[l].indices.last, lines[l][k].style == style {
                lines[l][k].text += text
            } else {
                lines[l].append(Segment(text, style))
            }
            used += EastAsianWidth.cells(text)
        }
        func newLine() {
            // Trailing spaces are not drawn.
            let l = lines.count - 1
            if let k = lines[l].indices.last {
                while lines[l][k].text.hasSuffix(" ") { lines[l][k].text.removeLast() }
            }
            lines.append([]); used = 0
        }
        for atom in atoms {
            let tw = atom.pieces.reduce(0) { $0 + EastAsianWidth.cells($1.text) }
            if atom.isSpace {
                if used == 0 { continue }
                if used + 1 > w { newLine(); continue }
                append(atom.pieces[0].text, atom.pieces[0].style)
                continue
            }
            if used + tw > w && used > 0 { newLine() }
            if tw > w {
                for piece in atom.pieces {
                    for part in hardWrap(piece.text, width: w) {
                        if used + EastAsianWidth.cells(part) > w { newLine() }
                        append(part, piece.style)
                    }
                }
                continue
            }
            for piece in atom.pieces { append(piece.text, piece.style) }
        }
        if lines.count > 1 && lines[lines.count - 1].isEmpty { lines.removeLast() }
        return lines.map { $0.filter { !$0.text.isEmpty } }
    }

    /// Wraps one line of a cell's output to `width` cells: at the last space (dropped) or wide-character boundary that
    /// fits, unless that would leave less than a third of the line, else anywhere (never inside a wide character).
    /// Continuation lines keep the line's own indentation (up to a third of the width), so an indented ledger
    /// row stays under its column. Linear in the line's length: each row is read from an index into the line, never
    /// copied out of what is left of it (a 3 MB cell line once took minutes, on every redraw).
    static func wrapOutputLine(_ s: String, width: Int) -> [String] {
        let w = max(2, width)
        let line = Array(s)
        let indent = min(line.prefix { $0 == " " }.count, w / 3)
        let opening = openingQuotes(line)
        var start = 0                                            // the first character not yet on a row
        var pieces: [String] = []
        while true {
            let lead = pieces.isEmpty ? 0 : indent
            var used = lead, fit = 0                             // fit: how many characters from `start` fit
            while start + fit < line.count {
                let cw = EastAsianWidth.cells(line[start + fit])
                if used + cw > w { break }
                used += cw; fit += 1
            }
            let leadText = String(repeating: " ", count: lead)
            if start + fit == line.count { pieces.append(leadText + String(line[start...])); return pieces }
            var cut = max(1, fit), skip = 0
            if let good = lastBreak(line, from: start, fit: fit, indent: indent, opening: opening) {
                (cut, skip) = good
            } else {
                // Kinsoku: no closing mark at the start of the next piece, no opening mark at the end of this one.
                while cut > 1, cut > fit - 3, Kinsoku.neverStartsLine(line[start + cut].unicodeScalars.first!)
                        || Kinsoku.neverEndsLine(line[start + cut - 1].unicodeScalars.first!) { cut -= 1 }
                if cut <= fit - 3 || cut == 1 { cut = max(1, fit) }
            }
            var end = start + cut
            if skip == 1 { while end > start && line[end - 1] == " " { end -= 1 } }   // runs of spaces
            pieces.append(leadText + String(line[start..<end]))
            start += cut + skip
            while start < line.count && line[start] == " " { start += 1 }
            if start == line.count { return pieces }
        }
    }

    /// The last place within the `fit` characters from `line[start]` where an output line breaks well, if one leaves
    /// at least a third of the line: a space (cut there, skip it), or beside a wide (CJK) character where kinsoku
    /// allows — so "…在 26 个 logit 向量上比较…" fills the line up to 比较 rather than stopping at the space after
    /// "logit". Positions are counted from `start`.
    private static func lastBreak(_ line: [Character], from start: Int, fit: Int, indent: Int,
                                  opening: Set<Int>) -> (cut: Int, skip: Int)? {
        func wide(_ c: Character) -> Bool { EastAsianWidth.cells(c) >= 2 }
        var p = fit
        while p > indent, p >= max(1, fit / 3) {
            let here = line[start + p], before = line[start + p - 1]
            // Not right after an opening quote: `--labels "` / `food, …` lost the label's leading space.
            if here == " ", !opening.contains(start + p - 1) { return (p, 1) }
            else if before != " ", wide(before) || wide(here),
                    !Kinsoku.neverStartsLine(here.unicodeScalars.first!),
                    !Kinsoku.neverEndsLine(before.unicodeScalars.first!) { return (p, 0) }
            p -= 1
        }
        return nil
    }

    /// The positions of the line's opening double quotes (the 1st, 3rd, … unescaped `"`), found in one pass: counting
    /// the quotes before each candidate break made a long line's wrapping quadratic (review 16).
    static func openingQuotes(_ line: [Character]) -> Set<Int> {
        var found = Set<Int>(), inside = false
        for i in line.indices where line[i] == "\"" && (i == 0 || line[i - 1] != "\\") {
            if !inside { found.insert(i) }
            inside.toggle()
        }
        return found
    }

    /// Cuts a line into pieces of at most `width` cells, never splitting a wide character.
    static func hardWrap(_ s: String, width: Int) -> [String] {
        let w = max(2, width)
        var pieces: [String] = []
        var cur = ""
        var used = 0
        for ch in s {
            let cw = EastAsianWidth.cells(ch)
            if used + cw > w { pieces.append(cur); cur = ""; used = 0 }
            cur.append(ch)
            used += cw
        }
        pieces.append(cur)
        return pieces
    }
}
