// Enter on an exercise cell (issue 20): with $EDITOR set it hands the terminal over (PageAction.handOver) to edit
// the exercise's own file; without one it opens the built-in editor on that file; on return the cell runs
// `exercise check NAME --hint`, whose failure prints the next hint (counted in progress.json; ExerciseTests). The run itself (swiftc, the real check) is the tmux end-to-end test's.
import Foundation
import Testing
import Lab
import LabCore
@testable import TerminalUI

/// Runs `exercise check …` as a failing check would end (what it printed, then a failure); other lines as EchoExecutor.
private final class FailingCheck: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        output("✗ not yet — 3/26 cases agree\n")
        return .failed("softmax does not pass the check yet")
    }
    func ernieWeightsMissing() -> String? { nil }
}

@Test func enterOnAnExerciseCellEditsTheExercisesFileThenChecksAndHints() throws {
    guard let catalog = try? ExerciseCatalog.ofProject() else {
        print("SKIPPED enterOnAnExerciseCellEditsTheExercisesFileThenChecksAndHints: no project folder (run from the repository or set LMLAB_HOME).")
        return
    }
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=ex\nexercise check softmax\n```\n", path: "t.md")
    let progress = ProgressStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-excell-\(UUID().uuidString)"))
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: FailingCheck()), language: .zh, progress: progress)

    page.environment = [:]
    guard case .open(let opened) = page.handle(.enter), let editor = opened as? ExerciseEditorPage else {
        Issue.record("without EDITOR, Enter should open the built-in editor"); return
    }
    #expect(editor.file == catalog.workFile(try catalog.entry("softmax")), "the exercise's own file: \(editor.file.path)")

    page.environment = ["EDITOR": "true"]
    guard case .handOver = page.handle(.enter) else { Issue.record("with EDITOR, Enter should hand the terminal over"); return }

    // What the editor's return starts: the check with --hint, so a failure prints the next hint with its verdict.
    let recording = RecordingExecutor()
    let checked = LessonPage(document: doc, session: LabSession(document: doc, executor: recording), language: .zh)
    checked.checkExercise(doc.cells[0])
    checked.waitForCell()
    #expect(recording.lines == ["exercise check softmax --hint"], "\(recording.lines)")
    let s = MemoryScreen(rows: 24, cols: 80)
    checked.draw(on: s)
    #expect(s.text.contains("r 重来") && !s.text.contains("r 恢复原样"), "the notebook's own check is no edit of the cell:\n\(s.text)")
}

/// An $EDITOR that cannot run: the Chinese notebook says so in Chinese, and whole — the fix was cut off with "…" at the
/// end of the one status row, and the message was English (w17 exercise walk 4).
@Test func anEditorThatFailsIsExplainedInTheLessonsLanguageAndInFull() throws {
    guard (try? ExerciseCatalog.ofProject()) != nil else {
        print("SKIPPED anEditorThatFailsIsExplainedInTheLessonsLanguageAndInFull: no project folder."); return
    }
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=ex\nexercise check softmax\n```\n", path: "t.md")
    let recording = RecordingExecutor()
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: recording), language: .zh, progress: nil)
    page.environment = ["EDITOR": "lmlab-no-such-editor"]
    guard case .handOver(let edit) = page.handle(.enter) else { Issue.record("with EDITOR, Enter hands over"); return }
    Learner.$language.withValue(.en) { edit() }          // the notebook's thread binds no language
    #expect(recording.lines.isEmpty, "no check after an editor that failed")
    let s = MemoryScreen(rows: 24, cols: 60)
    page.draw(on: s)
    // Not found (status 127) in a terminal; without one (the test runner) the editor cannot even start.
    #expect(s.text.contains("编辑器 `lmlab-no-such-editor`") && s.text.contains("EDITOR=nano"), "\(s.text)")
}

/// Records the lines the notebook runs.
private final class RecordingExecutor: CellExecutor {
    var lines: [String] = []
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus { lines.append(line); return .ok }
    func ernieWeightsMissing() -> String? { nil }
}

