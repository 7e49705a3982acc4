// Checking a cell's expectations (CellExpectation.swift) against what the cell printed: each gives passed or failed
// with the numbers it read, so a report can say "number after "perplexity" is 41084, not in 1..3072".

import Foundation
import LabCore

/// One expectation's verdict on a run.
public struct ExpectationResult: Equatable, Sendable {
    public var expectation: CellExpectation
    public var passed: Bool
    /// What was found: "41084 < 3072 is false", "\"▁cat\" does not appear", …
    public var detail: String
}

extension CellExpectation {
    /// Only the last this-many characters of a cell's output are searched (a cell printing more is cut to its end).
    public static let maxOutput = 1 << 20

    /// Checks this expectation against `output`, the text the cell printed.
    public func evaluate(_ output: String) -> ExpectationResult {
        let text = Self.searched(output)
        return evaluate(text: text, readings: Self.readings(of: text))
    }

    /// The part of a cell's output that is searched: its last `maxOutput` characters.
    static func searched(_ output: String) -> String {
        output.count > maxOutput ? String(output.suffix(maxOutput)) : output
    }

    /// `evaluate` on the searched text and its readings, which a cell's expectations share.
    func evaluate(text: String, readings: [String]) -> ExpectationResult {
        func result(_ passed: Bool, _ detail: String) -> ExpectationResult {
            ExpectationResult(expectation: self, passed: passed, detail: detail)
        }
        // Words are looked for in the text as printed and, failing that, with its line breaks undone: output wraps at
        // the cell's width, so "cannot be scored" may arrive as "cannot be\n  scored" at 80 columns.
        switch check {
        case .contains(let s):
            return readings.contains { $0.contains(s) } ? result(true, Self.appears(s)) : result(false, Self.missing(s))
        case .lacks(let s):
            return readings.contains { $0.contains(s) } ? result(false, Self.appears(s)) : result(true, Self.missing(s))
        case .before(let a, let b):
            guard readings.contains(where: { $0.contains(a) }) else { return result(false, Self.missing(a)) }
            guard readings.contains(where: { $0.contains(b) }) else { return result(false, Self.missing(b)) }
            for reading in readings {
                guard let ra = reading.range(of: a), let rb = reading.range(of: b) else { continue }
                return ra.lowerBound < rb.lowerBound
                    ? result(true, Learner.text("\"\(a)\" comes before \"\(b)\"", "“\(a)”在“\(b)”之前"))
                    : result(false, Learner.text("\"\(b)\" comes first", "“\(b)”在前"))
            }
            return result(false, Learner.text("\"\(a)\" and \"\(b)\" do not appear in one reading of the output",
                                              "“\(a)”和“\(b)”没有同时出现在输出的同一种读法里"))
        case .compare(let l, let op, let r):
            let (lv, rv) = (Self.value(l, in: text, readings: readings), Self.value(r, in: text, readings: readings))
            guard case .success(let a) = lv else { return result(false, lv.failureText) }
            guard case .success(let b) = rv else { return result(false, rv.failureText) }
            let holds: Bool
            switch op {
            case .less: holds = a < b
            case .lessOrEqual: holds = a <= b
            case .greater: holds = a > b
            case .greaterOrEqual: holds = a >= b
            case .equal: holds = a == b
            }
            let claim = "\(Self.shown(a)) \(op.rawValue) \(Self.shown(b))"
            return result(holds, Learner.text("\(claim) is \(holds)", "\(claim) \(holds ? "成立" : "不成立")"))
        case .within(let t, let lo, let hi):
            let v = Self.value(t, in: text, readings: readings)
            guard case .success(let a) = v else { return result(false, v.failureText) }
            let holds = lo <= a && a <= hi
            let range = "\(Self.shown(lo))..\(Self.shown(hi))"
            return result(holds, Learner.text("\(Self.shown(a)) is \(holds ? "" : "not ")in \(range)",
                                              "\(Self.shown(a)) \(holds ? "在" : "不在") \(range) 之内"))
        }
    }

    /// "TEXT" appears / does not appear, in the learner's language.
    static func appears(_ s: String) -> String { Learner.text("\"\(s)\" appears", "“\(s)”出现了") }
    static func missing(_ s: String) -> String { Learner.text("\"\(s)\" does not appear", "“\(s)”没有出现") }

    /// The output as printed, then with each line break and the spaces around it read as one space (wrapped
    /// English), then as nothing (wrapped Chinese, which has no spaces between words).
    static func readings(of text: String) -> [String] {
        guard text.contains("\n") else { return [text] }
        let pieces = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return [text, pieces.joined(separator: " "), pieces.joined()]
    }

