// OptionBounds — the allowed range of every size option, shown in its --help and checked in validate() before
// anything is allocated: an absurd number is a usage error (exit 64) that names the option, the value and the
// range, never a crash, a wrapped count or a run that grows until the machine runs out of memory.
//
//   $ lmlab train tiny-ernie --hidden 4611686018427387904
//   Error: --hidden 4611686018427387904 is outside 1…4096. HINT: give --hidden a value in 1…4096 (see --help).
//
// Products of sizes (batch × sequence × width, parameter counts) are computed with overflow checks: a combination
// whose product does not fit is the same kind of error, naming every factor.
import ArgumentParser
import Decoding
import Lab

/// `value` must lie in `range` (NaN never does); otherwise a ValidationError naming `option`.
/// - Parameter hint: the fix when it is more specific than "a value in the range".
func checkRange<T: Comparable>(_ option: String, _ value: T, _ range: ClosedRange<T>, hint: String? = nil) throws {
    guard range.contains(value) else {
        throw ValidationError("\(option) \(value) is outside \(range.lowerBound)…\(range.upperBound). HINT: "
            + (hint ?? "give \(option) a value in \(range.lowerBound)…\(range.upperBound) (see --help)."))
    }
}

/// `checkRange` for an option that may be absent.
func checkRange<T: Comparable>(_ option: String, _ value: T?, _ range: ClosedRange<T>, hint: String? = nil) throws {
    if let value { try checkRange(option, value, range, hint: hint) }
}

/// A learning rate, β, temperature…: a finite number above 0 and at most `maximum`.
func checkPositive<T: BinaryFloatingPoint>(_ option: String, _ value: T?, maximum: T, hint: String? = nil) throws {
    guard let value else { return }
    guard value > 0, value <= maximum else {
        throw ValidationError("\(option) \(value) must be a number above 0 and at most \(maximum). HINT: "
            + (hint ?? "give \(option) a value in (0, \(maximum)] (see --help)."))
    }
}

/// The product of `factors` when it fits in `limit`, else a ValidationError naming every factor: how many floats
/// a setting asks for, checked before they are allocated.
@discardableResult
func checkProduct(_ factors: [(option: String, value: Int)], limit: Int, what: String) throws -> Int {
    var product = 1
    var fits = true
    for f in factors {
        let (p, overflow) = product.multipliedReportingOverflow(by: f.value)
        if overflow || p > limit { fits = false; break }
        product = p
    }
    guard fits else {
        let named = factors.map { "\($0.option) \($0.value)" }.joined(separator: " × ")
        throw ValidationError("\(named) asks for more than \(limit) \(what). HINT: lower one of "
            + factors.map(\.option).joined(separator: ", ") + ".")
    }
    return product
}

/// Runs `body`, turning what a library refuses as a usage problem (options that do not go together, a vector that
/// does not parse) into a `ValidationError`: exit 64 with the usage, also when run() throws it.
func usage<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as OptionUsageError {
        throw ValidationError(e.description)
    } catch let e as LayerPieces.InputError {
        throw ValidationError(e.description)
    }
}

/// Decoding's refusal of settings that came from options (`DecodingError`: a top-p of 0, more returns than beams)
/// as a usage error. Not for decoding itself, whose errors (a server's answer) are runtime failures.
func decodingSettings<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as DecodingError { throw ValidationError(e.description) }
}
