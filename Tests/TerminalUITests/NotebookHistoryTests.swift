// The notebook's edit line and `lmlab repl` share one history file (CommandHistory): a line typed in the REPL is
// there under ↑ when a cell is edited, and an edited cell's line is saved for the next REPL or notebook.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private final class EchoLines: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        output(line + "\n")
        return .ok
    }
    func ernieWeightsMissing() -> String? { nil }
}

@Test func theEditLineReadsAndSavesTheSharedHistory() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-nb-history-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let history = CommandHistory(path: folder.appendingPathComponent("lmlab/history").path)
    try history.append("echo typed in the repl")
    let document = try LessonDocument(markdown: "# T\n\nText.\n\n```lab id=one\necho first\n```\n", path: "t.md")
    let page = LessonPage(document: document, session: LabSession(document: document, executor: EchoLines()), language: .en)
    page.history = history
    let s = MemoryScreen(rows: 24, cols: 80)
    _ = page.handle(.char("e"))
    _ = page.handle(.up)
    page.draw(on: s)
    #expect(s.line(23) == "edit> echo typed in the repl", "the REPL's line is in the edit line's history")
    _ = page.handle(.ctrl("u"))
    for ch in "echo edited in the notebook" { _ = page.handle(.char(ch)) }
    _ = page.handle(.enter)
    page.waitForCell()
    #expect(history.lines() == ["echo typed in the repl", "echo edited in the notebook"])
}
