// A real command in a lesson cell (parsed by the lmlab root, its fd 1/2 captured): the Output it prints through
// OutputPrinter is recorded, found in the captured text and laid out again at another width (issue #16).
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

@Test func corpusListInACellIsLaidOutAgainAtAnotherWidth() throws {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=list\ncorpus list\n```\n", path: "Lessons/en/t.md")
    let session = LabSession(document: doc, executor: LessonCellExecutor(capture: true, columns: 100))
    let run = session.run(doc.cells[0])
    let line = try #require(run.commands.first)
    #expect(run.status == .ok && line.blocks.count == 1, "\(line.output)")
    #expect(line.output == PlainRenderer.render(CorpusReport.list(), width: 100) + "\n")
    let narrow = run.output(width: 50)
    #expect(narrow == PlainRenderer.render(CorpusReport.list(), width: 50) + "\n")
    #expect(narrow.split(separator: "\n").allSatisfy { EastAsianWidth.cells(String($0)) <= 50 }, "\(narrow)")
}
