// OptionValueError — a value that only the data shows to be unusable (exit 1, as any runtime failure), e.g. a
// --min-count above every word of the corpus; the message names the option and the fix.
public struct OptionValueError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
