// TerminalSize — the size of the terminal standard output is drawn on, for plain-text layouts.
import LabCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

public enum TerminalSize {
    /// Columns of the terminal on standard output; `fallback` when it is not a terminal (a pipe, a file)
    /// or reports 0. `COLUMNS` overrides, as in other command-line tools.
    public static func columns(fallback: Int = 100) -> Int {
        if let c = Learner.columns, c > 0 { return c }                 // inside a lesson cell: the cell's width
        if let s = getenv("COLUMNS"), let n = Int(String(cString: s)), n > 0 { return n }
        var ws = winsize()
        if isatty(STDOUT_FILENO) == 1, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0 {
            return Int(ws.ws_col)
        }
        return fallback
    }
}
