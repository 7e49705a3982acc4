// The lesson page's scroll keys after a cell has run (walk 15, finding 2): a run makes the view follow the cell's
// output; Home and End, like the arrows and PgUp/PgDn, stop that and go to the top and the bottom.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private func longLesson() throws -> LessonPage {
    let cell = { (k: Int) in "Cell \(k) prose.\n\n```lab id=c\(k)\necho one\necho two\necho three\n```\n" }
    let doc = try LessonDocument(markdown: "# Scrolling\n\n" + (1...6).map(cell).joined(separator: "\n"), path: "s.md")
    return LessonPage(document: doc, session: LabSession(document: doc, executor: EchoExecutor()), language: .en)
}

@Test func homeAndEndScrollAfterACellHasRun() throws {
    let page = try longLesson()
    let s = MemoryScreen(rows: 12, cols: 60)
    page.draw(on: s)
    _ = page.handle(.tab); _ = page.handle(.tab)            // the third cell: mid-lesson
    _ = page.handle(.enter)
    page.waitForCell()
    s.clear(); page.draw(on: s)
    let ran = s.line(0)
    #expect(!ran.contains("100%") && s.text.contains("✓ done"), "the view follows the third cell: \(ran)")
    _ = page.handle(.end)
    s.clear(); page.draw(on: s)
    #expect(s.line(0).contains("100%"), "End goes to the bottom: \(s.line(0))")
    _ = page.handle(.home)
    s.clear(); page.draw(on: s)
    #expect(s.line(1).contains("Scrolling"), "Home goes to the top:\n\(s.text)")
}
