// OutputView — draws any Lab `Output` into a rectangle of a Screen.
//
// The picture is laid out once by Lab's `OutputLayout` (the same lines `PlainRenderer` prints), then each styled
// run is put on the screen with its style: emphasis is a role, and the screen decides what a role looks like
// (colour, bold, or nothing under NO_COLOR). Lines beyond the rectangle are cut; `scroll` skips the first lines.

import Lab

public enum OutputView {
    /// The screen style of an emphasis.
    public static func style(_ e: Emphasis) -> TextStyle {
        switch e {
        case .plain: return .plain
        case .strong: return .bold
        case .dim: return .dim
        case .code: return .code
        case .accent: return .accent
        case .good: return .good
        case .bad: return .bad
        }
    }

    /// The frame full-screen pages share: the screen cleared, `title` on the top row, `keyHelp` reversed on the
    /// bottom row (both cut to the width). The page draws its body between them.
    public static func frame(_ title: StyledLine, keyHelp: String, on screen: Screen) {
        screen.clear()
        draw([title], on: screen, top: 0, left: 0, width: screen.cols, height: 1)
        screen.put(KeyBar.fit(keyHelp, cols: screen.cols), row: screen.rows - 1, col: 0, style: .reverse)
    }

    /// Draws `output` in the rectangle (top, left, height × width), first `scroll` lines skipped.
    /// - Returns: the number of lines the output has at this width (for a scroll bar or a "more" mark).
    @discardableResult
    public static func draw(_ output: Output, on screen: Screen, top: Int, left: Int, width: Int, height: Int,
                            scroll: Int = 0) -> Int {
        guard width > 0, height > 0 else { return 0 }
        let lines = OutputLayout.lines(output, width: width, height: height)
        draw(lines, on: screen, top: top, left: left, width: width, height: height, scroll: scroll)
        return lines.count
    }

    /// Draws already laid-out lines (clipped to the rectangle).
    public static func draw(_ lines: [StyledLine], on screen: Screen, top: Int, left: Int, width: Int, height: Int,
                            scroll: Int = 0) {
        let start = max(0, min(scroll, lines.count))
        for (i, line) in lines[start...].prefix(height).enumerated() {
            var col = left
            for run in line.clipped(to: width).runs {
                screen.put(run.text, row: top + i, col: col, style: style(run.emphasis))
                col += EastAsianWidth.cells(run.text)
            }
        }
    }
}
