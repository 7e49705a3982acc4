// OutputPrinter — where a command's `Output` value becomes text: laid out by Lab's PlainRenderer at the width the
// output goes to (the notebook's cell width via COLUMNS, the terminal's width, or 80 in a pipe). The same value opens
// full screen with --explore (OutputPage and the explorer pages draw it with styles) and is JSON with --json.
import Foundation
import Lab
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum OutputPrinter {
    /// COLUMNS when set (the notebook sets it for a cell), else the terminal's width, else 80; at least 40.
    static var columns: Int {
        if let c = ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init), c > 0 { return max(40, c) }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return max(40, Int(size.ws_col)) }
        return 80
    }

    /// Prints `output` as plain text at `columns` (pictures `height` rows tall).
    static func print(_ output: Output, height: Int? = nil) {
        Swift.print(PlainRenderer.render(output, width: columns, height: height))
    }
}