@Test func rOnAnExerciseCellStartsTheExerciseOverAndRAgainRestoresTheCell() throws {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=ex\nexercise check softmax\n```\n", path: "t.md")
    let executor = RecordingExecutor()
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: executor), language: .zh)
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(s.text.contains("r 重来"), "the cell says how to start over:\n\(s.text)")
    _ = page.handle(.char("r"))
    page.waitForCell()
    #expect(executor.lines == ["exercise reset softmax"], "the reset runs in the cell, where the policy asks first")
    s.clear(); page.draw(on: s)
    #expect(s.text.contains("› exercise reset softmax") && s.text.contains("r 恢复原样"), "\(s.text)")
    _ = page.handle(.char("r"))
    s.clear(); page.draw(on: s)
    #expect(s.text.contains("› exercise check softmax") && s.text.contains("r 重来"), "the cell's own line again:\n\(s.text)")
}

/// On an exercise cell the key bar says what Enter does there (edit and check), as the cell's header does.
@Test func theKeyBarOnAnExerciseCellSaysEnterEditsAndChecks() throws {
    let doc = try LessonDocument(markdown: "# T\n\nText.\n\n```lab id=c\ncorpus list\n```\n\n```lab id=ex\nexercise check softmax\n```\n",
                                 path: "t.md")
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: FailingCheck()), language: .zh, progress: nil)
    let exercise = try #require(page.items.firstIndex { if case .cell(let c) = $0 { return c.exerciseName != nil }; return false })
    let command = try #require(page.items.firstIndex { if case .cell(let c) = $0 { return c.exerciseName == nil }; return false })
    page.state.selected = command
    #expect(page.keyHelp.contains("Enter 运行"), "\(page.keyHelp)")
    page.state.selected = exercise
    #expect(page.keyHelp.contains("Enter 编辑并检查 · r 重来") && !page.keyHelp.contains("Enter 运行"), "\(page.keyHelp)")
    // At 60 columns the bar keeps what Enter does and Tab (it dropped Enter first: w17 exercise walk 13).
    let s = MemoryScreen(rows: 24, cols: 60)
    page.draw(on: s)
    #expect(s.line(23).contains("Enter 编辑并检查") && s.line(23).contains("Tab"), "\(s.line(23))")
}

/// On a quiz the key bar says Enter answers and h hints (it offered "Enter run · e edit"), and e says a quiz is
/// not edited (it said "select a cell with Tab", though Tab had selected the quiz).
@Test func theKeyBarOnAQuizSaysEnterAnswers() throws {
    let quiz = "```quiz\nid: q\nkind: choice\nquestion: Q?\nchoices: a) x | b) y\nanswer: a\n```\n"
    let doc = try LessonDocument(markdown: "# T\n\n" + quiz, path: "t.md")
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: FailingCheck()), language: .zh, progress: nil)
    page.state.selected = 0
    #expect(page.keyHelp.contains("Enter 作答 · h 提示") && !page.keyHelp.contains("e 编辑"), "\(page.keyHelp)")
    _ = page.handle(.char("e"))
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(s.text.contains("小测不能编辑"), "\(s.text)")
}

/// Asks the learner before `exercise reset` (as the cell policy does for a write) and refuses on a no.
private final class AskingExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus { .ok }
    func execute(_ line: String, ask: ((String) -> Bool)?, typedByLearner: Bool,
                 output: @escaping (String) -> Void) -> CommandStatus {
        guard line.hasPrefix("exercise reset") else { output("✗ 还没通过\n"); return .failed("softmax 还没通过检查") }
        return ask?(line) == true ? .ok : .failed("没有运行（你选了否）")
    }
    func ernieWeightsMissing() -> String? { nil }
}

/// `r` on an exercise cell, answered no: the cell is as it was (its last check), not a red "exercise reset" run.
@Test func noToStartingOverLeavesTheExerciseCellAsItWas() throws {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=ex\nexercise check softmax\n```\n", path: "t.md")
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: AskingExecutor()), language: .zh)
    page.start(doc.cells[0], commands: nil)
    page.waitForCell()
    page.state.selected = 0
    _ = page.handle(.char("r"))
    let deadline = Date().addingTimeInterval(10)
    while page.pendingQuestion == nil && Date() < deadline { _ = page.tick(); usleep(2000) }
    page.answer(false)
    page.waitForCell()
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(s.text.contains("› exercise check softmax") && !s.text.contains("exercise reset") && s.text.contains("✗ 还没通过"),
            "\(s.text)")
    #expect(s.text.contains("没有重来") && page.keyHelp.contains("r 重来"), "\(s.text)")
    #expect(page.session.run(of: "ex")?.commands.first?.command == "exercise check softmax")
}

