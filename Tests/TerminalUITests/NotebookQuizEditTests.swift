// Quizzes and cells as the notebook runs them: a predict quiz before its reveal cell, which waits for the
// prediction; the verdict in view after answering; a second answer shown as practice; an edited cell restored;
// the running cell's header showing what runs; a cancel that a command swallowed still reported; a failure line
// that carries a reason; what a lesson still lacks; a lesson re-opened with its edits and outputs.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

private let predictLesson = """
# 5 · Neighbours

Words in the same contexts get similar vectors.

```quiz
id: guess
kind: predict
question: What will the nearest neighbours of "france" be?
choices: a) other countries | b) random words
answer: a
explain: Countries fill the same slots.
reveal: near
```

```lab id=near
echo spain italy
```

```lab id=slow
wait
```
"""

private func page(_ exec: EchoExecutor, markdown: String = predictLesson, progress: ProgressStore? = nil,
                  lang: LessonLanguage = .en) throws -> LessonPage {
    let doc = try LessonDocument(markdown: markdown, path: "/tmp/05-neighbours.md")
    return LessonPage(document: doc, session: LabSession(document: doc, executor: exec), language: lang, progress: progress)
}

private func screen(_ p: LessonPage, rows: Int = 24, cols: Int = 80) -> MemoryScreen {
    let s = MemoryScreen(rows: rows, cols: cols)
    p.draw(on: s)
    return s
}

private func type(_ text: String, _ p: LessonPage) {
    for ch in text { _ = p.handle(.char(ch)) }
    _ = p.handle(.enter)
}

@Suite(.serialized) struct NotebookQuizEditTests {
    init() { _ = TerminalLocale.activate() }

    @Test func theRevealCellWaitsForThePredictionAndTheVerdictStaysInView() throws {
        let exec = EchoExecutor()
        let progress = ProgressStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-q-\(UUID().uuidString)"))
        let p = try page(exec, progress: progress)
        _ = p.handle(.tab)                       // the cell "near"
        _ = p.handle(.enter)
        #expect(exec.ran.isEmpty, "the reveal cell does not run before the prediction")
        var s = screen(p)
        #expect(s.line(0).hasSuffix("item 1/3"), "the quiz is selected again")
        #expect(s.line(23).hasPrefix("Predict first"))
        _ = p.handle(.enter)
        type("b", p)
        type("", p)                              // no confidence
        p.waitForCell()
        s = screen(p)
        #expect(exec.ran == ["echo spain italy"], "answering runs the reveal")
        #expect(s.text.contains("✗ not quite (answer: a)"), "the verdict is on screen:\n\(s.text)")
        #expect(s.text.contains("spain italy"))
        // A second answer is practice: shown, recorded, and the first one still counts.
        _ = p.handle(.enter)
        s = screen(p)
        #expect(s.line(23).hasPrefix("again, for practice (a/b)>"))
        type("a", p)
        s = screen(p)
        #expect(s.text.contains("✗ not quite (answer: a)") && s.text.contains("Practice: this time you answered a, ✓ right"))
        let answers = try #require(progress.lesson("05-neighbours.md")?.quizAnswers["guess"])
        #expect(answers.map(\.response) == ["b", "a"] && answers[0].correct == false)
        #expect(progress.progress.calibration.right == 0, "only the first answer counts")
    }

