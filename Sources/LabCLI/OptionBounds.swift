// OptionBounds — the allowed range of every size option, shown in its --help and checked in validate() before
// anything is allocated: an absurd number is a usage error (exit 64) that names the option, the value and the
// range, never a crash, a wrapped count or a run that grows until the machine runs out of memory.
//
//   $ lmlab train tiny-ernie --hidden 4611686018427387904
//   Error: --hidden 4611686018427387904 is outside 1…4096. HINT: give --hidden a value in 1…4096 (see --help).
//
// Products of sizes (batch × sequence × width, parameter counts) are computed with overflow checks
// (`OptionCheck.product`): a combination whose product does not fit is the same kind of error, naming every factor.
import LabCore

/// `OptionCheck.range` (LabCore words every range check) as a usage error: an absent value passes.
func checkRange<T: Comparable>(_ option: String, _ value: T?, _ range: ClosedRange<T>, hint: String? = nil) throws {
    try usage { try OptionCheck.range(option, value, range, hint: hint) }
}

/// `OptionCheck.positive` as a usage error: a learning rate, β, temperature… above 0 and at most `maximum`.
func checkPositive<T: BinaryFloatingPoint>(_ option: String, _ value: T?, maximum: T, hint: String? = nil) throws {
    try usage { try OptionCheck.positive(option, value, maximum: maximum, hint: hint) }
}
