// LessonParser — the line-by-line reader behind `LessonDocument(markdown:path:)`: prose blocks (headings,
// paragraphs, lists, tables, quotes) and fences; a ```lab fence becomes a cell (LessonCell.swift).

import Foundation

/// The line-by-line parser behind `LessonDocument(markdown:path:)`.
struct LessonParser {
    let path: String
    let lines: [String]
    var i = 0
    var cellCount = 0

    init(path: String, lines: [String]) {
        self.path = path
        self.lines = lines
    }

    func error(_ line: Int, _ message: String, _ hint: String) -> LessonDocumentError {
        LessonDocumentError(path: path, line: line, message: message, hint: hint)
    }

    mutating func parse() throws -> [LessonBlock] {
        var blocks: [LessonBlock] = []
        while i < lines.count {
            let line = lines[i]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { i += 1; continue }
            if let fence = Self.fenceOpening(trimmed) {
                blocks.append(try fencedBlock(fence))
            } else if Self.indentedCodeLine(line) != nil {
                blocks.append(indentedBlock())
            } else if let h = Self.heading(trimmed) {
                blocks.append(.heading(level: h.level, text: InlineSpan.parse(h.text)))
                i += 1
            } else if trimmed == "---" || trimmed == "***" || trimmed == "___" {
                blocks.append(.rule)
                i += 1
            } else if trimmed.hasPrefix("|") {
                blocks.append(try table())
            } else if trimmed.hasPrefix(">") {
                var text: [String] = []
                while i < lines.count {
                    let t = lines[i].trimmingCharacters(in: .whitespaces)
                    guard t.hasPrefix(">") else { break }
                    text.append(String(t.dropFirst()).trimmingCharacters(in: .whitespaces))
                    i += 1
                }
                blocks.append(.quote(InlineSpan.parse(Self.joinLines(text))))
            } else if Self.listMarker(line) != nil {
                blocks.append(list())
            } else {
                blocks.append(.paragraph(InlineSpan.parse(paragraphText())))
            }
        }
        return blocks
    }

    /// A line indented by four spaces (or a tab) without the indent — a line of an indented code block — or nil.
    static func indentedCodeLine(_ line: String) -> String? {
        if line.hasPrefix("\t") { return String(line.dropFirst()) }
        if line.hasPrefix("    ") { return String(line.dropFirst(4)) }
        return nil
    }

    /// An indented block (a formula, a prompt template, commands to type): preformatted lines, never re-flowed.
    /// Blank lines inside it are kept; it ends at the first line with less indentation.
    mutating func indentedBlock() -> LessonBlock {
        var body: [String] = []
        while i < lines.count {
            if let text = Self.indentedCodeLine(lines[i]) { body.append(text) }
            else if lines[i].trimmingCharacters(in: .whitespaces).isEmpty { body.append("") }
            else { break }
            i += 1
        }
        while body.last == "" { body.removeLast() }
        return .code(language: "", text: body.joined(separator: "\n"))
    }

    // MARK: Paragraphs and lists

    /// Joins lines up to a blank line or the start of another block.
    mutating func paragraphText() -> String {
        var parts: [String] = []
        while i < lines.count {
            let t = lines[i].trimmingCharacters(in: .whitespaces)
            if t.isEmpty || (!parts.isEmpty && startsBlock(lines[i])) { break }
            parts.append(t)
            i += 1
        }
        return Self.joinLines(parts)
    }

    /// Joins the source lines of one paragraph: with a space between Latin words, with nothing where a line ends or
    /// starts in Chinese (or Japanese) text, which has no spaces between words.
    static func joinLines(_ parts: [String]) -> String {
        var out = ""
        for p in parts {
            if let last = out.last, let first = p.first, !(isCJK(last) || isCJK(first)) { out += " " }
            out += p
        }
        return out
    }

    /// CJK ideographs, kana, CJK punctuation and full-width forms: the characters written without spaces between.
    static func isCJK(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x3000...0x30FF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
    }

    func startsBlock(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        return Self.fenceOpening(t) != nil || Self.heading(t) != nil || t.hasPrefix("|") || t.hasPrefix(">")
            || Self.listMarker(line) != nil || t == "---"
    }

