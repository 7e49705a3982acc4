// ExerciseValue — what travels between the lab and a learner's exercise program: numbers, text and lists of them,
// one JSON line each way (harness/wire.swift is the learner's side). Non-finite numbers travel as the strings
// "inf", "-inf" and "nan", which JSON has no numbers for.
//
//   lab → program:  TASK [arg₀, arg₁, …]        program → lab:  RESULT <value>
import Foundation
import LabCore

/// A value of the exercise wire.
public indirect enum ExerciseValue: Equatable, Sendable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case list([ExerciseValue])

    public static func numbers(_ v: [Double]) -> ExerciseValue { .list(v.map(ExerciseValue.number)) }
    public static func numbers(_ v: [Float]) -> ExerciseValue { .list(v.map { .number(Double($0)) }) }
    public static func ints(_ v: [Int]) -> ExerciseValue { .list(v.map { .number(Double($0)) }) }
    public static func matrix(_ m: [[Double]]) -> ExerciseValue { .list(m.map(ExerciseValue.numbers)) }
    public static func matrix(_ m: [[Float]]) -> ExerciseValue { .list(m.map(ExerciseValue.numbers)) }
    public static func int(_ i: Int) -> ExerciseValue { .number(Double(i)) }

    /// The numbers of a flat list (nil when it is not one).
    public var numbers: [Double]? {
        guard case .list(let items) = self else { return nil }
        var out: [Double] = []
        for item in items { guard case .number(let x) = item else { return nil }; out.append(x) }
        return out
    }

    /// The JSON text sent over the wire.
    /// The rows of a matrix (a list of number lists), or nil.
    public var rows: [[Double]]? {
        guard case .list(let items) = self else { return nil }
        var out: [[Double]] = []
        for item in items { guard let row = item.numbers else { return nil }; out.append(row) }
        return out
    }

    public var wire: String {
        switch self {
        case .number(let x):
            if x.isNaN { return "\"nan\"" }
            if x.isInfinite { return x > 0 ? "\"inf\"" : "\"-inf\"" }
            return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : "\(x)"
        case .text(let s):
            return String(decoding: (try? JSONEncoder().encode(s)) ?? Data("\"\"".utf8), as: UTF8.self)
        case .list(let items):
            return "[" + items.map(\.wire).joined(separator: ",") + "]"
        }
    }

    /// Reads a RESULT line's JSON; nil when it is not JSON of numbers, strings and lists.
    public init?(wire text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]),
              let value = ExerciseValue(object) else { return nil }
        self = value
    }

    private init?(_ object: Any) {
        switch object {
        case let s as String:
            switch s {
            case "inf": self = .number(.infinity)
            case "-inf": self = .number(-.infinity)
            case "nan": self = .number(.nan)
            default: self = .text(s)
            }
        case let n as NSNumber: self = .number(n.doubleValue)
        case let a as [Any]:
            var items: [ExerciseValue] = []
            for x in a { guard let v = ExerciseValue(x) else { return nil }; items.append(v) }
            self = .list(items)
        default: return nil
        }
    }

    /// Short, for messages: 4 decimals, long lists elided.
    public var description: String {
        switch self {
        case .number(let x):
            if x.isNaN { return "nan" }
            if x.isInfinite { return x > 0 ? "∞" : "−∞" }
            return x == x.rounded() && abs(x) < 1e9 ? String(Int64(x)) : String(format: "%.4g", x)
        case .text(let s): return "\"" + s.replacingOccurrences(of: "\n", with: "\\n") + "\""
        case .list(let items):
            let shown = items.prefix(8).map(\.description).joined(separator: ", ")
            let all = Learner.text(", … (\(items.count) in all)", ", …（共 \(items.count) 个）")
            return "[" + shown + (items.count > 8 ? all : "") + "]"
        }
    }

    /// Where `self` (the learner's) first differs from `expected`: the index path and a sentence. Numbers agree
    /// within `tolerance` · (1 + |expected|); ∞ agrees with ∞ of the same sign; nan never agrees.
    public func firstDifference(from expected: ExerciseValue, tolerance: Double, path: [Int] = [])
        -> (path: [Int], message: String)? {
        switch (self, expected) {
        case let (.number(a), .number(b)):
            if a == b { return nil }
            if a.isFinite && b.isFinite && abs(a - b) <= tolerance * (1 + abs(b)) { return nil }
            return (path, Learner.text("yours \(ExerciseValue.number(a)), expected \(ExerciseValue.number(b))", "你的 \(ExerciseValue.number(a))，期望 \(ExerciseValue.number(b))"))
        case let (.text(a), .text(b)):
            if a == b { return nil }
            let common = zip(a, b).prefix { $0 == $1 }.count
            let at = { (s: String) in ExerciseValue.text(String(s.dropFirst(common).prefix(24))).description }
            if a.count == common {
                return (path, Learner.text("the texts agree for \(common) characters, then yours ends; expected \(at(b)) more", "前 \(common) 个字符一致，你的到此就结束了，期望还有 \(at(b))"))
            }
            if b.count == common {
                return (path, Learner.text("the texts agree for \(common) characters, then yours has \(at(a)) more; expected the end", "前 \(common) 个字符一致，之后你的还有 \(at(a))，期望到此结束"))
            }
            return (path, Learner.text("the texts agree for \(common) characters, then yours has \(at(a)), expected \(at(b))", "前 \(common) 个字符一致，之后你的是 \(at(a))，期望 \(at(b))"))
        case let (.list(a), .list(b)):
            for (i, (x, y)) in zip(a, b).enumerated() {
                if let d = x.firstDifference(from: y, tolerance: tolerance, path: path + [i]) { return d }
            }
            if a.count != b.count {
                return (path, Learner.text("you returned \(a.count) item\(a.count == 1 ? "" : "s"), expected \(b.count)", "你返回了 \(a.count) 项，期望 \(b.count) 项"))
            }
            return nil
        default:
            return (path, Learner.text("yours is \(self), expected \(expected) (a different kind of value)", "你的是 \(self)，期望 \(expected)（值的类型不同）"))
        }
    }
}
