// OptionCheck — the range checks a library runs on the settings a command passes it, before anything is
// allocated: an absurd number is an error that names the option, the value and the range.
//
//   try OptionCheck.range("--layers", 100_000_000, 1...64)
//   → "--layers 100000000 is outside 1…64. HINT: give --layers a value in 1…64 (see --help)."
//
// The command line shows an `OptionError` as a usage error (exit 64) with the command's usage; its own checks
// (LabCLI/OptionBounds.swift) are these.
import Foundation

/// A setting that no run could use, or a combination of options a command cannot run with (--ids together with
/// --bos, --compare-precision without --compare), named by its options, with the fix after "HINT:".
public struct OptionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

public enum OptionCheck {
    /// `value` must lie in `range` (NaN never does).
    /// - Parameter hint: the fix when it is more specific than "a value in the range", in the learner's language
    ///   (`Learner.text`), like the rest of the message.
    public static func range<T: Comparable>(_ option: String, _ value: T, _ range: ClosedRange<T>,
                                            hint: String? = nil) throws(OptionError) {
        guard range.contains(value) else {
            let (value, low, high) = (written(value), written(range.lowerBound), written(range.upperBound))
            throw OptionError(Learner.text(
                "\(option) \(value) is outside \(low)…\(high). HINT: "
                    + (hint ?? "give \(option) a value in \(low)…\(high) (see --help)."),
                "\(option) \(value) 超出了 \(low)…\(high)。HINT："
                    + (hint ?? "给 \(option) 一个 \(low)…\(high) 之间的值（见 --help）。")))
        }
    }

    /// A number as a learner writes it: 1 rather than 1.0, 1e12 rather than 1000000000000.0 (`layer rope --theta 0`
    /// said "outside 1.0…1000000000000.0"); 0.1 and 1e-12 as they are. Anything but a Double or a Float as Swift
    /// prints it.
    static func written<T>(_ value: T) -> String {
        let (number, digits): (Double, Int)
        switch value {
        case let d as Double: (number, digits) = (d, 15)
        case let f as Float: (number, digits) = (Double(f), 7)
        default: return "\(value)"
        }
        guard number.isFinite else { return "\(value)" }
        let text = String(format: abs(number) >= 1e6 ? "%.\(digits - 1)e" : "%.\(digits)g", number)
        guard let e = text.firstIndex(of: "e"), let exponent = Int(text[text.index(after: e)...]) else { return text }
        var mantissa = String(text[..<e])                                     // 1.000000000000000 → 1
        if mantissa.contains(".") { while mantissa.hasSuffix("0") { mantissa.removeLast() } }
        if mantissa.hasSuffix(".") { mantissa.removeLast() }
        return mantissa + "e\(exponent)"
    }

    /// `range(_:_:_:hint:)` for an option that may be absent.
    public static func range<T: Comparable>(_ option: String, _ value: T?, _ range: ClosedRange<T>,
                                            hint: String? = nil) throws(OptionError) {
        if let value { try Self.range(option, value, range, hint: hint) }
    }

    /// A learning rate, β, k…: a finite number above 0 and at most `maximum`.
    public static func positive<T: BinaryFloatingPoint>(_ option: String, _ value: T?, maximum: T,
                                                        hint: String? = nil) throws(OptionError) {
        guard let value else { return }
        guard value > 0, value <= maximum else {
            let (value, maximum) = (written(value), written(maximum))          // "5", not "5.0" as it was typed
            throw OptionError(Learner.text(
                "\(option) \(value) must be a number above 0 and at most \(maximum). HINT: "
                    + (hint ?? "give \(option) a value in (0, \(maximum)] (see --help)."),
                "\(option) \(value) 必须是大于 0、不超过 \(maximum) 的数。HINT："
                    + (hint ?? "给 \(option) 一个 (0, \(maximum)] 之间的值（见 --help）。")))
        }
    }

    /// The product of `factors` when it fits in `limit`: how many floats a setting asks for, checked before they are
    /// allocated. Otherwise an error naming every factor.
    /// - Parameter what: what the product counts, in the learner's language ("floats", "浮点数").
    @discardableResult
    public static func product(_ factors: [(option: String, value: Int)], limit: Int,
                               what: String) throws(OptionError) -> Int {
        var product = 1
        for f in factors {
            let (p, overflow) = product.multipliedReportingOverflow(by: f.value)
            guard !overflow, p <= limit else {
                let named = factors.map { "\($0.option) \($0.value)" }.joined(separator: " × ")
                throw OptionError(Learner.text(
                    "\(named) asks for more than \(limit) \(what). HINT: lower one of "
                        + factors.map(\.option).joined(separator: ", ") + ".",
                    "\(named) 需要的\(what)超过 \(limit) 个。HINT：调小 "
                        + factors.map(\.option).joined(separator: "、") + " 中的一个。"))
            }
            product = p
        }
        return product
    }
}
