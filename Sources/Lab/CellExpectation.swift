// CellExpectation — what a lesson says a cell prints, written inside the cell and checked against what it printed, so
// the prose cannot drift from the cell when a shipped model is retrained (issue 18, "lessons that cannot drift").
//
// An expectation is a comment line of the cell, so it never runs as a command:
//
//   ```lab id=cat
//   prob "I have a cute cat." "My cat can fly." --model tiny
//   # expect: number after "cute cat." > number after "can fly."      an ordering of two numbers
//   # expect: number 2 after "perplexity" in 1..3072                   a range (inclusive); 2 = second "perplexity"
//   # expect: contains "▁cat"                                          a text that must appear
//   # expect: lacks "error"                                            a text that must not
//   # expect: "Luna" before "market"                                   the order two texts first appear in
//   # expect: number 3 in line "5" < 20                                 a table: 3rd number of the row "5 …"
//   # expect: count "The cat says meow." >= 3                           how often a text appears (a loop)
//   ```
//
// "number after LABEL" is the first number on the same output line after the first (or Nth) place LABEL appears;
// "number K in line LABEL" is the Kth number after LABEL on the first line that starts with LABEL (leading spaces
// aside) — a table row by its first cell. A number is
// digits with an optional sign (- or −), thousands commas, a decimal point and an exponent ("41,084", "−18.2",
// "8.8 %", "1.2e-3"). Labels are literal text — no patterns — and every search is linear in the output, so a lesson
// from a stranger can make the check neither slow nor unbounded.

import Foundation

/// One expectation of a cell, parsed from a `# expect: …` line.
public struct CellExpectation: Equatable, Sendable {
    /// The text after `# expect:`, as written (shown in reports).
    public var source: String
    /// 1-based line in the lesson file.
    public var line: Int
    public var check: Check

    /// A value compared: a written number, or a number read from the output.
    public enum Term: Equatable, Sendable {
        case literal(Double)
        /// The first number after the `occurrence`-th (1-based) appearance of `label`, on the same line.
        case numberAfter(label: String, occurrence: Int)
        /// The `index`-th (1-based) number after `label` on the first line that starts with it.
        case numberInLine(label: String, index: Int)
        /// How many times `text` appears (without overlaps): `count "The cat says meow." >= 3`.
        case count(String)
    }

    public enum Comparison: String, Equatable, Sendable, CaseIterable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "=="
    }

    public enum Check: Equatable, Sendable {
        case contains(String)
        case lacks(String)
        /// `first` appears in the output, and before the first appearance of `second`.
        case before(String, String)
        case compare(Term, Comparison, Term)
        /// lower ≤ term ≤ upper.
        case within(Term, Double, Double)
    }

    /// At most this many expectations per cell, and labels of at most `maxLabel` characters: bounded work per cell.
    public static let maxPerCell = 32
    public static let maxLabel = 200
    static let grammar = """
        write one of: contains "TEXT" · lacks "TEXT" · "A" before "B" · number after "LABEL" in LO..HI · \
        number after "A" < number after "B" (also <=, >, >=, ==; a side may be a plain number; `number 2 after` \
        reads after the second "LABEL"; `number 3 in line "ROW"` is the third number of the row starting with ROW; `count "TEXT"` is how often TEXT appears)
        """

    /// Parses the text after `# expect:`; the error is a sentence saying what is wrong (the caller adds file:line).
    public init(parsing text: String, line: Int) throws(ExpectationSyntaxError) {
        source = text.trimmingCharacters(in: .whitespaces)
        self.line = line
        let words: [String]
        do { words = try CommandWords.split(source) } catch let split as CommandWords.SplitError {
            throw ExpectationSyntaxError(message: "\(split.reason) in the expectation")
        } catch {
            throw ExpectationSyntaxError(message: "\(error)")
        }
        var rest = words[...]
        check = try Self.check(&rest)
        guard rest.isEmpty else {
            throw ExpectationSyntaxError(message: "unexpected \"\(rest.joined(separator: " "))\" at the end of the expectation")
        }
    }

    private static func check(_ w: inout ArraySlice<String>) throws(ExpectationSyntaxError) -> Check {
        guard let first = w.first else { throw ExpectationSyntaxError(message: "the expectation is empty") }
        switch first {
        case "contains", "lacks":
            w.removeFirst()
            let text = try label(&w, after: first)
            return first == "contains" ? .contains(text) : .lacks(text)
        case "number", "count":
            let left = try term(&w)
            guard let op = w.first else { throw ExpectationSyntaxError(message: "a comparison (<, >, in LO..HI, …) must follow the number") }
            w.removeFirst()
            if op == "in" {
                guard let range = w.first else { throw ExpectationSyntaxError(message: "a range LO..HI must follow `in`") }
                w.removeFirst()
                let bounds = range.components(separatedBy: "..")
                guard bounds.count == 2, let lo = number(bounds[0]), let hi = number(bounds[1]), lo <= hi else {
                    throw ExpectationSyntaxError(message: "\"\(range)\" is not a range LO..HI with LO ≤ HI (e.g. 1..3072)")
                }
                return .within(left, lo, hi)
            }
            guard let comparison = Comparison(rawValue: op) else {
                throw ExpectationSyntaxError(message: "\"\(op)\" is not a comparison: use <, <=, >, >=, == or in LO..HI")
            }
            return .compare(left, comparison, try term(&w))
        default:
            // "A" before "B": the first word is a quoted text (CommandWords removed the quotes).
            guard w.count >= 3, w[w.startIndex + 1] == "before" else {
                throw ExpectationSyntaxError(message: "\"\(first)\" does not start an expectation")
            }
            let a = try label(&w, after: "expect")
            w.removeFirst()
            return .before(a, try label(&w, after: "before"))
        }
    }

    private static func term(_ w: inout ArraySlice<String>) throws(ExpectationSyntaxError) -> Term {
        guard let first = w.first else { throw ExpectationSyntaxError(message: "a number is missing after the comparison") }
        w.removeFirst()
        if let value = number(first) { return .literal(value) }
        if first == "count" { return .count(try label(&w, after: "count")) }
        guard first == "number" else { throw ExpectationSyntaxError(message: "\"\(first)\" is neither a number nor `number after \"LABEL\"`") }
        var count = 1
        if let n = w.first.flatMap({ Int($0) }) {
            guard (1...1000).contains(n) else { throw ExpectationSyntaxError(message: "`number \(n) …` must count from 1 to 1000") }
            count = n
            w.removeFirst()
        }
        if w.first == "in", w.dropFirst().first == "line" {
            w.removeFirst(2)
            return .numberInLine(label: try label(&w, after: "in line"), index: count)
        }
        guard w.first == "after" else { throw ExpectationSyntaxError(message: "`number` must be followed by `after \"LABEL\"` or `in line \"LABEL\"`") }
        w.removeFirst()
        return .numberAfter(label: try label(&w, after: "after"), occurrence: count)
    }

    private static func label(_ w: inout ArraySlice<String>, after: String) throws(ExpectationSyntaxError) -> String {
        guard let text = w.first, !text.isEmpty else { throw ExpectationSyntaxError(message: "a quoted text must follow `\(after)`") }
        guard text.count <= maxLabel else { throw ExpectationSyntaxError(message: "the text after `\(after)` is \(text.count) characters (at most \(maxLabel))") }
        w.removeFirst()
        return text
    }

    /// A written number: "12", "-3.5", "1e-3", "41,084".
    static func number(_ s: String) -> Double? {
        var chars = Array(s)
        guard !chars.isEmpty, let n = NumberScanner.scan(&chars, from: 0), n.end == chars.count else { return nil }
        return n.value
    }
}