    @Test func anEditedCellCanBeRestoredAndTheHeaderShowsWhatRuns() throws {
        let exec = EchoExecutor()
        let p = try page(exec)
        _ = p.handle(.tab); _ = p.handle(.tab)   // the cell "slow"
        _ = p.handle(.char("e"))
        var s = screen(p)
        #expect(s.line(22).contains("Ctrl-U clear") && s.line(22).contains("Tab complete") && s.line(22).contains("Ctrl-O restore"))
        _ = p.handle(.ctrl("u"))
        for ch in "swallow" { _ = p.handle(.char(ch)) }
        _ = p.handle(.ctrl("o"))                 // the lesson's own line back
        s = screen(p)
        #expect(s.line(23) == "edit> wait")
        _ = p.handle(.ctrl("u"))
        type("swallow", p)
        usleep(30_000); _ = p.tick()
        s = screen(p)
        #expect(s.text.contains("│ › swallow") && !s.text.contains("│ › wait"), "the header shows the edited line while it runs")
        p.cancelRunning()
        p.waitForCell()
        s = screen(p)
        #expect(s.text.contains("stopped, saved") && s.text.contains("■ cancelled (Ctrl-C)") && !s.text.contains("✓ done"),
                "a cancel the command swallowed is still a cancel:\n\(s.text)")
        #expect(s.text.contains("r restore"))
        _ = p.handle(.char("r"))
        s = screen(p)
        #expect(s.text.contains("│ › wait") && !s.text.contains("│ › swallow"))
        #expect(p.session.run(of: "slow") == nil)
    }

    /// Walk 14 finding 11: "Ctrl-U clear" deleted only what was before the cursor, and the tail ran by accident.
    @Test(arguments: [LessonLanguage.en, .zh])
    func ctrlUClearsTheWholeEditLineAsItsHintSays(_ lang: LessonLanguage) throws {
        let p = try page(EchoExecutor(), lang: lang)
        _ = p.handle(.tab); _ = p.handle(.tab)   // the cell "slow"
        _ = p.handle(.char("e"))
        for ch in " --beams 0 --steps 80" { _ = p.handle(.char(ch)) }
        _ = p.handle(.left); _ = p.handle(.left)
        for (rows, cols) in [(24, 80), (20, 60)] {
            #expect(screen(p, rows: rows, cols: cols).line(rows - 2).contains(lang == .zh ? "Ctrl-U 清空" : "Ctrl-U clear"))
        }
        _ = p.handle(.ctrl("u"))
        let s = screen(p)
        #expect(s.line(23) == (lang == .zh ? "编辑>" : "edit>"), "nothing left of the line: \(s.line(23))")
        #expect(s.cursor?.col == EastAsianWidth.cells(lang == .zh ? "编辑> " : "edit> "))
    }

    @Test func aFailureLineCarriesItsReason() throws {
        let exec = EchoExecutor()
        let p = try page(exec, markdown: predictLesson.replacingOccurrences(of: "echo spain italy", with: "fail"), lang: .zh)
        p.start(p.document.cells[0], commands: nil)
        p.waitForCell()
        let s = screen(p, cols: 100)
        #expect(s.text.contains("✗ 失败：error: the corpus 'nope' does not exist. HINT: lmlab corpus list"), "\(s.text)")
        // A one-line cell does not say which line failed (LessonCellExecutor has taken ArgumentParser's "Error: " off).
        let usage = try page(exec, markdown: predictLesson.replacingOccurrences(of: "echo spain italy", with: "usage"))
        usage.start(usage.document.cells[0], commands: nil)
        usage.waitForCell()
        let u = screen(usage, cols: 100)
        #expect(u.text.contains("✗ failed: --n 9 is outside 1…5. HINT: give --n a value in 1…5."), "\(u.text)")
        // A message of several lines shows them all: where it looked, and the fix.
        let lost = try page(exec, markdown: predictLesson.replacingOccurrences(of: "echo spain italy", with: "notfound"))
        lost.start(lost.document.cells[0], commands: nil)
        lost.waitForCell()
        let l = screen(lost, cols: 100)
        #expect(l.text.contains("✗ failed: no model \"tiny-erni\". Looked in:") && l.text.contains("    Models/tiny-erni")
                && l.text.contains("HINT: did you mean tiny-ernie?"), "\(l.text)")
    }

    /// An exercise cell counts once its check passes: until then the closing line names the exercise to pass, not
    /// a cell to run — "run the cell ex-int8-rows" read as wrong to a learner who had just run it and failed.
    @Test func anExerciseLeftIsNamedAsTheExerciseToPass() throws {
        let exercise = predictLesson.replacingOccurrences(of: "```lab id=slow\nwait\n```", with: "```lab id=ex-sm\nexercise check softmax\n```")
        for (lang, line) in [(LessonLanguage.zh, "本课还差：运行单元 near；通过练习 softmax；回答小测 guess"),
                             (.en, "To complete this lesson: run the cells near; pass the exercises softmax; answer the quizzes guess")] {
            let p = try page(EchoExecutor(), markdown: exercise, lang: lang)
            _ = p.handle(.end)
            let s = screen(p, cols: 120)
            #expect(s.text.contains(line), "\(s.text)")
        }
    }

    @Test func theLessonSaysWhatIsMissingUntilItIsComplete() throws {
        let exec = EchoExecutor()
        let progress = ProgressStore(directory: FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-q-\(UUID().uuidString)"))
        let p = try page(exec, markdown: predictLesson.replacingOccurrences(of: "```lab id=slow\nwait\n```", with: ""), progress: progress, lang: .zh)
        _ = p.handle(.end)
        var s = screen(p)
        #expect(s.text.contains("本课还差：运行单元 near；回答小测 guess"), "\(s.text)")
        _ = p.handle(.enter)                      // the quiz is selected: answer it, the reveal runs
        type("a", p); type("90", p)
        p.waitForCell()
        _ = p.handle(.end)
        s = screen(p)
        #expect(s.text.contains("✓ 本课已完成"), "\(s.text)")
        #expect(progress.lesson("05-neighbours.md")?.finished != nil)
    }

    @Test func aLessonReopenedInTheSameSittingKeepsItsEditsAndOutputs() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-reopen-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for lang in ["en", "zh"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(lang), withIntermediateDirectories: true) }
        try #"{"lessons": [{"number": 1, "file": "01-a.md", "title": {"en": "A", "zh": "甲"}, "summary": {"en": "a", "zh": "甲"}}]}"#
            .write(to: dir.appendingPathComponent("course.json"), atomically: true, encoding: .utf8)
        try "# 1 · A\n\n```lab id=c\necho first\n```\n".write(to: dir.appendingPathComponent("en/01-a.md"), atomically: true, encoding: .utf8)
        let home = HomePage(course: try Course(lessonsDirectory: dir), language: .en, progress: nil, makeExecutor: { _ in EchoExecutor() })
        guard case .open(let first) = home.open(), let lesson = first as? LessonPage else { Issue.record("did not open"); return }
        lesson.start(lesson.document.cells[0], commands: ["echo edited"])
        lesson.waitForCell()
        guard case .open(let again) = home.open() else { Issue.record("did not open again"); return }
        #expect(again === first)
        let s = MemoryScreen(rows: 24, cols: 80)
        again.draw(on: s)
        #expect(s.text.contains("│ › echo edited") && s.text.contains("  edited"))
    }
}

/// A quiz's question, hint and explanation are Markdown, drawn as the prose is (walk 15, finding 11): lesson 10's
/// explanation showed "`exercise check greedy_decoder` 里有…" with its backticks.
@Test func aQuizExplanationDrawsItsCodeWithoutBackticks() throws {
    let quiz = "```quiz\nid: ties\nkind: choice\nquestion: What does `argmax` return on a tie?\n"
        + "choices: a) the first | b) the last\nanswer: a\nhint: Read `greedy_decoder`.\n"
        + "explain: `exercise check greedy_decoder` 里有一个两个词元打平的例子。\n```\n"
    let p = try page(EchoExecutor(), markdown: "# 10 · Ties\n\n" + quiz, lang: .zh)
    _ = p.handle(.char("h"))
    _ = p.handle(.enter)
    type("a", p)
    type("", p)
    let s = screen(p)
    #expect(s.text.contains("exercise check greedy_decoder 里有一个两个词元打平的例子。"), "\(s.text)")
    #expect(s.text.contains("What does argmax return") && s.text.contains("提示：Read greedy_decoder."), "\(s.text)")
    #expect(!s.text.contains("`"), "no backtick on screen:\n\(s.text)")
}