    /// The number a term names in `text`, or why there is none; `readings` are the text's (`readings(of:)`, made
    /// once per cell; nil: made here if needed).
    static func value(_ term: Term, in text: String, readings: [String]? = nil) -> Result<Double, MissingNumber> {
        switch term {
        case .literal(let v): return .success(v)
        case .count(let needle):
            return .success(Double(text.components(separatedBy: needle).count - 1))
        case .numberAfter(let label, let occurrence):
            // A label the output wrapped (a narrow cell breaks "困惑度" or "log P") is read across the break.
            if text.components(separatedBy: label).count - 1 < occurrence,
               let unwrapped = (readings ?? Self.readings(of: text)).dropFirst().first(where: { $0.components(separatedBy: label).count - 1 >= occurrence }) {
                return value(term, in: unwrapped, readings: [])
            }
            var from = text.startIndex
            var found: Range<String.Index>? = nil
            for _ in 0..<occurrence {
                guard let r = text.range(of: label, range: from..<text.endIndex) else {
                    return .failure(MissingNumber(text: Learner.text(
                        "\"\(label)\" appears fewer than \(occurrence) time\(occurrence == 1 ? "" : "s")",
                        "“\(label)”出现不到 \(occurrence) 次")))
                }
                found = r
                from = r.upperBound
            }
            let rest = text[found!.upperBound...].prefix { $0 != "\n" }
            if let v = numbers(in: rest, upTo: 1).first { return .success(v) }
            // The label ended its line: output wraps at the terminal's width, so the number may open the next one.
            if rest.allSatisfy(\.isWhitespace), rest.endIndex < text.endIndex {
                let next = text[text.index(after: rest.endIndex)...].prefix { $0 != "\n" }.drop { $0.isWhitespace }
                let startsWithNumber = next.first.map { $0.isNumber || (($0 == "-" || $0 == "−") && next.dropFirst().first?.isNumber == true) } ?? false
                if startsWithNumber, let v = numbers(in: next, upTo: 1).first { return .success(v) }
            }
            return .failure(MissingNumber(text: Learner.text("no number follows \"\(label)\" on its line",
                                                            "同一行里“\(label)”之后没有数")))
        case .numberInLine(let label, let index):
            // The first line starting with the label that has that many numbers: a wrapped sentence's continuation
            // may start with the label too ("…output layer tied to the" / "embedding").
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            var fewest: Int?
            for (i, line) in lines.enumerated() {
                guard rest(of: line, after: label) != nil,
                      let after = rest(of: Substring(tableRow(lines, at: i) ?? String(line)), after: label) else { continue }
                let found = numbers(in: after, upTo: index)
                if found.count == index { return .success(found[index - 1]) }
                fewest = fewest ?? found.count
            }
            guard let fewest else { return .failure(MissingNumber(text: Learner.text(
                "no line starts with \"\(label)\"", "没有以“\(label)”开头的行"))) }
            return .failure(MissingNumber(text: Learner.text(
                "the line starting \"\(label)\" has \(fewest) number\(fewest == 1 ? "" : "s") after it, not \(index)",
                "以“\(label)”开头的行后面只有 \(fewest) 个数，不是 \(index) 个")))
        }
    }

    /// What follows `label` when `line` starts with it (after its indentation), a run of spaces in either read as
    /// one: a table's column gaps narrow in a narrow cell ("15   286  is" at 80 columns is "15  286 is" at 60).
    static func rest(of line: Substring, after label: String) -> Substring? {
        var l = line.drop { $0 == " " }, want = label[...]
        while let c = want.first {
            if c == " " {
                guard l.first == " " else { return nil }
                l = l.drop { $0 == " " }
                want = want.drop { $0 == " " }
            } else {
                guard l.first == c else { return nil }
                l = l.dropFirst()
                want = want.dropFirst()
            }
        }
        return l
    }

    /// Line `i` of a table whose row wraps onto the lines below it (TableFit), read as one line: each column's pieces
    /// joined, in column order, so "the 7th number in the line starting 5" is the 7th of the row, not of its first
    /// line. The columns are the runs of the rule under the header ("─  ─────  ─────"); a continuation line is blank
    /// in the first. nil when line `i` is not such a row.
    static func tableRow(_ lines: [Substring], at i: Int) -> String? {
        func blank(_ s: Substring) -> Bool { s.allSatisfy { $0 == " " } }
        guard let rule = lines[..<i].lastIndex(where: { blank($0) || $0.allSatisfy { " ─┼".contains($0) } }),
              !blank(lines[rule]) else { return nil }
        // Where each column starts, in display cells.
        var starts: [Int] = [], at = 0, previous: Character = " "
        for ch in lines[rule] {
            if ch != " " && previous == " " { starts.append(at) }
            previous = ch
            at += EastAsianWidth.cells(ch)
        }
        func piece(_ line: Substring, _ k: Int) -> String {
            let (from, to) = (k == 0 ? 0 : starts[k], k + 1 < starts.count ? starts[k + 1] : Int.max)
            var out = "", at = 0
            for ch in line {
                if at >= from && at < to { out.append(ch) }
                at += EastAsianWidth.cells(ch)
            }
            return out.trimmingCharacters(in: .whitespaces)
        }
        let more = lines[(i + 1)...].prefix { !blank($0) && piece($0, 0).isEmpty }
        guard !more.isEmpty, starts.count > 1 else { return nil }
        let row = [lines[i]] + more
        return starts.indices.map { k in row.map { piece($0, k) }.filter { !$0.isEmpty }.joined(separator: " ") }
            .joined(separator: "  ")
    }

    /// The first `limit` numbers of `text`, left to right. A number starts only where it does not continue a word or
    /// another number ("x2", "v3.1" hold none).
    static func numbers(in text: Substring, upTo limit: Int) -> [Double] {
        var chars = Array(text)
        var found: [Double] = []
        var i = 0
        while i < chars.count, found.count < limit {
            if i > 0, chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "." { i += 1; continue }
            if let n = NumberScanner.scan(&chars, from: i) { found.append(n.value); i = n.end } else { i += 1 }
        }
        return found
    }

    struct MissingNumber: Error { var text: String }

    /// A number as a person writes it: no trailing ".0".
    static func shown(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
    }
}

extension Result where Failure == CellExpectation.MissingNumber {
    var failureText: String {
        if case .failure(let m) = self { return m.text }
        return ""
    }
}

extension LabCell {
    /// The verdict of each expectation on `output`, in the cell's order.
    public func checkExpectations(_ output: String) -> [ExpectationResult] {
        let text = CellExpectation.searched(output), readings = CellExpectation.readings(of: text)
        return expectations.map { $0.evaluate(text: text, readings: readings) }
    }
}
