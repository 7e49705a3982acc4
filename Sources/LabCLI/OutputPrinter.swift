// OutputPrinter — where a command's `Output` value becomes text: laid out by Lab's PlainRenderer at the width the
// output goes to (TerminalSize: COLUMNS — the notebook sets it for a cell —, the terminal's width, or 80 in a pipe).
// The same value opens full screen with --explore (OutputPage and the explorer pages draw it with styles).
import Lab
import TerminalUI

enum OutputPrinter {
    /// Prints `output` as plain text at the output's width, at least 40 cells (pictures `height` rows tall).
    static func print(_ output: Output, height: Int? = nil) {
        Swift.print(PlainRenderer.render(output, width: max(40, TerminalSize.columns(fallback: 80)), height: height))
    }
}
