// What the CLI and the REPL print follows the Chinese line-breaking rules too (OutputLayout.text glues each closing
// mark to the piece before it and each opening mark to the piece after it): no line starts with 。，）… or ends with （.
import Testing
@testable import Lab

@Test func plainTextNeverBreaksAgainstKinsoku() {
    let text = "tiny-ernie：总 log P -124.350，P 9.90028e-55，困惑度 31649.199（共 12 个计分词元）。BOS：在最前面加上 <s>（id 1），"
        + "文本的第一个词元也会被打分（lm-evaluation-harness 的约定）。"
    var checked = 0
    for width in 20...60 {                    // narrower, a word longer than the line is cut anywhere
        let lines = PlainRenderer.render(.text(OutputText(text)), width: width).split(separator: "\n").map(String.init)
        for (k, line) in lines.enumerated() {
            checked += 1
            if k > 0, let first = line.unicodeScalars.first {
                #expect(!Kinsoku.neverStartsLine(first) || first == " ", "width \(width): \(line)")
            }
            if k < lines.count - 1, let last = line.unicodeScalars.last {
                #expect(!Kinsoku.neverEndsLine(last), "width \(width): \(line)")
            }
        }
    }
    print("kinsoku in plain output: \(checked) lines at widths 20–60 checked")
}