/// Records the width each line ran at (`Learner.columns`, what commands lay their output out for).
private final class WidthExecutor: CellExecutor {
    var widths: [Int?] = []
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus { widths.append(Learner.columns); return .ok }
    func ernieWeightsMissing() -> String? { nil }
}

/// A cell run after a resize is laid out for the new width (it kept the width the lesson was opened at, so tables
/// drawn for 76 columns were wrapped again at 56).
@Test func aCellRunsAtTheWidthOfTheScreenItIsOn() throws {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=c\necho hi\n```\n", path: "t.md")
    let executor = WidthExecutor()
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: executor), language: .zh)
    for cols in [80, 60, 100] {
        page.draw(on: MemoryScreen(rows: 24, cols: cols))
        page.start(doc.cells[0], commands: nil)
        page.waitForCell()
    }
    #expect(executor.widths == [76, 56, 96], "\(executor.widths)")
}

/// A lesson opens on its prose with the first cell selected but below the screen: the first Tab goes to that cell,
/// not to the second (the learner never saw the first one selected).
@Test func theFirstTabGoesToTheFirstCell() throws {
    let prose = (1...30).map { "Paragraph \($0) of the introduction." }.joined(separator: "\n\n")
    let doc = try LessonDocument(markdown: "# T\n\n\(prose)\n\n```lab id=one\necho 1\n```\n\n```lab id=two\necho 2\n```\n", path: "t.md")
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: WidthExecutor()), language: .en)
    page.draw(on: MemoryScreen(rows: 12, cols: 80))
    _ = page.handle(.tab)
    #expect(page.state.selected == 0, "the first cell, item 0: \(page.state.selected ?? -1)")
    _ = page.handle(.tab)
    #expect(page.state.selected == 1)
}

/// A quiz answer that names no choice ("z") is not graded: the lab says so and asks again; a full-width "ｂ" from a
/// Chinese keyboard is graded as b.
@Test func aSlipAtAQuizIsAskedAgainNotGraded() throws {
    let quiz = "```quiz\nid: q\nkind: choice\nquestion: Q?\nchoices: a) x | b) y\nanswer: b\n```\n"
    let doc = try LessonDocument(markdown: "# T\n\n" + quiz, path: "t.md")
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: WidthExecutor()), language: .zh)
    page.state.selected = 0
    _ = page.handle(.enter)
    for key in [Key.char("z"), .enter] { _ = page.handle(key) }
    let s = MemoryScreen(rows: 24, cols: 80)
    page.draw(on: s)
    #expect(page.state.quizzes["q"] == nil && s.text.contains("没有这个选项：请输入 a、b 之一。"), "\(s.text)")
    for key in [Key.char("ｂ"), .enter] { _ = page.handle(key) }              // the answer; then the confidence question
    s.clear(); page.draw(on: s)
    #expect(!s.text.contains("没有这个选项"), "the slip's note goes once a choice is named:\n\(s.text)")
    _ = page.handle(.enter)
    #expect(page.state.quizzes["q"]?.correct == true, "ｂ is b")
}

/// `lmlab --lang zh` on a terminal is the notebook in Chinese (it printed the text home screen, whose own hint says
/// `lmlab --lang en` switches the language); any other line is a command.
@Test func langAloneOpensTheNotebookInThatLanguage() {
    #expect(Notebook.environment(for: [], ["LANG": "C"]) == ["LANG": "C"])
    #expect(Notebook.environment(for: ["--lang", "ZH"], ["LMLAB_LANG": "en"]) == ["LMLAB_LANG": "zh"])
    #expect(Notebook.environment(for: ["--lang", "fr"], [:]) == nil, "a bad value is left to the parser's error")
    #expect(Notebook.environment(for: ["lessons", "--lang", "zh"], [:]) == nil)
    #expect(Notebook.environment(for: ["--lang=zh"], [:]) == ["LMLAB_LANG": "zh"], "the parser's other spelling")
    #expect(Notebook.environment(for: ["--lang"], [:]) == nil)
}

/// At 60×20 the editor's key bar keeps "s save & check", its only check (walk 15: it dropped that and kept "d"), and
/// Enter, ? and the way back; o and d go first.
@Test(arguments: LessonLanguage.allCases)
func theEditorsKeyBarAt60ColumnsKeepsSaveAndCheck(_ lang: LessonLanguage) throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-keybar-\(UUID().uuidString).swift")
    try "func f() {}\n".write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let s = MemoryScreen(rows: 20, cols: 60)
    ExerciseEditorPage(file: file, language: lang) {}.draw(on: s)
    let bar = s.line(19)
    let must = lang == .zh ? ["Enter 编辑该行", "s 保存并检查", "? 按键", "q 返回"]
                           : ["Enter edit line", "s save & check", "? keys", "q back"]
    #expect(must.allSatisfy(bar.contains) && EastAsianWidth.cells(bar) <= 60, "«\(bar)»")
    #expect(!bar.contains(lang == .zh ? "d 删行" : "d delete"), "«\(bar)»")
}

/// The sequences bound to keys whatever TERM says: Home and End in every form a terminal sends them.
@Test func homeAndEndAreBoundInEveryFormTerminalsSend() {
    let bound = Dictionary(KeyDecoder.sequences, uniquingKeysWith: { a, _ in a })
    let key = { (s: String) in bound[s].flatMap { KeyDecoder.decode(isKeyCode: true, value: UInt32($0)) } }
    for home in ["[H", "OH", "[1~", "[7~"] { #expect(key(home) == .home, "\(home)") }
    for end in ["[F", "OF", "[4~", "[8~"] { #expect(key(end) == .end, "\(end)") }
    #expect(bound.count == KeyDecoder.sequences.count, "each sequence once")
    #expect(KeyDecoder.sequences.allSatisfy { KeyDecoder.decode(isKeyCode: true, value: UInt32($0.1)) != nil })
}

/// Two labs (or the built-in editor and another editor) on one exercise file: a save does not silently overwrite
/// what the other saved meanwhile (w17 exercise walk 1). The first s says so; a second s overwrites and keeps the
/// other version as a backup that never replaces an older one; q leaves unsaved at once; with nothing of mine
/// changed, s checks the file as the other left it (review 17, 4 and 5).
@Test func theBuiltInEditorDoesNotOverwriteAFileChangedElsewhereUnasked() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-conflict-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("top_p.swift")
    let backup = dir.appendingPathComponent("top_p.swift.bak"), second = dir.appendingPathComponent("top_p.swift.2.bak")
    try "an older reset's backup\n".write(to: backup, atomically: true, encoding: .utf8)
    try "func f() {\n    return\n}\n".write(to: file, atomically: true, encoding: .utf8)
    var saved = 0
    let page = ExerciseEditorPage(file: file, language: .zh) { saved += 1 }
    _ = page.handle(.char("d"))                                           // my edit: line 1 deleted
    try "func f() {\n    // from the other lab\n}\n".write(to: file, atomically: true, encoding: .utf8)
    guard case .stay = page.handle(.char("s")) else { Issue.record("s overwrote a file changed elsewhere"); return }
    let onDisk = try String(contentsOf: file, encoding: .utf8)
    #expect(saved == 0 && onDisk.contains("from the other lab"))
    let s = MemoryScreen(rows: 12, cols: 60)
    page.draw(on: s)
    #expect(s.text.contains("被别处改过") && s.text.contains("按 q 不保存"), "said whole:\n\(s.text)")
    guard case .back = page.handle(.char("s")) else { Issue.record("a second s overwrites"); return }
    #expect(saved == 1)
    #expect(try String(contentsOf: file, encoding: .utf8) == "    return\n}\n")
    #expect(try String(contentsOf: backup, encoding: .utf8) == "an older reset's backup\n", "an older backup is kept")
    #expect(try String(contentsOf: second, encoding: .utf8).contains("from the other lab"))
    // q right after the conflict leaves, unsaved, as the message says.
    let quitter = ExerciseEditorPage(file: file, language: .en) { saved += 1 }
    _ = quitter.handle(.char("d"))
    try "changed again\n".write(to: file, atomically: true, encoding: .utf8)
    _ = quitter.handle(.char("s"))
    guard case .back = quitter.handle(.char("q")) else { Issue.record("q after the conflict did not leave"); return }
    let unchanged = try String(contentsOf: file, encoding: .utf8)
    #expect(unchanged == "changed again\n" && saved == 1)
    // Nothing of mine changed: s checks the other's version, writes nothing.
    let reader = ExerciseEditorPage(file: file, language: .en) { saved += 1 }
    try "the other's newest\n".write(to: file, atomically: true, encoding: .utf8)
    guard case .back = reader.handle(.char("s")) else { Issue.record("s with no edits goes back to check"); return }
    let newest = try String(contentsOf: file, encoding: .utf8)
    #expect(saved == 2 && newest == "the other's newest\n")
}
