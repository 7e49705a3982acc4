// A real command in a lesson cell (parsed by the lmlab root, its fd 1/2 captured): the Output it prints through
// OutputPrinter is recorded, found in the captured text and laid out again at another width (issue #16).
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

extension LessonRunTests {
    /// Other suites print while this one captures fd 1/2 (the process's), so their stray lines may land in the
    /// captured text: the checks are about the block, not the whole capture.
    @Test func corpusListInACellIsLaidOutAgainAtAnotherWidth() throws {
        let doc = try LessonDocument(markdown: "# T\n\n```lab id=list\ncorpus list\n```\n", path: "Lessons/en/t.md")
        let session = LabSession(document: doc, executor: LessonCellExecutor(capture: true, columns: 100))
        let run = session.run(doc.cells[0])
        let line = try #require(run.commands.first)
        let (wide, narrowTable) = (PlainRenderer.render(CorpusReport.list(), width: 100),
                                   PlainRenderer.render(CorpusReport.list(), width: 50))
        #expect(run.status == .ok && line.blocks.count == 1 && line.output.contains(wide), "\(line.output)")
        let narrow = run.output(width: 50)
        #expect(narrow.contains(narrowTable) && !narrow.contains(wide), "\(narrow)")
        #expect(narrowTable.split(separator: "\n").allSatisfy { EastAsianWidth.cells(String($0)) <= 50 }, "\(narrow)")
    }
}
