// LessonTextWrap — lesson prose and cell text cut into screen lines by display width: prose at spaces and between
// CJK characters (never against the kinsoku rules), output lines and commands at the last space or CJK boundary that
// fits, keeping their indentation, and anything without either at the width.

import Lab

extension LessonPageLayout {
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
            if glueNext || Kinsoku.neverStartsLine(first), let last = atoms.last, !last.isSpace {
                atoms[atoms.count - 1].pieces.append(Segment(text, style))
            } else {
                atoms.append(([Segment(text, style)], false))
            }
            glueNext = Kinsoku.neverEndsLine(text.unicodeScalars.last!)
        }
        for seg in segments {
            var word = ""
            func flush() { if !word.isEmpty { add(word, seg.style); word = "" } }
            for ch in seg.text {
                if ch == " " || ch == "\n" { flush(); add(" ", seg.style, isSpace: true) }
                else if EastAsianWidth.cells(String(ch)) >= 2 { flush(); add(String(ch), seg.style) }
                else { word.append(ch) }
            }
            flush()
        }
        var lines: [[Segment]] = [[]]
        var used = 0
        func append(_ text: String, _ style: TextStyle) {
            if var last = lines[lines.count - 1].last, last.style == style {
                last.text += text
                lines[lines.count - 1][lines[lines.count - 1].count - 1] = last
            } else {
                lines[lines.count - 1].append(Segment(text, style))
            }
            used += EastAsianWidth.cells(text)
        }
        func newLine() {
            // Trailing spaces are not drawn.
            if var last = lines[lines.count - 1].last {
                while last.text.hasSuffix(" ") { last.text.removeLast() }
                lines[lines.count - 1][lines[lines.count - 1].count - 1] = last
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
    /// row stays under its column.
    static func wrapOutputLine(_ s: String, width: Int) -> [String] {
        let w = max(2, width)
        var rest = Array(s)
        let indent = min(rest.prefix { $0 == " " }.count, w / 3)
        var pieces: [String] = []
        while true {
            let lead = pieces.isEmpty ? [] : [Character](repeating: " ", count: indent)
            var used = lead.count, fit = 0                       // fit: how many characters of `rest` fit
            while fit < rest.count {
                let cw = EastAsianWidth.cells(String(rest[fit]))
                if used + cw > w { break }
                used += cw; fit += 1
            }
            if fit == rest.count { pieces.append(String(lead + rest)); return pieces }
            var cut = max(1, fit), skip = 0
            if let good = lastBreak(rest, fit: fit, indent: indent) {
                (cut, skip) = good
            } else {
                // Kinsoku: no closing mark at the start of the next piece, no opening mark at the end of this one.
                while cut > 1, cut > fit - 3, Kinsoku.neverStartsLine(rest[cut].unicodeScalars.first!)
                        || Kinsoku.neverEndsLine(rest[cut - 1].unicodeScalars.first!) { cut -= 1 }
                if cut <= fit - 3 || cut == 1 { cut = max(1, fit) }
            }
            var piece = lead + rest[..<cut]
            if skip == 1 { while piece.last == " " && piece.count > lead.count { piece.removeLast() } }   // runs of spaces
            pieces.append(String(piece))
            rest = Array(rest[(cut + skip)...].drop { $0 == " " })
            if rest.isEmpty { return pieces }
        }
    }

    /// The last place within the first `fit` characters where an output line breaks well, if one leaves at least a
    /// third of the line: a space (cut there, skip it), or beside a wide (CJK) character where kinsoku allows — so
    /// "…在 26 个 logit 向量上比较…" fills the line up to 比较 rather than stopping at the space after "logit".
    private static func lastBreak(_ rest: [Character], fit: Int, indent: Int) -> (cut: Int, skip: Int)? {
        func wide(_ c: Character) -> Bool { EastAsianWidth.cells(String(c)) >= 2 }
        var p = fit
        while p > indent, p >= max(1, fit / 3) {
            if rest[p] == " " { return (p, 1) }
            else if rest[p - 1] != " ", wide(rest[p - 1]) || wide(rest[p]),
                    !Kinsoku.neverStartsLine(rest[p].unicodeScalars.first!),
                    !Kinsoku.neverEndsLine(rest[p - 1].unicodeScalars.first!) { return (p, 0) }
            p -= 1
        }
        return nil
    }

    /// Cuts a line into pieces of at most `width` cells, never splitting a wide character.
    static func hardWrap(_ s: String, width: Int) -> [String] {
        let w = max(2, width)
        var pieces: [String] = []
        var cur = ""
        var used = 0
        for ch in s {
            let cw = EastAsianWidth.cells(String(ch))
            if used + cw > w { pieces.append(cur); cur = ""; used = 0 }
            cur.append(ch)
            used += cw
        }
        pieces.append(cur)
        return pieces
    }
}
