// The one progress line: redrawn in place on a terminal, a whole line every few steps in a pipe, silent while a
// page watches; a message that stays first ends a line drawn in place.
import Foundation
import LabCore
import Testing
@testable import Lab

private final class Sink: @unchecked Sendable {
    var bytes = ""
    func write(_ s: String) { bytes += s }
}

private func meter(steps: Int, of total: Int) -> TrainingMeter {
    var m = TrainingMeter(totalSteps: total, clock: { 0 })
    for s in 1...steps { m.record(step: s, loss: 1, tokens: 1) }
    return m
}

@Test func progressLineRedrawsInPlaceOnATerminal() {
    let sink = Sink()
    let line = ProgressLine(interactive: true, write: sink.write)
    line.draw("a")
    line.draw("b")
    line.emit("done")
    line.finish()                               // nothing drawn since the emit: no extra newline
    #expect(sink.bytes == "\ra\u{1B}[K\rb\u{1B}[K\ndone\n")
}

@Test func progressLineInAPipeWritesOnlyWholeLines() {
    let sink = Sink()
    let progress = TrainingProgressLine(every: 2, prefix: "x  ", line: ProgressLine(interactive: false, write: sink.write))
    for s in 1...5 { progress.show(meter(steps: s, of: 5)) }
    progress.finish()
    let lines = sink.bytes.split(separator: "\n").map(String.init)
    #expect(lines.count == 2)                   // steps 2 and 4
    #expect(lines.allSatisfy { $0.hasPrefix("x  step ") && !$0.contains("\r") })
    #expect(lines[0].hasPrefix("x  step 2/5"))

    let tenths = Sink()
    let byTenths = TrainingProgressLine(every: nil, line: ProgressLine(interactive: false, write: tenths.write))
    for s in 1...100 { byTenths.show(meter(steps: s, of: 100)) }
    #expect(tenths.bytes.split(separator: "\n").count == 10)
}

/// On a narrow terminal the line drawn in place fits: a wider one wrapped, and each "\r" redraw then went down a row
/// (`embed train` at 60 columns scrolled a line per step: w17 REPL walk 3). The speed goes first, then the average;
/// the step, the loss and the time left stay.
@Test func aLineDrawnInPlaceFitsTheTerminal() {
    var m = TrainingMeter(totalSteps: 360, clock: { 0 })
    for s in 1...146 { m.record(step: s, loss: 1.743, tokens: 605_765) }
    for (language, width) in [(LessonLanguage.zh, 60), (.en, 60), (.zh, 44), (.en, 200)] {
        Learner.$language.withValue(language) {
            let sink = Sink()
            let progress = TrainingProgressLine(prefix: "embed train  ", line: ProgressLine(interactive: true, columns: { width }, write: sink.write))
            progress.show(m)
            let drawn = String(sink.bytes.dropFirst().dropLast(3))                     // "\r" … "\u{1B}[K"
            print("\(width): \(drawn)")
            #expect(EastAsianWidth.cells(drawn) < width, "\(drawn)")
            #expect(drawn.hasPrefix("embed train  ") && drawn.contains(Learner.text("loss 1.743", "损失 1.743")), "\(drawn)")
            if width == 200 { #expect(drawn == "embed train  " + m.line) }
        }
    }
}
