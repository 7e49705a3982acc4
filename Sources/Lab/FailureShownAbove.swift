// FailureShownAbove — a failure the command has already explained in what it printed (a check's verdict, a
// download's error). On the command line and in the REPL nothing more is printed, as for `ExitCode(1)`, and the exit
// status is 1; a lesson cell shows `summary` as the cell's failure, instead of an empty "failed: ".

public struct FailureShownAbove: Error, CustomStringConvertible {
    /// One line: what failed and where the details are.
    public let summary: String
    /// Empty, so ArgumentParser prints nothing (the details are already out).
    public var description: String { "" }

    public init(summary: String) { self.summary = summary }
}
