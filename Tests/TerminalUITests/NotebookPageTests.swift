// The notebook's pages on the in-memory terminal: golden screens at 80×24 (home and a lesson, en and zh, before and
// after running a cell), the keys that move, run, edit and answer, resizing, and CJK columns that line up.
// Golden screens: Golden/notebook-*.txt; accept a deliberate change with LMLAB_UPDATE_GOLDEN=1.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
private let courseDir = golden.appendingPathComponent("notebook-course")

/// Runs "echo …" lines; "wait" blocks until cancelled (checking Ctrl-C as a training loop does); "swallow" notices
/// Ctrl-C, clears it and returns normally (a loop that saves and stops); "fail" prints an error and fails without a
/// message of its own; "table" prints `table` at the cell's width as OutputPrinter does (recorded, so the notebook
/// can lay it out again). Shared by the notebook tests.
final class EchoExecutor: CellExecutor {
    var ran: [String] = []
    static let table = Output.table(OutputTable(
        title: "Counts after “the”", headers: ["word", "count", "probability", "examples from the corpus"],
        rows: [["cat", "12", "0.400", "the cat sat on the mat, the cat ran after the dog across the garden"],
               ["dog", "9", "0.300", "the dog barked at the cat, the dog slept in the sun all afternoon long"]]))
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        ran.append(line)
        let words = (try? CommandWords.split(line)) ?? []
        switch words.first {
        case "echo": output(words.dropFirst().joined(separator: " ") + "\n"); return .ok
        case "table": output(PlainRenderer.printed(Self.table, width: Learner.columns ?? 80) + "\n"); return .ok
        case "wait", "swallow":
            output("waiting…\n")
            for _ in 0..<2000 {
                if words.first == "swallow", Cancellation.isRequested { Cancellation.reset(); output("stopped, saved\n"); return .ok }
                do { try Cancellation.check() } catch { return .cancelled }
                usleep(1000)
            }
            return .ok
        case "fail": output("error: the corpus 'nope' does not exist. HINT: lmlab corpus list\n"); return .failed("")
        case "usage": return .failed("--n 9 is outside 1…5. HINT: give --n a value in 1…5.")
        case "notfound": return .failed("no model \"tiny-erni\". Looked in:\n  Models/tiny-erni\nHINT: did you mean tiny-ernie?")
        default: return .failed("unknown command '\(words.first ?? "")'")
        }
    }
    func ernieWeightsMissing() -> String? { nil }
}

private func expectGolden(_ screen: MemoryScreen, _ name: String) throws {
    let url = golden.appendingPathComponent("notebook-\(name).txt")
    let text = screen.text + "\n"
    if ProcessInfo.processInfo.environment["LMLAB_UPDATE_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let expected = try #require(try? String(contentsOf: url, encoding: .utf8),
                                "no golden screen \(url.lastPathComponent): run LMLAB_UPDATE_GOLDEN=1 swift test --filter NotebookPageTests")
    if expected != text { print("notebook-\(name):\n\(text)") }
    #expect(expected == text, "screen \(name) differs from its golden")
}

private func tempProgress() -> ProgressStore {
    ProgressStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-nb-\(UUID().uuidString)"))
}

private func lessonPage(_ lang: LessonLanguage, executor: CellExecutor = EchoExecutor(), progress: ProgressStore? = nil) throws -> LessonPage {
    let doc = try LessonDocument(contentsOf: courseDir.appendingPathComponent("\(lang.rawValue)/01-counting.md"))
    return LessonPage(document: doc, session: LabSession(document: doc, executor: executor), language: lang, progress: progress)
}