    /// A list marker at the start of `line`: its indentation, whether numbered (and the number), and the text after it.
    static func listMarker(_ line: String) -> (indent: Int, number: Int?, text: String)? {
        let indent = line.prefix { $0 == " " }.count
        let rest = line.dropFirst(indent)
        if rest.hasPrefix("- ") || rest.hasPrefix("* ") || rest.hasPrefix("+ ") {
            return (indent, nil, String(rest.dropFirst(2)).trimmingCharacters(in: .whitespaces))
        }
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 3 {
            let after = rest.dropFirst(digits.count)
            if after.hasPrefix(". ") || after.hasPrefix(") ") {
                return (indent, Int(digits), String(after.dropFirst(2)).trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    /// A run of list items; indented lines that are not markers continue the item before them.
    mutating func list() -> LessonBlock {
        let first = Self.listMarker(lines[i])!
        let numbered = first.number != nil
        var items: [ListItem] = []
        var texts: [String] = []
        var indents: [Int] = []
        while i < lines.count {
            let line = lines[i]
            let t = line.trimmingCharacters(in: .whitespaces)
            if t.isEmpty {
                // A blank line ends the list unless the next line is another item of it.
                if i + 1 < lines.count, let next = Self.listMarker(lines[i + 1]), (next.number != nil) == numbered || next.indent > 0 {
                    i += 1; continue
                }
                break
            }
            if let m = Self.listMarker(line) {
                if m.indent == 0 && (m.number != nil) != numbered { break }
                // The level is the number of open, shallower indents: "- a" / "  - b" / "- c" → 0, 1, 0.
                if let idx = indents.firstIndex(where: { $0 >= m.indent }) { indents.removeSubrange(idx...) }
                indents.append(m.indent)
                items.append(ListItem(level: indents.count - 1, text: [], number: m.number))
                texts.append(m.text)
            } else if line.hasPrefix(" ") && !texts.isEmpty && !startsBlock(line) {
                texts[texts.count - 1] = Self.joinLines([texts[texts.count - 1], t])
            } else if !texts.isEmpty && !startsBlock(line) && !line.hasPrefix(" ") {
                // A lazy continuation line (no indent) still belongs to the item.
                texts[texts.count - 1] = Self.joinLines([texts[texts.count - 1], t])
            } else {
                break
            }
            i += 1
        }
        for k in items.indices { items[k].text = InlineSpan.parse(texts[k]) }
        return numbered ? .numberedList(items) : .bulletList(items)
    }

    // MARK: Tables

    static func tableCells(_ line: String) -> [String] {
        var t = line.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("|") { t.removeFirst() }
        if t.hasSuffix("|") && !t.hasSuffix("\\|") { t.removeLast() }
        // Split on unescaped pipes outside `code`.
        var cells: [String] = []
        var cur = ""
        var inCode = false
        var prev: Character = " "
        for ch in t {
            if ch == "`" { inCode.toggle() }
            if ch == "|" && !inCode && prev != "\\" { cells.append(cur); cur = ""; prev = ch; continue }
            if ch == "|" && prev == "\\" { cur.removeLast() }
            cur.append(ch)
            prev = ch
        }
        cells.append(cur)
        return cells.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    static func isSeparatorRow(_ cells: [String]) -> Bool {
        !cells.isEmpty && cells.allSatisfy { c in !c.isEmpty && c.allSatisfy { $0 == "-" || $0 == ":" } && c.contains("-") }
    }

    mutating func table() throws -> LessonBlock {
        let start = i + 1
        let header = Self.tableCells(lines[i])
        i += 1
        guard i < lines.count, Self.isSeparatorRow(Self.tableCells(lines[i])) else {
            throw error(start, "a table row without the |---| separator line under its header",
                        "put a line like |---|---| (one --- per column) under the table's first row.")
        }
        i += 1
        var rows: [[[InlineSpan]]] = []
        while i < lines.count, lines[i].trimmingCharacters(in: .whitespaces).hasPrefix("|") {
            var cells = Self.tableCells(lines[i])
            if cells.count > header.count {
                throw error(i + 1, "this table row has \(cells.count) cells but the header has \(header.count)",
                            "give every row the header's number of cells (escape a literal pipe as \\|).")
            }
            while cells.count < header.count { cells.append("") }
            rows.append(cells.map(InlineSpan.parse))
            i += 1
        }
        return .table(header: header.map(InlineSpan.parse), rows: rows)
    }

    // MARK: Headings and fences

    static func heading(_ t: String) -> (level: Int, text: String)? {
        let hashes = t.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes) else { return nil }
        let rest = t.dropFirst(hashes)
        guard rest.isEmpty || rest.hasPrefix(" ") else { return nil }
        return (hashes, rest.trimmingCharacters(in: .whitespaces))
    }

    /// The fence characters (``` or ~~~, three or more) and the info string, when `t` opens a fence.
    static func fenceOpening(_ t: String) -> (marker: String, info: String)? {
        for c in ["`", "~"] {
            let n = t.prefix { String($0) == c }.count
            if n >= 3 {
                return (String(repeating: c, count: n), String(t.dropFirst(n)).trimmingCharacters(in: .whitespaces))
            }
        }
        return nil
    }

    mutating func fencedBlock(_ fence: (marker: String, info: String)) throws -> LessonBlock {
        let openLine = i + 1
        i += 1
        var body: [(line: Int, text: String)] = []
        var closed = false
        while i < lines.count {
            let t = lines[i].trimmingCharacters(in: .whitespaces)
            if t.hasPrefix(fence.marker), t.allSatisfy({ String($0) == String(fence.marker.first!) }) {
                closed = true
                i += 1
                break
            }
            body.append((i + 1, lines[i]))
            i += 1
        }
        guard closed else {
            throw error(openLine, "the fence \(fence.marker)\(fence.info) is never closed",
                        "end the block with a line holding only \(fence.marker).")
        }
        let infoWords = fence.info.split(separator: " ").map(String.init)
        let language = infoWords.first ?? ""
        switch language {
        case "lab":
            return .cell(try cell(infoWords.dropFirst(), openLine: openLine, body: body))
        case "quiz":
            return .quiz(try Quiz(lines: body, path: path, fenceLine: openLine))
        default:
            return .code(language: language, text: body.map(\.text).joined(separator: "\n"))
        }
    }
}
