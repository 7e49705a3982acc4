// The arithmetic behind advice that names the learner's slip rather than restating the formula: which other log
// base or divisor the learner's value is consistent with. Each rule is computed from the case and the learner's
// value, so it holds for every input, not only the one on screen.
import Foundation
import LabCore

enum Slips {
    /// Whether a and b agree to a relative `tolerance`.
    static func close(_ a: Double, _ b: Double, _ tolerance: Double = 1e-6) -> Bool {
        a.isFinite && b.isFinite && abs(a - b) <= tolerance * max(abs(a), abs(b), 1e-300)
    }

    /// "log2" or "log10" when `yours` is the natural log `expected` taken in that base instead (ln x / ln 2, ln x / ln 10).
    static func logBase(yours: Double, naturalLog expected: Double) -> String? {
        guard abs(expected) > 1e-12 else { return nil }
        return close(yours / expected, 1 / log(2.0)) ? "log2" : close(yours / expected, 1 / log(10.0)) ? "log10" : nil
    }

    /// The sentence for a log taken in `base` where the lab takes the natural log.
    static func logBaseAdvice(_ base: String) -> String {
        Learner.text("your value is the natural-log one divided by ln \(base == "log2" ? 2 : 10): you took \(base); use log (the natural log, base e)",
                     "你的值等于自然对数的结果除以 ln \(base == "log2" ? 2 : 10)：你用了 \(base)；请用 log（自然对数，底为 e）")
    }

    /// Whether the learner's numbers are `candidate` (a known wrong variant of the formula) within `tolerance`.
    static func matches(_ yours: ExerciseValue, _ candidate: [Double], tolerance: Double = 1e-4) -> Bool {
        guard let y = yours.numbers, y.count == candidate.count else { return false }
        return zip(y, candidate).allSatisfy { abs($0 - $1) <= tolerance * (1 + abs($1)) }
    }

    /// The first message whose variant the learner's numbers are.
    static func firstMatch<Message>(_ yours: ExerciseValue, _ variants: [([Double], Message)]) -> Message? {
        variants.first { matches(yours, $0.0) }?.1
    }

    /// a·b.
    static func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    /// W·v with W[r] the r-th row.
    static func matvec(_ w: [[Double]], _ v: [Double]) -> [Double] { w.map { dot($0, v) } }
}

/// An English count with its noun: "1 token", "2 tokens".
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
