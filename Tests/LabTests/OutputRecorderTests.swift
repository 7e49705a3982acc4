// A cell's Outputs are recorded as its line prints them, found in the captured text and laid out again at another
// width (issue #16); an Output whose text is not found as printed leaves the captured text as it is.
import Foundation
import LabCore
import Testing
@testable import Lab

private let wide = Output.table(OutputTable(
    title: "Next-token probabilities after “the cat sat on the”",
    headers: ["token", "probability", "log-probability", "what the model saw most often after it"],
    rows: [["mat", "0.412", "-0.887", "the mat, the mat again, and then a long tail of other rugs and carpets"],
           ["sofa", "0.130", "-2.040", "a sofa in the living room, near the window where the afternoon sun falls"]]))

/// "table" prints prose, the table laid out at the cell's width through the recorder path, and prose again;
/// "interleaved" prints the table with a stray stderr line in the middle of it, as fd capture can catch it.
private final class TableExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        let text = PlainRenderer.printed(wide, width: Learner.columns ?? 80)
        switch line {
        case "table": output("Before the table.\n" + text + "\nAfter it.\n")
        case "interleaved":
            var lines = text.components(separatedBy: "\n")
            lines.insert("warning: a stray line", at: 2)
            output(lines.joined(separator: "\n") + "\n")
        default: return .failed("unknown line \(line)")
        }
        return .ok
    }
    func ernieWeightsMissing() -> String? { nil }
}

private func session() throws -> (LabSession, LessonDocument) {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=t\ntable\n```\n\n```lab id=i\ninterleaved\n```\n",
                                 path: "t.md")
    return (LabSession(document: doc, executor: TableExecutor()), doc)
}

@Test func aTablePrintedAt100IsLaidOutAgainAt50() throws {
    let (session, doc) = try session()
    let run = Learner.$columns.withValue(100) { session.run(doc.cells[0]) }
    let line = try #require(run.commands.first)
    #expect(line.blocks.count == 1 && line.blocks.first?.width == 100)
    #expect(line.output.split(separator: "\n").contains { EastAsianWidth.cells(String($0)) > 50 }, "\(line.output)")
    let narrow = run.output(width: 50)
    let lines = narrow.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { EastAsianWidth.cells(String($0)) <= 50 }, "\(narrow)")
    #expect(narrow == "Before the table.\n" + PlainRenderer.render(wide, width: 50) + "\nAfter it.\n")
    #expect(run.output(width: 100) == run.output, "at the width it ran at, the text as captured")
}

@Test func anOutputNotFoundAsPrintedLeavesTheTextAsItIs() throws {
    let (session, doc) = try session()
    let run = Learner.$columns.withValue(100) { session.run(doc.cells[1]) }
    #expect(run.commands.first?.blocks == [])
    #expect(run.output(width: 50) == run.output && run.output.contains("warning: a stray line"))
}

/// A rendering is found only on whole lines of the captured text, after the one found before it.
@Test func renderingsAreFoundOnWholeLinesInOrder() {
    let recorder = OutputRecorder()
    for word in ["dog", "cat", "dog"] { recorder.record(.text(word), width: 60, height: nil, text: word) }
    let blocks = recorder.blocks(in: "a dog\ndog\ncat\n")
    #expect(blocks.map(\.range) == [6..<9, 10..<13], "not inside \"a dog\"; the last dog is not before the cat")
}
