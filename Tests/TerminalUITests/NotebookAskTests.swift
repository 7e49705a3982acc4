// The notebook's question when a cell needs the learner's yes (LabCLI's CellPolicy decides which): the question
// shows on the bottom row, the cell waits, y runs it, n / Esc / Ctrl-C do not; other keys do not leave the question.
// A cell's command line is drawn with its control characters escaped.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

/// "guarded X" asks to run X and prints "ran X" only on a yes; anything else prints itself.
private final class AskingExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        execute(line, ask: nil, output: output)
    }
    func execute(_ line: String, ask: ((String) -> Bool)?, output: @escaping (String) -> Void) -> CommandStatus {
        guard line.hasPrefix("guarded ") else { output(line + "\n"); return .ok }
        let what = String(line.dropFirst("guarded ".count))
        guard let ask, ask(what) else { return .failed("\(what): not run") }
        output("ran \(what)\n")
        return .ok
    }
    func ernieWeightsMissing() -> String? { nil }
}

private func page(_ markdown: String, language: LessonLanguage = .en) throws -> LessonPage {
    let doc = try LessonDocument(markdown: markdown, path: "Lessons/\(language.rawValue)/ask.md")
    return LessonPage(document: doc, session: LabSession(document: doc, executor: AskingExecutor()), language: language)
}

/// Waits (bounded) until the running cell asks.
private func waitForQuestion(_ p: LessonPage) -> String? {
    let deadline = Date().addingTimeInterval(10)
    while p.pendingQuestion == nil && Date() < deadline { _ = p.tick(); Thread.sleep(forTimeInterval: 0.005) }
    return p.pendingQuestion
}

@Suite struct NotebookAskTests {
    static let lesson = "# Ask\n\n```lab id=net\nguarded download x\n```\n"

    @Test func yesRunsTheCellAndTheQuestionIsOnTheBottomRow() throws {
        let p = try page(Self.lesson)
        p.start(p.document.cells[0], commands: nil)
        #expect(waitForQuestion(p) == "download x")
        let screen = MemoryScreen(rows: 24, cols: 80)
        p.draw(on: screen)
        #expect(screen.line(23).hasPrefix("Allow `download x`? (see the cell's output) y yes / n no"), "\(screen.line(23))")
        guard case .stay = p.handle(.char("q")) else { Issue.record("q left the page while a cell asked"); return }
        #expect(p.pendingQuestion == "download x")
        _ = p.handle(.char("y"))
        p.waitForCell()
        #expect(p.session.run(of: "net")?.status == .ok)
        #expect(p.session.run(of: "net")?.output == "ran download x\n")
    }

    @Test func theQuestionIsInTheLessonsLanguage() throws {
        let p = try page(Self.lesson, language: .zh)
        p.start(p.document.cells[0], commands: nil)
        #expect(waitForQuestion(p) != nil)
        _ = p.tick()                                                // the app's next poll, as every 50 ms
        let screen = MemoryScreen(rows: 24, cols: 80)
        p.draw(on: screen)
        #expect(screen.line(23).hasPrefix("允许运行 `download x` 吗？（见单元输出）y 是 / n 否"), "\(screen.line(23))")
        // The cell waits for the answer, and says so rather than "running…" (w17 exercise walk 16).
        #expect(screen.text.contains("？ 等你回答") && !screen.text.contains("运行中"), "\(screen.text)")
        _ = p.handle(.char("n"))
        p.waitForCell()
    }

    /// A long command (a training run with its --out path) is shortened on the 80-column row; the keys that answer
    /// stay: the walk of session 12 saw "…（见单元输出…" with y and n cut off.
    @Test(arguments: [LessonLanguage.zh, .en])
    func aLongCommandLeavesTheKeysOnTheRow(_ language: LessonLanguage) throws {
        let long = "train nnlm --steps 5000 --out /work/scratch-walk/a-folder-with-a-long-name/nn"
        let p = try page("# Ask\n\n```lab id=net\nguarded \(long)\n```\n", language: language)
        p.start(p.document.cells[0], commands: nil)
        #expect(waitForQuestion(p) == long)
        let screen = MemoryScreen(rows: 24, cols: 80)
        p.draw(on: screen)
        let row = screen.line(23).trimmingCharacters(in: .whitespaces)
        #expect(row.hasSuffix(language == .zh ? "（见单元输出）y 是 / n 否" : "(see the cell's output) y yes / n no"), "\(row)")
        #expect(row.contains("train nnlm --steps 5000"), "\(row)")
        _ = p.handle(.char("n"))
        p.waitForCell()
    }

    /// A rerun whose output is shorter than the last one: the view comes back up to the cell, so the question's
    /// "(see the cell's output)" is on screen (the view stayed at the lesson's end, below the cell).
    @Test func aShorterRerunBringsTheCellBackIntoView() throws {
        let prose = (1...40).map { "Paragraph \($0) after the cell." }.joined(separator: "\n\n")
        let p = try page("# Ask\n\n```lab id=net\nguarded download x\n```\n\n" + prose + "\n")
        let screen = MemoryScreen(rows: 24, cols: 80)
        p.draw(on: screen)
        p.start(p.document.cells[0], commands: (1...60).map { "line \($0)" })
        p.waitForCell()
        p.draw(on: screen)
        #expect(screen.text.contains("line 60"), "\(screen.text)")
        p.start(p.document.cells[0], commands: nil)
        #expect(waitForQuestion(p) == "download x")
        p.draw(on: screen)
        #expect(screen.text.contains("› guarded download x"), "\(screen.text)")
        _ = p.handle(.char("n"))
        p.waitForCell()
    }

    @Test(arguments: [Key.char("n"), Key.escape])
    func noOrEscapeLeavesTheCellNotRun(_ key: Key) throws {
        let p = try page(Self.lesson)
        p.start(p.document.cells[0], commands: nil)
        #expect(waitForQuestion(p) != nil)
        _ = p.handle(key)
        p.waitForCell()
        #expect(p.session.run(of: "net")?.status == .failed(commandIndex: 0, message: "download x: not run"))
        #expect(p.pendingQuestion == nil)
    }

    @Test func ctrlCAtTheQuestionIsANo() throws {
        let p = try page(Self.lesson)
        p.start(p.document.cells[0], commands: nil)
        #expect(waitForQuestion(p) != nil)
        p.cancelRunning()
        p.waitForCell()
        #expect(p.session.run(of: "net")?.status == .failed(commandIndex: 0, message: "download x: not run"))
        Cancellation.reset()
    }

    @Test func aCellsCommandIsDrawnWithControlCharactersEscaped() throws {
        let p = try page("# Ask\n\n```lab id=esc\necho \u{1B}[2Jcleared\n```\n")
        let screen = MemoryScreen(rows: 24, cols: 80)
        p.draw(on: screen)
        #expect(screen.text.contains("› echo \\u{1b}[2Jcleared"), "\(screen.text)")
    }
}
