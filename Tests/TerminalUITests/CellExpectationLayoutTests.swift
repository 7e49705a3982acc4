// The notebook shows a cell's expectations under its output: ✓ for each that held, ✗ with what was found for each
// that broke, and the cell's status says the output broke what the lesson expects.
import Foundation
import Lab
import LabCore
import Testing
@testable import TerminalUI

/// Prints what `prob` would, with a perplexity the lesson's expectation does not allow.
private final class PrintingExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        output("tiny-ernie: total log P -14.221, perplexity 17.189 over 5 scored tokens\n")
        return .ok
    }
    func ernieWeightsMissing() -> String? { nil }
}

@Test func aCellsExpectationsAreShownPassedAndFailedUnderItsOutput() throws {
    let doc = try LessonDocument(markdown: """
        # T

        ```lab id=c
        prob "The cat says meow." --model tiny-ernie
        # expect: contains "total log P"
        # expect: number after "perplexity" < 10
        ```
        """, path: "Lessons/en/t.md")
    let run = LabSession(document: doc, executor: PrintingExecutor()).run(try #require(doc.cells.first))
    #expect(run.status == .unexpected)
    for (language, failed, passed, status) in [(LessonLanguage.en, "✗ expect: number after", "✓ expect: contains", "✗ the output breaks"),
                                               (.zh, "✗ 预期：“perplexity”之后的数 < 10", "✓ 预期：含有“total log P”", "✗ 输出与课文的预期不符")] {
        var state = LessonLayoutState()
        state.language = language
        state.runs["c"] = run
        let text = LessonPageLayout.lines(doc, state: state, width: 100).map(\.text).joined(separator: "\n")
        print(text)
        #expect(text.contains(status) && text.contains(passed) && text.contains(failed), "\(text)")
        #expect(text.contains("— 17.189 < 10 is false"))
    }
}
