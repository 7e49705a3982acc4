// The session runs a cell's lines in order through its executor, stops at the first failure naming file, cell and
// line, lets Ctrl-C cancel only the running cell, shows the download instructions for ERNIE-only cells when the
// weights are missing, and keeps the Outputs a line printed so they can be laid out at another width.
import Foundation
import LabCore
import Testing
@testable import Lab

/// An executor that answers from a script: "echo X" prints X, "fail X" fails with X, "interrupt" presses Ctrl-C
/// then checks for it the way a training loop does; "table" prints `wideTable` at the cell's width as OutputPrinter
/// does (recorded), between two lines of prose; "interleaved" the same with a stray stderr line inside the table.
private final class ScriptedExecutor: CellExecutor {
    var ran: [String] = []
    /// Whether each line that ran was the learner's own edit.
    var typed: [Bool] = []
    var weightsMissing: String?
    init(weightsMissing: String? = nil) { self.weightsMissing = weightsMissing }

    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        ran.append(line)
        let words = (try? CommandWords.split(line)) ?? []
        switch words.first {
        case "echo": output(words.dropFirst().joined(separator: " ") + "\n"); return .ok
        case "fail": output("about to fail\n"); return .failed(words.dropFirst().joined(separator: " "))
        case "table", "interleaved":
            var lines = PlainRenderer.printed(wideTable, width: Learner.columns ?? 80).components(separatedBy: "\n")
            if words.first == "interleaved" { lines.insert("warning: a stray line", at: 2) }
            output("Before the table.\n" + lines.joined(separator: "\n") + "\nAfter it.\n"); return .ok
        case "interrupt":
            Cancellation.request()
            do { try Cancellation.check() } catch { return .cancelled }
            return .ok
        default: return .failed("unknown command '\(words.first ?? "")'")
        }
    }

    func execute(_ line: String, ask: ((String) -> Bool)?, typedByLearner: Bool,
                 output: @escaping (String) -> Void) -> CommandStatus {
        typed.append(typedByLearner)
        return execute(line, output: output)
    }

    func ernieWeightsMissing() -> String? { weightsMissing }
}

private let wideTable = Output.table(OutputTable(
    title: "Next-token probabilities after “the cat sat on the”",
    headers: ["token", "probability", "log-probability", "what the model saw most often after it"],
    rows: [["mat", "0.412", "-0.887", "the mat, the mat again, and then a long tail of other rugs and carpets"],
           ["sofa", "0.130", "-2.040", "a sofa in the living room, near the window where the afternoon sun falls"]]))

private let lesson = """
# Test

```lab id=first
echo one
echo "two words"
```

```lab id=broken
echo before
fail "no such model"
echo never
```

```lab id=stop
interrupt
echo after
```

```lab id=big
# ernie-only
echo needs ernie
```
"""

@Test(.serialized) func sessionRunsCellsInOrderAndStopsAtTheFailingLine() throws {
    let doc = try LessonDocument(markdown: lesson, path: "Lessons/en/test.md")
    let exec = ScriptedExecutor(weightsMissing: "HINT: lmlab download ernie-4.5-0.3b")
    let session = LabSession(document: doc, executor: exec)

    var streamed = ""
    let first = session.run(doc.cells[0]) { streamed += $0 }
    #expect(first.status == .ok)
    #expect(first.output == "one\ntwo words\n" && streamed == first.output)

    let broken = session.run(doc.cells[1])
    #expect(broken.status == .failed(commandIndex: 1, message: "no such model"))
    #expect(exec.ran == ["echo one", "echo \"two words\"", "echo before", "fail \"no such model\""])
    let why = session.failureDescription(doc.cells[1], broken)
    #expect(why == "Lessons/en/test.md:10: cell broken, line 2 (`fail \"no such model\"`) failed: no such model")

    let stopped = session.run(doc.cells[2])
    #expect(stopped.status == .cancelled && stopped.commands.count == 1, "Ctrl-C ends the cell; its next line does not run")
    #expect(!Cancellation.isRequested, "the cancel was consumed; the session goes on")
    #expect(session.run(doc.cells[0]).status == .ok)

    let ernie = session.run(doc.cells[3])
    #expect(ernie.status == .needsErnie("HINT: lmlab download ernie-4.5-0.3b"))
    #expect(ernie.output.contains("lmlab download ernie-4.5-0.3b") && !exec.ran.contains("echo needs ernie"))
    #expect(ernie.status.succeeded, "a missing-weights cell is not a failure of the lesson")

    // With the weights present the same cell runs.
    exec.weightsMissing = nil
    #expect(session.run(doc.cells[3]).output == "needs ernie\n")
    #expect(session.run(of: "broken")?.status == .failed(commandIndex: 1, message: "no such model"))
}