/// No line of the screen is wider than the screen (MemoryScreen clips, so check the text we asked to draw fits).
private func expectNoOverflow(_ s: MemoryScreen) {
    for r in 0..<s.rows { #expect(EastAsianWidth.cells(s.line(r)) <= s.cols, "row \(r) overflows: \(s.line(r))") }
}

@Suite(.serialized) struct NotebookPageTests {
    init() { _ = TerminalLocale.activate() }

    @Test(arguments: LessonLanguage.allCases)
    func homeListsTheLessonsWithProgress(_ lang: LessonLanguage) throws {
        let course = try Course(lessonsDirectory: courseDir)
        let progress = tempProgress()
        progress.recordOpened("01-counting.md", lang)
        progress.recordCellRun("01-counting.md", lang, cellID: "count")
        let home = HomePage(course: course, language: lang, progress: progress, makeExecutor: { _ in EchoExecutor() })
        let s = MemoryScreen(rows: 24, cols: 80)
        home.draw(on: s)
        try expectGolden(s, "home-\(lang.rawValue)")
        #expect(s.line(4).contains(lang == .en ? "1/2 cells" : "1/2 个单元"))
        // l switches the language; Enter on an unwritten lesson says so instead of opening it.
        _ = home.handle(.char("l"))
        #expect(home.language != lang)
        _ = home.handle(.down)
        guard case .stay = home.handle(.enter) else { Issue.record("opened an unwritten lesson"); return }
        s.clear(); home.draw(on: s)
        #expect(s.line(22).contains(home.language == .en ? "not written yet" : "还没有中文版"))
        _ = home.handle(.up)
        guard case .open(let page) = home.handle(.enter) else { Issue.record("lesson 1 did not open"); return }
        #expect(page is LessonPage)
        guard case .quit = home.handle(.char("q")) else { Issue.record("q on home does not quit"); return }
    }

    @Test(arguments: LessonLanguage.allCases)
    func questionMarkOnHomeOpensTheKeysAndAnyKeyClosesThem(_ lang: LessonLanguage) throws {
        let home = HomePage(course: try Course(lessonsDirectory: courseDir), language: lang, progress: tempProgress(),
                            makeExecutor: { _ in EchoExecutor() })
        let s = MemoryScreen(rows: 24, cols: 80)
        #expect(home.keyHelp.contains(lang == .en ? "? keys" : "? 按键"))
        guard case .stay = home.handle(.char("?")) else { Issue.record("? left the home page"); return }
        home.draw(on: s)
        print(s.text)
        #expect(s.text.contains(lang == .en ? "jump to lesson N" : "跳到第 N 课"))
        expectNoOverflow(s)
        // q closes the box first (any key does) instead of quitting; the next q quits.
        guard case .stay = home.handle(.char("q")) else { Issue.record("q with the box open quit"); return }
        s.clear(); home.draw(on: s)
        #expect(!s.text.contains(lang == .en ? "jump to lesson N" : "跳到第 N 课"))
        guard case .quit = home.handle(.char("q")) else { Issue.record("q on home does not quit"); return }
    }

    @Test(arguments: LessonLanguage.allCases)
    func lessonFirstScreenAndARunCell(_ lang: LessonLanguage) throws {
        let exec = EchoExecutor()
        let progress = tempProgress()
        let page = try lessonPage(lang, executor: exec, progress: progress)
        let s = MemoryScreen(rows: 24, cols: 80)
        page.draw(on: s)
        try expectGolden(s, "lesson-\(lang.rawValue)")
        expectNoOverflow(s)
        // Enter runs the selected (first) cell; its output is drawn inline under it.
        _ = page.handle(.enter)
        page.waitForCell()
        s.clear(); page.draw(on: s)
        try expectGolden(s, "lesson-\(lang.rawValue)-ran")
        #expect(exec.ran == ["echo counting pairs", "echo done: 4222 bigrams"])
        #expect(s.text.contains("counting pairs\n") || s.text.contains("  counting pairs"))
        #expect(progress.lesson("01-counting.md")?.cellsRun == ["count"])
    }

    @Test func chineseTableColumnsLineUp() throws {
        let page = try lessonPage(.zh)
        let s = MemoryScreen(rows: 40, cols: 80)
        page.draw(on: s)
        let rows = (0..<s.rows).map(s.line).filter { $0.filter { $0 == "│" }.count >= 2 }
        #expect(rows.count == 3)
        // The separators sit at the same display column on every row, whatever mix of Chinese and ASCII.
        func columns(_ line: String) -> [Int] {
            var out: [Int] = [], w = 0
            for ch in line { if ch == "│" { out.append(w) }; w += EastAsianWidth.cells(String(ch)) }
            return out
        }
        let first = columns(rows[0])
        print("separator columns: \(rows.map(columns))")
        for r in rows { #expect(columns(r) == first) }
    }

    @Test func tabMovesBetweenCellsAndQuizzesAndTheQuizIsAnswered() throws {
        let progress = tempProgress()
        let page = try lessonPage(.en, progress: progress)
        let s = MemoryScreen(rows: 24, cols: 80)
        page.draw(on: s)
        #expect(s.line(0).contains("item 1/3 · "), "the scroll position follows: \(s.line(0))")
        _ = page.handle(.tab)
        s.clear(); page.draw(on: s)
        #expect(s.line(0).contains("item 2/3 · "), "the scroll position follows: \(s.line(0))")
        _ = page.handle(.char("h"))                 // the hint
        _ = page.handle(.enter)                     // answer: prompt in the input line
        s.clear(); page.draw(on: s)
        #expect(s.line(23).hasPrefix("your answer (a/b/c)>"))
        for k in [Key.char("b"), .enter, .char("6"), .char("0"), .enter] { _ = page.handle(k) }
        s.clear(); page.draw(on: s)
        #expect(s.text.contains("Hint: Divide zero by anything."))
        #expect(s.text.contains("✗ not quite (answer: a) · you were 60% sure"))
        #expect(s.text.contains("c(h w) = 0, so P = 0 / c(h) = 0."))
        let answers = try #require(progress.lesson("01-counting.md")?.quizAnswers["zero-count"])
        #expect(answers == [QuizAnswer(response: "b", correct: false, confidence: 60, at: answers[0].at)])
        _ = page.handle(.backTab)
        s.clear(); page.draw(on: s)
        #expect(s.line(0).contains("item 1/3 · "), "the scroll position follows: \(s.line(0))")
        guard case .back = page.handle(.char("q")) else { Issue.record("q does not go back"); return }
    }

    @Test func eEditsTheCellAndEnterRerunsTheEdit() throws {
        let exec = EchoExecutor()
        let page = try lessonPage(.en, executor: exec)
        let s = MemoryScreen(rows: 24, cols: 80)
        _ = page.handle(.char("e"))
        page.draw(on: s)
        #expect(s.line(23) == "edit> echo counting pairs ; echo done: 4222 bigrams")
        #expect(s.cursor?.row == 23 && s.cursor?.col == EastAsianWidth.cells(s.line(23)))
        _ = page.handle(.ctrl("u"))
        for ch in "echo 语言 ; echo again" { _ = page.handle(.char(ch)) }
        _ = page.handle(.enter)
        page.waitForCell()
        s.clear(); page.draw(on: s)
        #expect(exec.ran.suffix(2) == ["echo 语言", "echo again"])
        #expect(s.text.contains("│ › echo 语言") && s.text.contains("  语言\n") && s.text.contains("  again"))
    }

    @Test func ctrlCCancelsTheRunningCellAndTheLessonStays() throws {
        let exec = EchoExecutor()
        let page = try lessonPage(.en, executor: exec)
        let s = MemoryScreen(rows: 24, cols: 80)
        let app = App(screen: s, keys: NoKeys(), root: page)
        page.start(page.document.cells[0], commands: ["wait"])
        #expect(page.isBusy)
        usleep(20_000)
        _ = page.tick()
        app.redraw()
        #expect(s.text.contains("⧗ running… (Ctrl-C cancels)"))
        #expect(app.handle(.ctrl("c")), "Ctrl-C keeps the app running")
        page.waitForCell()
        app.redraw()
        #expect(!page.isBusy && app.stack.count == 1)
        #expect(s.text.contains("■ cancelled (Ctrl-C)"))
        #expect(page.session.run(of: "count")?.status == .cancelled)
    }

    @Test func resizeRewrapsAndNothingOverflows() throws {
        let page = try lessonPage(.zh)
        let s = MemoryScreen(rows: 24, cols: 80)
        let app = App(screen: s, keys: NoKeys(), root: page)
        app.redraw()
        let wide = s.text
        s.resize(rows: 20, cols: 60)
        app.handle(.resize)
        expectNoOverflow(s)
        #expect(s.line(19).hasPrefix("↑↓ 滚动"))
        try expectGolden(s, "lesson-zh-60x20")
        s.resize(rows: 24, cols: 80)
        app.handle(.resize)
        #expect(s.text == wide, "back at 80×24 the screen is as before")
    }

    @Test func helpOverlayOpensAndAnyKeyClosesIt() throws {
        let page = try lessonPage(.en)
        let s = MemoryScreen(rows: 24, cols: 80)
        _ = page.handle(.char("?"))
        page.draw(on: s)
        #expect(s.text.contains("Ctrl-C   cancel the running cell"))
        _ = page.handle(.char("x"))
        s.clear(); page.draw(on: s)
        #expect(!s.text.contains("Ctrl-C   cancel the running cell"))
    }
}

/// No keys: the app only draws (shared by the notebook tests).
final class NoKeys: KeySource {
    func nextKey(timeoutMilliseconds: Int32) -> Key? { nil }
}

@Test func keyDecoderMapsCursesCodes() {
    #expect(KeyDecoder.decode(isKeyCode: false, value: 13) == .enter)
    #expect(KeyDecoder.decode(isKeyCode: false, value: 3) == .ctrl("c"))
    #expect(KeyDecoder.decode(isKeyCode: false, value: 9) == .tab)
    #expect(KeyDecoder.decode(isKeyCode: false, value: 127) == .backspace)
    #expect(KeyDecoder.decode(isKeyCode: false, value: 0x8BED) == .char("语"))
    #expect(KeyDecoder.decode(isKeyCode: true, value: 0o403) == .up)        // KEY_UP
    #expect(KeyDecoder.decode(isKeyCode: true, value: 0o632) == .resize)    // KEY_RESIZE
    #expect(KeyDecoder.decode(isKeyCode: true, value: 0o541) == .backTab)   // KEY_BTAB
}

@Test func inputLineEditsByDisplayCells() {
    _ = TerminalLocale.activate()
    let line = InputLine(prompt: "> ", text: "ab", history: ["older", "old"])
    for k in [Key.left, .char("语"), .end, .char("c")] { _ = line.handle(k) }
    #expect(line.value == "a语bc")
    let s = MemoryScreen(rows: 1, cols: 20)
    _ = line.handle(.left)
    line.draw(on: s, row: 0)
    #expect(s.line(0) == "> a语bc" && s.cursor?.col == 2 + 4)   // "a语b" is 4 cells
    _ = line.handle(.ctrl("w"))
    #expect(line.value == "c")
    _ = line.handle(.up)
    #expect(line.value == "old")
    _ = line.handle(.up); _ = line.handle(.down); _ = line.handle(.down)
    #expect(line.value == "c", "walking back down the history restores the draft")
    #expect(line.handle(.enter) == .submitted("c"))
    #expect(line.handle(.escape) == .cancelled)
}
