// LabCell — a ```lab cell of a lesson: its command lines, whether it needs ERNIE's weights, and the expectations
// about its own output (CellExpectation.swift) — parsed here from the fence's body.

import Foundation

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
    /// What the cell's output must show (`# expect: …` lines), checked after it runs.
    public var expectations: [CellExpectation] = []
}

extension LessonParser {
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
        var expectations: [CellExpectation] = []
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
                } else if let text = try expectationText(comment, line: line) {
                    guard expectations.count < CellExpectation.maxPerCell else {
                        throw error(line, "more than \(CellExpectation.maxPerCell) expectations in one cell",
                                    "split the cell, or keep the expectations the prose relies on.")
                    }
                    expectations.append(try expectation(text, line: line))
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
                       line: openLine, commandLines: commandLines, index: cellCount - 1, expectations: expectations)
    }

    /// The text after `expect:` when a comment is an expectation. A comment that starts with the word `expect` but
    /// lacks the colon is a mistake, not prose, so a typo never leaves a claim unchecked.
    func expectationText(_ comment: String, line: Int) throws -> String? {
        guard comment.hasPrefix("expect") else { return nil }
        let rest = comment.dropFirst("expect".count)
        if rest.first == ":" { return String(rest.dropFirst()) }
        guard rest.isEmpty || rest.first == " " else { return nil }   // "expected …" is an ordinary comment
        throw error(line, "an expectation needs a colon: `# expect: …`", CellExpectation.grammar + ".")
    }

    func expectation(_ text: String, line: Int) throws -> CellExpectation {
        do { return try CellExpectation(parsing: text, line: line) } catch {
            throw self.error(line, "this expectation cannot be read: \(error.message)", CellExpectation.grammar + ".")
        }
    }
}
