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
// numbered lists, tables, block quotes and fenced code (shown, never run). The parser is line based and strict about
// what it owns (cells, quizzes, unclosed fences): a mistake there fails with the file, the line and the fix, so CI's
// `lmlab lesson run` catches a broken lesson before a learner does.

import Foundation
import LabCore

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
    /// Fenced code that is shown, never run; `language` is the fence's info word ("swift", "text", "" for none).
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

/// A lesson file, parsed.
public struct LessonDocument: Sendable {
    /// The file it was read from (as given), used in every error message.
    public let path: String
    public let blocks: [LessonBlock]
    /// The Markdown it was parsed from (`lesson export` writes it back with the outputs: the same text the blocks'
    /// line numbers count in, never a second read of a file that may have changed).
    public let markdown: String

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

    /// The largest lesson file read (the course's longest is about 6 KB): more is not a lesson, and a device such as
    /// /dev/zero would never end.
    public static let maxFileBytes = 4 << 20

    /// Reads and parses a lesson file.
    /// - Throws: `LessonDocumentError` naming the file (and line) when it cannot be read or parsed.
    public init(contentsOf url: URL) throws {
        try self.init(markdown: try Self.text(of: url), path: url.path)
    }

    /// The text of the lesson file at `url` — the one way a lesson is read: a regular file of at most `maxFileBytes`,
    /// UTF-8. `shown` names it in errors (default: its path).
    /// - Throws: `LessonDocumentError` saying what is wrong and what to do.
    public static func text(of url: URL, shownAs shown: String? = nil) throws -> String {
        let shown = shown ?? url.path
        let data: Data
        do { data = try readRegularFile(url, limit: maxFileBytes) } catch {
            let hint = LessonDocumentError.passALesson
            switch error {
            case .notRegularFile: throw LessonDocumentError(path: shown, line: nil, message: "not a regular file", hint: hint)
            case .tooLarge(let size, let most):
                throw LessonDocumentError(path: shown, line: nil,
                                          message: "\(size) bytes: too big for a lesson (at most \(most))", hint: hint)
            case .unreadable(let reason):
                throw LessonDocumentError(path: shown, line: nil, message: "cannot read the lesson file (\(reason))",
                                          hint: "check the path; lessons live in Lessons/en/ and Lessons/zh/ (`lmlab lesson list`).")
            }
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonDocumentError(path: shown, line: nil, message: "not UTF-8 text", hint: "save the lesson as UTF-8.")
        }
        return text
    }

    /// Parses Markdown text; `path` names it in errors.
    /// - Throws: `LessonDocumentError` at the first malformed cell, quiz or fence.
    public init(markdown: String, path: String) throws {
        self.path = path
        // A lesson saved with Windows line ends: "\r\n" is one Character, which splitting at "\n" never finds — the
        // whole file was one line, with no cells (review 16).
        let markdown = markdown.replacingOccurrences(of: "\r\n", with: "\n")
        self.markdown = markdown
        var parser = LessonParser(path: path, lines: markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init))
        blocks = try parser.parse()
        try validate()
    }

    /// Throws at the second use of an id, naming the line of the first.
    private func requireUnique(_ ids: [(id: String, line: Int)], kind: String, hint: String) throws {
        var seen: [String: Int] = [:]
        for (id, line) in ids {
            if let first = seen[id] {
                throw LessonDocumentError(path: path, line: line,
                                          message: "\(kind) id \"\(id)\" is used twice (first at line \(first))", hint: hint)
            }
            seen[id] = line
        }
    }

    /// Cross-block rules: cell and quiz ids are unique, and a predict quiz reveals a cell that exists and comes after it.
    private func validate() throws {
        try requireUnique(cells.map { ($0.id, $0.line) }, kind: "cell", hint: "give every cell of the lesson its own id=….")
        try requireUnique(quizzes.map { ($0.id, $0.line) }, kind: "quiz", hint: "give every quiz of the lesson its own id:.")
        for q in quizzes {
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

    /// The hint of a file that is not a lesson (wrong kind, too big, not a .md file).
    public static let passALesson = "pass a lesson's .md file (Lessons/en/03-decoding.md), or a lesson number; `lmlab lesson list` shows them."

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
