// Exercise cells headless (`lmlab lesson run`, CI): the cell shows the exercise — file, contract, what the check
// compares, where the learner stands, the command — in the lesson's language, and passes with the shipped starter,
// which fails its check by design; a name the catalog does not know fails the run at that cell, saying what to fix.
// In LessonRunTests' serialized suite: cells capture the process's fd 1/2.
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

extension LessonRunTests {
    private static func exerciseLesson(_ name: String, lang: LessonLanguage) throws -> LessonDocument {
        try LessonDocument(markdown: """
        # Fixture

        ✎ An exercise.

        ```lab id=ex-one
        exercise check \(name)
        ```

        ```lab id=after
        corpus list
        ```
        """, path: "Lessons/\(lang.rawValue)/fixture.md")
    }

    @Test(arguments: LessonLanguage.allCases)
    func anUnsolvedExerciseCellRunsHeadlessAndPasses(_ lang: LessonLanguage) throws {
        let catalog = try ExerciseCatalog.ofProject()
        #expect(catalog.isUntouched(try catalog.entry("softmax")), "the repository's softmax.swift is the starter")
        let executor = LessonCellExecutor(capture: true)
        executor.language = lang
        var transcript = ""
        let outcome = try Learner.$language.withValue(lang) {
            HeadlessLesson.run(try Self.exerciseLesson("softmax", lang: lang), executor: executor) { transcript += $0 }
        }
        print(transcript)
        #expect(outcome.failure == nil, "\(outcome.failure ?? "")")
        #expect(outcome.ran == 2, "the run goes on after the exercise cell")
        #expect(transcript.contains("exercises/softmax.swift"))
        #expect(transcript.contains("func softmax(_ logits: [Double]) -> [Double]"), "the contract")
        #expect(transcript.contains("lmlab exercise check softmax"))
        #expect(!transcript.contains("✗"), "the starter was checked")
        if lang == .zh {
            #expect(transcript.contains("✎ 练习 softmax（第 1 课）：不会溢出的 softmax"))
            #expect(transcript.contains("还没开始") && transcript.contains("在笔记本里"))
        } else {
            #expect(transcript.contains("✎ Exercise softmax (lesson 1): Softmax that never overflows"))
            #expect(transcript.contains("not started") && transcript.contains("In the notebook"))
        }
    }

    @Test func anExerciseCellWithAnUnknownNameFailsTheRunAtThatCell() throws {
        var transcript = ""
        let lesson = try Self.exerciseLesson("sofmax", lang: .en)
        let outcome = HeadlessLesson.run(lesson, executor: LessonCellExecutor(capture: true)) {
            transcript += $0
        }
        let failure = try #require(outcome.failure)
        print(failure)
        #expect(failure.hasPrefix("Lessons/en/fixture.md:6: cell ex-one, line 1 (`exercise check sofmax`) failed: "))
        #expect(failure.contains("correct the name in the cell") && failure.contains("Did you mean 'softmax'?"))
        #expect(outcome.ran == 1 && !transcript.contains("cell after"))
    }
}

/// A cell's failed line reports the command's own words: a usage error (found while parsing) and a library's
/// refusal (thrown while running) both without ArgumentParser's "Error: ", which the report's "failed" already says.
@Test func aCellsFailureIsTheMessageWithoutErrorColon() {
    let executor = LessonCellExecutor(capture: true)
    for line in ["ngram prob \"the cat\" --n 9", "tokenize x --model /no/such/model"] {
        guard case .failed(let message) = executor.execute(line, output: { _ in }) else {
            Issue.record("\(line) did not fail"); continue
        }
        print(message)
        #expect(!message.hasPrefix("Error: ") && (message.hasPrefix("--n 9 is outside") || message.hasPrefix("--model /no/such/model")),
                "\(message)")
    }
}
