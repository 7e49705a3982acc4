// A finished cell's Outputs are laid out again at the cell's width after a resize (issue #16): a table printed for a
// wide screen is not cut or wrapped on a narrow one, and one printed narrow widens with the window; the redraw of a
// page of run cells after a resize stays fast.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private func page(cells: Int) throws -> (LessonPage, LessonDocument) {
    let cell = { (k: Int) in "Cell \(k).\n\n```lab id=c\(k)\necho Counted.\ntable\necho Done.\n```\n" }
    let markdown = "# T\n\n" + (1...cells).map(cell).joined(separator: "\n")
    let doc = try LessonDocument(markdown: markdown, path: "t.md")
    let session = LabSession(document: doc, executor: EchoExecutor())
    return (LessonPage(document: doc, session: session, language: .en), doc)
}

/// The screen shows every line of `text` (each trimmed: the page draws output 2 cells in).
private func shows(_ s: MemoryScreen, _ text: String) -> Bool {
    let screen = (0..<s.rows).map { s.line($0).trimmingCharacters(in: .whitespaces) }
    return text.split(separator: "\n").allSatisfy { screen.contains($0.trimmingCharacters(in: .whitespaces)) }
}

@Test func aFinishedCellsTableIsLaidOutAgainAfterAResize() throws {
    let (page, doc) = try page(cells: 1)
    let table = EchoExecutor.table
    let s = MemoryScreen(rows: 40, cols: 120)
    let app = App(screen: s, keys: NoKeys(), root: page)
    app.redraw()
    page.start(doc.cells[0], commands: nil)
    page.waitForCell()
    app.redraw()
    #expect(shows(s, PlainRenderer.render(table, width: 116)), "\(s.text)")   // 120 − 2 margins − 2 indent
    s.resize(rows: 40, cols: 70)
    app.handle(.resize)
    #expect(shows(s, PlainRenderer.render(table, width: 66)), "\(s.text)")
    #expect(s.text.contains("Counted.") && s.text.contains("Done."))
    #expect(page.session.run(of: "c1")?.output.contains(PlainRenderer.render(table, width: 116)) == true,
            "the run keeps the text as captured")
    s.resize(rows: 40, cols: 120)
    app.handle(.resize)
    #expect(shows(s, PlainRenderer.render(table, width: 116)), "back at 120 columns, as it ran")
}

/// Ten run cells: the first draw after a resize lays their tables out again, once each; the next draws at the same
/// width reuse them (counted, not timed: speed is for benchmarks).
@Test func aRedrawAfterAResizeLaysEachRunCellOutOnce() throws {
    let (page, doc) = try page(cells: 10)
    let s = MemoryScreen(rows: 40, cols: 120)
    page.draw(on: s)
    for cell in doc.cells { page.start(cell, commands: nil); page.waitForCell() }
    page.draw(on: s)
    for cols in [70, 100, 80, 120] {
        let before = page.state.relaid.layouts
        s.resize(rows: 40, cols: cols)
        page.draw(on: s)
        let resized = page.state.relaid.layouts
        page.invalidate()                                  // a tick's re-layout at the same width: reuses the tables
        page.draw(on: s)
        #expect(resized - before == 10, "at \(cols) columns each of the 10 cells is laid out once")
        #expect(page.state.relaid.layouts == resized, "a redraw at the same width lays nothing out again")
    }
}
