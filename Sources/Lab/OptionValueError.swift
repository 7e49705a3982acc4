// OptionValueError — a value that only the data shows to be unusable (exit 1, as any runtime failure), e.g. a
// --min-count above every word of the corpus; the message names the option and the fix.
public struct OptionValueError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A combination of options a command cannot run with (--ids together with --bos, --compare-precision without
/// --compare): the command line reports it as a usage error (exit 64, with the usage); the message names the options
/// and ends in a HINT.
public struct OptionUsageError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