/// A malformed `# expect:` line; `LessonParser` turns it into a `LessonDocumentError` with the file and line.
public struct ExpectationSyntaxError: Error, Equatable {
    public var message: String
}

/// Reads numbers as the lab's outputs print them.
enum NumberScanner {
    static func isMinus(_ c: Character) -> Bool { c == "-" || c == "−" }
    static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    /// The number starting exactly at `i` and the index after it, or nil when none starts there. A leading `+`, `-`
    /// or `−` is its sign; commas count only between digit groups of three ("41,084", not "3, 4"); `−` becomes `-`.
    static func scan(_ c: inout [Character], from start: Int) -> (value: Double, end: Int)? {
        var i = start
        var text = ""
        if i < c.count, isMinus(c[i]) || c[i] == "+" { text.append(isMinus(c[i]) ? "-" : "+"); i += 1 }
        let digitsStart = i
        while i < c.count {
            if isDigit(c[i]) { text.append(c[i]); i += 1; continue }
            if c[i] == ",", i > digitsStart, (1...3).allSatisfy({ i + $0 < c.count && isDigit(c[i + $0]) }),
               !(i + 4 < c.count && isDigit(c[i + 4])) { i += 1; continue }
            break
        }
        if i < c.count, c[i] == ".", i + 1 < c.count, isDigit(c[i + 1]) {
            text.append("."); i += 1
            while i < c.count, isDigit(c[i]) { text.append(c[i]); i += 1 }
        }
        guard text.contains(where: isDigit) else { return nil }
        if i < c.count, c[i] == "e" || c[i] == "E" {
            var j = i + 1
            var exponent = "e"
            if j < c.count, isMinus(c[j]) || c[j] == "+" { exponent.append(isMinus(c[j]) ? "-" : "+"); j += 1 }
            if j < c.count, isDigit(c[j]) {
                while j < c.count, isDigit(c[j]) { exponent.append(c[j]); j += 1 }
                text += exponent
                i = j
            }
        }
        guard let value = Double(text) else { return nil }
        return (value, i)
    }
}

extension CellExpectation {
    /// The expectation as a report shows it: as written in English (the lesson's own words), read out in Chinese
    /// ("number in line "1" > number in line "2"" → "以“1”开头那行的数 > 以“2”开头那行的数").
    public func shown(inChinese: Bool) -> String {
        guard inChinese else { return source }
        func quoted(_ s: String) -> String { "“\(s)”" }
        func term(_ t: Term) -> String {
            switch t {
            case .literal(let x): return x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
            case .numberAfter(let label, let n): return (n == 1 ? "" : "第 \(n) 个") + quoted(label) + "之后的数"
            case .numberInLine(let label, let k): return "以\(quoted(label))开头那行的" + (k == 1 ? "数" : "第 \(k) 个数")
            case .count(let text): return quoted(text) + "出现的次数"
            }
        }
        func bound(_ x: Double) -> String { term(.literal(x)) }
        switch check {
        case .contains(let text): return "含有" + quoted(text)
        case .lacks(let text): return "不含" + quoted(text)
        case .before(let a, let b): return quoted(a) + "在" + quoted(b) + "之前"
        case .compare(let l, let op, let r): return term(l) + " \(op.rawValue) " + term(r)
        case .within(let t, let lo, let hi): return term(t) + "在 \(bound(lo))..\(bound(hi)) 之内"
        }
    }
}
