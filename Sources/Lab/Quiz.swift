// Quiz — a ```quiz block of a lesson: a question with a checked answer, a hint and an explanation.
//
// Two kinds (issue 9):
//   choice   — pick one of the choices; checked at once.
//   predict  — guess *before* running the cell named by `reveal:` (the next token, what lowering the temperature does
//              to the bars); the notebook asks for the guess and a confidence, runs the cell, then shows the answer.
//              The progress store keeps how often the learner was right against how sure they said they were.
//
// Format, one key per line (values run to the end of the line):
//   id: decoding-greedy-beam
//   kind: choice
//   question: Which is greedy decoding?
//   choices: a) beam search with 1 beam | b) sampling at temperature 2 | c) top-k with k = 50
//   answer: a
//   hint: How many hypotheses does greedy keep?
//   explain: Greedy keeps the single best token each step — a beam of width 1.

import Foundation

public struct Quiz: Equatable, Sendable {
    public enum Kind: String, Equatable, Sendable, CaseIterable { case choice, predict }

    /// One choice: its label ("a") and text.
    public struct Choice: Equatable, Sendable {
        public var label: String
        public var text: String
    }

    public var id: String
    public var kind: Kind
    public var question: String
    public var choices: [Choice]
    /// The label of the right choice, or for a predict quiz without choices the expected text.
    public var answer: String
    public var hint: String?
    public var explain: String?
    /// For predict quizzes: the id of the cell whose output reveals the answer.
    public var reveal: String?
    /// 1-based line of the opening fence.
    public var line: Int

    static let keys = ["id", "kind", "question", "choices", "answer", "hint", "explain", "reveal"]

    /// The choice `response` names — its label in either case, half- or full-width as a Chinese keyboard types it
    /// ("b", "B)", "ｂ", "（ｂ）"), or its text — as a lower-case label; nil when it names none (the notebook asks
    /// again rather than grade a slip). For a free predict quiz, the text itself, trimmed and lower-cased.
    public func chosen(_ response: String) -> String? {
        var r = response.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces).lowercased()
        guard !choices.isEmpty else { return r }
        if r.hasPrefix("(") { r.removeFirst() }
        if r.hasSuffix(")") { r.removeLast() }
        if let c = choices.first(where: { $0.label.lowercased() == r || $0.text.lowercased() == r }) { return c.label.lowercased() }
        return nil
    }

    /// True when `response` is the right answer: a choice (`chosen`) or, for a free predict quiz, the expected text
    /// ignoring case and surrounding spaces.
    public func isCorrect(_ response: String) -> Bool {
        chosen(response) == answer.lowercased()
    }

    /// Parses the body lines of a ```quiz block.
    /// - Throws: `LessonDocumentError` at the line of an unknown or missing key, a bad kind, or an answer that is not a choice.
    init(lines: [(line: Int, text: String)], path: String, fenceLine: Int) throws {
        func fail(_ line: Int, _ message: String, _ hint: String) -> LessonDocumentError {
            LessonDocumentError(path: path, line: line, message: message, hint: hint)
        }
        var values: [String: (line: Int, value: String)] = [:]
        for (n, raw) in lines {
            let t = raw.trimmingCharacters(in: .whitespaces)
            if t.isEmpty || t.hasPrefix("#") { continue }
            guard let colon = t.firstIndex(of: ":") else {
                throw fail(n, "quiz line without a `key: value`", "write one key per line: \(Self.keys.joined(separator: ", ")).")
            }
            let key = t[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            var value = t[t.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if let hash = value.range(of: "  #") { value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces) }
            guard Self.keys.contains(key) else {
                throw fail(n, "unknown quiz key \"\(key)\"", "the keys are \(Self.keys.joined(separator: ", ")).")
            }
            if let first = values[key] {
                throw fail(n, "quiz key \"\(key)\" given twice (first at line \(first.line))", "keep one \(key): line.")
            }
            values[key] = (n, value)
        }
        func required(_ key: String) throws -> String {
            guard let v = values[key], !v.value.isEmpty else {
                throw fail(fenceLine, "this quiz has no \(key):", "add a line `\(key): …` inside the ```quiz block.")
            }
            return v.value
        }
        id = try required("id")
        question = try required("question")
        let kindText = values["kind"]?.value ?? "choice"
        guard let k = Kind(rawValue: kindText) else {
            throw fail(values["kind"]?.line ?? fenceLine, "unknown quiz kind \"\(kindText)\"", "use kind: choice or kind: predict.")
        }
        kind = k
        hint = values["hint"]?.value
        explain = values["explain"]?.value
        reveal = values["reveal"]?.value
        line = fenceLine
        choices = []
        if let c = values["choices"] {
            for (k, part) in c.value.components(separatedBy: " | ").enumerated() {
                let p = part.trimmingCharacters(in: .whitespaces)
                guard let paren = p.firstIndex(of: ")"), p.distance(from: p.startIndex, to: paren) <= 3,
                      !p[..<paren].isEmpty, p[..<paren].allSatisfy({ $0.isLetter || $0.isNumber }) else {
                    throw fail(c.line, "choice \(k + 1) \"\(p)\" does not start with a label like a)",
                               "write choices: a) … | b) … | c) … (a space, a bar and a space between choices).")
                }
                choices.append(Choice(label: String(p[..<paren]), text: p[p.index(after: paren)...].trimmingCharacters(in: .whitespaces)))
            }
            if Set(choices.map { $0.label.lowercased() }).count != choices.count {
                throw fail(c.line, "two choices share a label", "label the choices a), b), c), … once each.")
            }
        }
        switch kind {
        case .choice:
            guard !choices.isEmpty else {
                throw fail(fenceLine, "choice quiz \"\(id)\" has no choices:", "add `choices: a) … | b) …`, or use kind: predict.")
            }
        case .predict:
            guard reveal != nil else {
                throw fail(fenceLine, "predict quiz \"\(id)\" has no reveal:", "add `reveal: CELL-ID`, the cell whose output shows the answer.")
            }
        }
        answer = try required("answer")
        if !choices.isEmpty, !choices.contains(where: { $0.label.lowercased() == answer.lowercased() }) {
            throw fail(values["answer"]!.line, "answer \"\(answer)\" is not one of the choices (\(choices.map(\.label).joined(separator: ", ")))",
                       "write the label of the right choice, e.g. answer: b.")
        }
    }
}
