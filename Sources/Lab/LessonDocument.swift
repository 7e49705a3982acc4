// LessonDocument — one lesson notebook (Lessons/<lang>/NN-slug.md) parsed into blocks.
//
// A lesson is Markdown with two kinds of fenced block that do something (DESIGN.md, "Lessons are notebooks"):
//
//   ```lab id=greedy-vs-beam        a cell: one or more lines of the command language, run in order in the
//   # ernie-only                    lesson's session; a first line `# ernie-only` marks a cell that needs the
//   generate "I love" --greedy      real ERNIE weights (without them it prints how to get them instead).
//   ```
//
//   ```quiz                         a quiz: `key: value` lines (Quiz.swift), answered in the notebook.
//   id: decoding-greedy-beam
//   ```
//
// Everything else is prose the reader draws: headings, paragraphs with *emphasis*, **strong** and `code`, bullet and
// numbered lists, tables, block quotes, fenced and indented code (shown as it is written, never run). The parser is line based and strict about
// what it owns (cells, quizzes, unclosed fences): a mistake there fails with the file, the line and the fix, so CI's
// `lmlab lesson run` catches a broken lesson before a learner does.

import Foundation

/// One block of a lesson, in reading order.
public enum LessonBlock: Equatable, Sendable {
    /// `#` … `######`.
    case heading(level: Int, text: [InlineSpan])
    case paragraph([InlineSpan])
    /// `> …` lines.
    case quote([InlineSpan])
    /// `- item` / `* item` (level 0, 1, … by indentation).
    case bulletList([ListItem])
    /// `1. item`.
    case numberedList([ListItem])
    /// A pipe table: header cells, then rows of cells.
    case table(header: [[InlineSpan]], rows: [[[InlineSpan]]])
    /// Fenced or indented code, shown line for line and never run; `language` is the fence's info word ("swift",
    /// "text", "" for none and for an indented block).
    case code(language: String, text: String)
    case cell(LabCell)
    case quiz(Quiz)
    /// `---`.
    case rule
}

/// One list item: its nesting level (0 = top) and its text.
public struct ListItem: Equatable, Sendable {
    public var level: Int
    public var text: [InlineSpan]
    /// The number written before a numbered item (`3.` → 3); nil for bullets.
    public var number: Int?
}

/// A ```lab cell: command-language lines run in order in the lesson's session.
public struct LabCell: Equatable, Sendable {
    /// `id=…` on the fence, or `cell-N` (N counts cells from 1) when the fence has none.
    public var id: String
    /// True when the fence named the id (zh/en twins are compared by id, so lessons should name their cells).
    public var hasExplicitId: Bool
    /// The lines to run, in order (comments and blank lines removed).
    public var commands: [String]
    /// True when the first line is `# ernie-only`: the cell needs the real ERNIE weights.
    public var ernieOnly: Bool
    /// 1-based line of the opening fence in the lesson file.
    public var line: Int
    /// 1-based line of each command in the lesson file (parallel to `commands`).
    public var commandLines: [Int]
    /// Position among the lesson's cells, from 0.
    public var index: Int
}

/// A lesson file, parsed.
public struct LessonDocument: Sendable {
    /// The file it was read from (as given), used in every error message.
    public let path: String
    public let blocks: [LessonBlock]

    /// The lab cells in order.
    public var cells: [LabCell] {
        blocks.compactMap { if case .cell(let c) = $0 { return c } else { return nil } }
    }

    /// The quizzes in order.
    public var quizzes: [Quiz] {
        blocks.compactMap { if case .quiz(let q) = $0 { return q } else { return nil } }
    }

    /// The text of the first level-1 heading, or the file name.
    public var title: String {
        for b in blocks { if case .heading(1, let t) = b { return InlineSpan.plainText(t) } }
        return (path as NSString).lastPathComponent
    }

    /// The cell with this id.
    public func cell(id: String) -> LabCell? { cells.first { $0.id == id } }

    /// True when the first level-1 heading exists (`title` falls back to the file name without one).
    public var hasTitle: Bool {
        blocks.contains { if case .heading(1, _) = $0 { return true } else { return false } }
    }

    /// Checks that this is a lesson a notebook can run — a `# Title` and at least one ```lab cell — so that running
    /// any other file (a README, /etc/passwd) is an error instead of a pass with nothing run.
    /// - Throws: `LessonDocumentError` saying which is missing.
    public func requireRunnable() throws {
        guard hasTitle else {
            throw LessonDocumentError(path: path, line: nil, message: "not a lesson: it has no `# Title` line",
                                      hint: "a lesson is Markdown that starts with `# Title` and has ```lab cells; `lmlab lesson list` shows the course's lessons.")
        }
        guard !cells.isEmpty else {
            throw LessonDocumentError(path: path, line: nil, message: "no ```lab cells to run",
                                      hint: "add a cell (a ```lab fence around lab commands), or run a course lesson (`lmlab lesson list`).")
        }
    }

