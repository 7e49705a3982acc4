// OutputPrinter — where a command's `Output` value becomes text: laid out by Lab's PlainRenderer at the output's width
// (TerminalSize: the cell's, COLUMNS, the terminal's, or 80 in a pipe), and in a cell recorded to be laid out again
// after a resize (OutputRecorder). --explore opens the same value full screen (OutputPage, the explorer pages).
import Foundation
import Lab
import TerminalUI

enum OutputPrinter {
    /// Prints `output` as plain text at the output's width, at least 40 cells (pictures `height` rows tall).
    static func print(_ output: Output, height: Int? = nil) {
        Swift.print(PlainRenderer.printed(output, width: max(40, TerminalSize.columns(fallback: 80)), height: height))
    }

    /// Writes one piece of a stream at once, unbuffered and after anything `print` holds, so pieces appear in order
    /// as they are chosen: a block as `print` lays it out, inline text as it is.
    static func stream(_ piece: StreamedOutput) {
        fflush(stdout)
        switch piece {
        case .block(let output):
            let text = PlainRenderer.printed(output, width: max(40, TerminalSize.columns(fallback: 80))) + "\n"
            FileHandle.standardOutput.write(Data(text.utf8))
        case .inline(let text):
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
