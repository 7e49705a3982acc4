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
import LabCore

/// `OptionCheck.range` (LabCore words every range check) as a usage error: an absent value passes.
func checkRange<T: Comparable>(_ option: String, _ value: T?, _ range: ClosedRange<T>, hint: String? = nil) throws {
    try asUsage { try OptionCheck.range(option, value, range, hint: hint) }
}

/// `OptionCheck.positive` as a usage error: a learning rate, β, temperature… above 0 and at most `maximum`.
func checkPositive<T: BinaryFloatingPoint>(_ option: String, _ value: T?, maximum: T, hint: String? = nil) throws {
    try asUsage { try OptionCheck.positive(option, value, maximum: maximum, hint: hint) }
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