    /// Reads and parses a lesson file.
    /// - Throws: `LessonDocumentError` naming the file (and line) when it cannot be read or parsed.
    public init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw LessonDocumentError(path: url.path, line: nil, message: "cannot read the lesson file",
                                      hint: "check the path; lessons live in Lessons/en/ and Lessons/zh/ (`lmlab lesson list`).")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonDocumentError(path: url.path, line: nil, message: "not UTF-8 text",
                                      hint: "save the lesson as UTF-8.")
        }
        try self.init(markdown: text, path: url.path)
    }

    /// Parses Markdown text; `path` names it in errors.
    /// - Throws: `LessonDocumentError` at the first malformed cell, quiz or fence.
    public init(markdown: String, path: String) throws {
        self.path = path
        var parser = LessonParser(path: path, lines: markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.hasSuffix("\r") ? $0.dropLast() : $0) })
        blocks = try parser.parse()
        try validate()
    }

    /// Cross-block rules: cell and quiz ids are unique, and a predict quiz reveals a cell that exists and comes after it.
    private func validate() throws {
        var seen: [String: Int] = [:]
        for c in cells {
            if let first = seen[c.id] {
                throw LessonDocumentError(path: path, line: c.line, message: "cell id \"\(c.id)\" is used twice (first at line \(first))",
                                          hint: "give every cell of the lesson its own id=….")
            }
            seen[c.id] = c.line
        }
        var quizSeen: [String: Int] = [:]
        for q in quizzes {
            if let first = quizSeen[q.id] {
                throw LessonDocumentError(path: path, line: q.line, message: "quiz id \"\(q.id)\" is used twice (first at line \(first))",
                                          hint: "give every quiz of the lesson its own id:.")
            }
            quizSeen[q.id] = q.line
            if let reveal = q.reveal, cell(id: reveal) == nil {
                throw LessonDocumentError(path: path, line: q.line, message: "quiz \"\(q.id)\" reveals cell \"\(reveal)\", which the lesson does not have",
                                          hint: "name an existing cell (```lab id=\(reveal)) or fix reveal:. Cells: \(cells.map(\.id).joined(separator: ", ")).")
            }
            if q.kind == .predict, let reveal = q.reveal, let c = cell(id: reveal), c.line < q.line {
                throw LessonDocumentError(path: path, line: q.line, message: "predict quiz \"\(q.id)\" comes after cell \"\(reveal)\" (line \(c.line)), which reveals its answer",
                                          hint: "move the quiz above the cell, so the learner predicts before the cell answers.")
            }
        }
    }
}

/// A problem in a lesson file: the file, the 1-based line, what is wrong and how to fix it.
public struct LessonDocumentError: Error, CustomStringConvertible, Equatable {
    public let path: String
    public let line: Int?
    public let message: String
    public let hint: String

    public init(path: String, line: Int?, message: String, hint: String) {
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        "\(path)\(line.map { ":\($0)" } ?? ""): \(message). HINT: \(hint)"
    }
}

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

    // MARK: Paragraphs and lists

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

    mutating func cell(_ attributes: ArraySlice<String>, openLine: Int, body: [(line: Int, text: String)]) throws -> LabCell {
        var id: String? = nil
        for a in attributes {
            if a.hasPrefix("id=") {
                let value = String(a.dropFirst(3)).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
                    throw error(openLine, "cell id \"\(value)\" is empty or has characters other than letters, digits, - and _",
                                "write the fence as ```lab id=greedy-vs-beam.")
                }
                id = value
            } else {
                throw error(openLine, "unknown cell attribute \"\(a)\"",
                            "the only attribute is id=NAME, e.g. ```lab id=greedy-vs-beam.")
            }
        }
        cellCount += 1
        var commands: [String] = []
        var commandLines: [Int] = []
        var ernieOnly = false
        var sawContent = false
        for (line, raw) in body {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { continue }
            if t.hasPrefix("#") {
                let comment = t.dropFirst().trimmingCharacters(in: .whitespaces)
                if comment == "ernie-only" {
                    guard !sawContent else {
                        throw error(line, "`# ernie-only` must be the first line of the cell",
                                    "move `# ernie-only` to the line right after ```lab.")
                    }
                    ernieOnly = true
                }
                sawContent = true
                continue
            }
            sawContent = true
            do { _ = try CommandWords.split(t) } catch let split as CommandWords.SplitError {
                throw self.error(line, "this cell line cannot be split into words: \(split.reason)",
                                 split.hint + " Cells hold command-language lines such as: prob \"hello, world\" --model tiny")
            }
            if t.hasPrefix("lmlab ") || t.hasPrefix("$ ") {
                throw error(line, "cell lines are lab commands without `lmlab` or a shell prompt",
                            "write `\(t.hasPrefix("$ ") ? String(t.dropFirst(2)) : String(t.dropFirst(6)))` instead.")
            }
            commands.append(t)
            commandLines.append(line)
        }
        guard !commands.isEmpty else {
            throw error(openLine, "this lab cell has no command to run",
                        "put one or more command lines inside, e.g. tokenize \"hello\" --model tiny, or use ```text for prose.")
        }
        return LabCell(id: id ?? "cell-\(cellCount)", hasExplicitId: id != nil, commands: commands, ernieOnly: ernieOnly,
                       line: openLine, commandLines: commandLines, index: cellCount - 1)
    }
}