@Test func anEditedCellRunsTheEditedLines() throws {
    let doc = try LessonDocument(markdown: lesson, path: "t.md")
    let session = LabSession(document: doc, executor: ScriptedExecutor())
    let run = session.run(doc.cells[0], commands: ["echo edited"])
    #expect(run.output == "edited\n" && run.commands.map(\.command) == ["echo edited"])
    let failed = session.run(doc.cells[0], commands: ["fail x"])
    // An edited line is not in the file: the failure points at the cell's fence.
    #expect(session.failureDescription(doc.cells[0], failed) == "t.md:3: cell first, line 1 (`fail x`) failed: x")
}

/// The executor is told which lines the learner changed (CellPolicy then asks where it would refuse a lesson's line);
/// a line left as the lesson wrote it stays the lesson's, even inside an edited cell.
@Test func theExecutorKnowsWhichLinesTheLearnerChanged() throws {
    let doc = try LessonDocument(markdown: lesson, path: "t.md")
    let exec = ScriptedExecutor()
    let session = LabSession(document: doc, executor: exec)
    session.run(doc.cells[0])
    session.run(doc.cells[0], commands: ["echo one", "echo changed", "echo added"])
    #expect(exec.typed == [false, false, false, true, true])
}

/// A cell's Outputs are recorded as its line prints them, found in the captured text and laid out again at another
/// width (issue #16, OutputRecorder); an Output whose text is not found as printed leaves the captured text as it is.
@Test func aTablePrintedAt100IsLaidOutAgainAt50() throws {
    let doc = try LessonDocument(markdown: lesson, path: "t.md")
    let session = LabSession(document: doc, executor: ScriptedExecutor())
    let run = Learner.$columns.withValue(100) { session.run(doc.cells[0], commands: ["table"]) }
    let line = try #require(run.commands.first)
    #expect(line.blocks.count == 1 && line.blocks.first?.width == 100)
    #expect(line.output.split(separator: "\n").contains { EastAsianWidth.cells(String($0)) > 50 }, "\(line.output)")
    let narrow = run.output(width: 50)
    let lines = narrow.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.allSatisfy { EastAsianWidth.cells(String($0)) <= 50 }, "\(narrow)")
    #expect(narrow == "Before the table.\n" + PlainRenderer.render(wideTable, width: 50) + "\nAfter it.\n")
    #expect(run.output(width: 100) == run.output, "at the width it ran at, the text as captured")
}

@Test func anOutputNotFoundAsPrintedLeavesTheTextAsItIs() throws {
    let doc = try LessonDocument(markdown: lesson, path: "t.md")
    let session = LabSession(document: doc, executor: ScriptedExecutor())
    let run = Learner.$columns.withValue(100) { session.run(doc.cells[0], commands: ["interleaved"]) }
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

/// A Chinese cell's Output laid out again keeps its Chinese headings, whatever language the thread that lays it out
/// has bound (the notebook's drawing thread binds none, and resizing a zh lesson turned "词元" into "token": walk 16).
@Test func anOutputLaidOutAgainKeepsTheLanguageItWasPrintedIn() throws {
    let bars = Output.bars(ProbabilityBars(rows: [BarRow(token: "狗", raw: 0.6), BarRow(token: "猫", raw: 0.4)]))
    let recorder = OutputRecorder()
    let text = Learner.$language.withValue(.zh) { () -> String in
        let t = PlainRenderer.render(bars, width: 70)
        recorder.record(bars, width: 70, height: nil, text: t)
        return t
    }
    let run = CommandRun(command: "bars", output: text, status: .ok, blocks: recorder.blocks(in: text))
    #expect(run.blocks.count == 1 && text.contains("词元"), "\(text)")
    let narrow = Learner.$language.withValue(.en) { run.output(width: 40) }
    #expect(narrow != text && narrow.contains("词元") && !narrow.contains("token"), "\(narrow)")
}
