// `lmlab lesson run`: a small lesson runs every cell through the real commands (parsed by the lmlab root, output
// captured from fd 1/2); a failing cell stops the run naming file, line, cell and command; ERNIE-only cells without
// weights print the download instructions instead of failing.
import ArgumentParser
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI

private func lesson(_ markdown: String, name: String = "fixture.md") throws -> LessonDocument {
    try LessonDocument(markdown: markdown, path: "Lessons/en/" + name)
}

/// An environment where no ERNIE weights can be found: an empty HF cache and no models folder.
private func emptyModelEnvironment() throws -> [String: String] {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-nohf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return ["HF_HOME": dir.path, "HOME": dir.path, "LMLAB_MODELS_DIR": dir.path]
}

@Suite(.serialized) struct LessonRunTests {
    @Test func aSmallLessonRunsEveryCellAndCapturesItsOutput() throws {
        let doc = try lesson("""
        # Fixture

        Some prose.

        ```lab id=list
        corpus list
        ```

        ```lab id=help-and-list
        help tokenize
        lessons --lang zh
        ```

        ```lab id=big
        # ernie-only
        prob "hello, world" --model ernie-4.5-0.3b
        ```
        """)
        var transcript = ""
        let executor = LessonCellExecutor(capture: true, columns: 100, environment: try emptyModelEnvironment())
        let outcome = HeadlessLesson.run(doc, executor: executor) { transcript += $0 }
        print(transcript)
        #expect(outcome.failure == nil && outcome.ran == 3 && outcome.needsErnie == 1)
        #expect(transcript.contains("── cell list · line 5\n$ corpus list\n"))
        #expect(transcript.contains("stories-en"), "corpus list prints the corpora")
        #expect(transcript.contains("$ help tokenize\n") && transcript.contains("USAGE: lmlab tokenize"))
        #expect(transcript.contains("什么是语言模型"), "lessons --lang zh lists the Chinese titles")
        #expect(transcript.contains("This cell needs the ERNIE-4.5 weights") && transcript.contains("lmlab download ernie-4.5-0.3b"))
        #expect(transcript.hasSuffix("# 3 cells ran, all passed (1 ERNIE-only without weights: instructions shown).\n"))
    }

    @Test func aCellWhoseOutputBreaksItsExpectationFailsTheRun() throws {
        // The tiny ERNIE's tokenizer spells "hello" from pieces (he · ll · o); a lesson claiming otherwise fails, naming the
        // expect line, what was found and what the cell printed — and the cells after it do not run.
        let doc = try lesson("""
        # Fixture

        ```lab id=pieces
        tokenize "hello" --model tiny-ernie
        # expect: contains "round trip: identical"
        # expect: lacks "│ ll"
        ```

        ```lab id=after
        corpus list
        ```
        """)
        var transcript = ""
        let executor = LessonCellExecutor(capture: true, columns: 100, environment: try emptyModelEnvironment())
        let outcome = HeadlessLesson.run(doc, executor: executor) { transcript += $0 }
        print(transcript)
        print(outcome.failure ?? "")
        #expect(outcome.ran == 1)
        let failure = try #require(outcome.failure)
        #expect(failure.hasPrefix("Lessons/en/fixture.md:6: cell pieces: expectation `lacks \"│ ll\"` failed: \"│ ll\" appears"), "\(failure)")
        #expect(failure.contains("The cell printed:") && failure.contains("tokenizer:") && failure.contains("HINT:"))
        #expect(transcript.contains("✓ expect: contains \"round trip: identical\""))
        #expect(transcript.contains("✗ expect: lacks \"│ ll\""))
    }

    @Test func aFailingCellStopsTheRunNamingFileLineCellAndCommand() throws {
        let doc = try lesson("""
        # Fixture

        ```lab id=ok
        corpus list
        ```

        ```lab id=broken
        corpus list
        corpus stats no-such-corpus
        corpus list
        ```

        ```lab id=never
        corpus list
        ```
        """)
        var transcript = ""
        let outcome = HeadlessLesson.run(doc, executor: LessonCellExecutor(capture: true)) { transcript += $0 }
        let failure = try #require(outcome.failure)
        print(failure)
        #expect(failure.hasPrefix("Lessons/en/fixture.md:9: cell broken, line 2 (`corpus stats no-such-corpus`) failed: "))
        #expect(failure.contains("no-such-corpus"))
        #expect(outcome.ran == 2 && !transcript.contains("cell never"))
    }

    /// A Chinese lesson's run ends in Chinese: the failure (location first, as a compiler writes it), the expectation
    /// that did not hold, what the cell printed and the HINT; `lesson run` prints it after "错误：", not "error: ".
    @Test func aChineseLessonsFailureReadsInChinese() throws {
        let doc = try LessonDocument(markdown: """
        # 夹具

        ```lab id=pieces
        corpus list
        # expect: contains "没有这一行"
        ```

        ```lab id=broken
        corpus stats no-such-corpus
        ```
        """, path: "Lessons/zh/fixture.md")
        let executor = LessonCellExecutor(language: .zh, columns: 100)
        let first = try Learner.$language.withValue(.zh) {
            try HeadlessLesson.run(doc, only: "pieces", executor: executor) { _ in }
        }
        let expectation = try #require(first.failure)
        print(expectation)
        #expect(expectation.hasPrefix("Lessons/zh/fixture.md:5: 单元 pieces：预期 `contains \"没有这一行\"` 不成立："))
        #expect(expectation.contains("\n这个单元打印了：\n") && expectation.contains("HINT："), "\(expectation)")
        let second = try Learner.$language.withValue(.zh) {
            try HeadlessLesson.run(doc, only: "broken", executor: executor) { _ in }
        }
        let failure = try #require(second.failureLine)
        print(failure)
        #expect(failure.hasPrefix("错误：Lessons/zh/fixture.md:9: 单元 broken 第 1 行（`corpus stats no-such-corpus`）失败："))
        for text in [expectation, failure] {
            #expect(!text.contains(" cell ") && !text.contains("failed") && !text.contains("printed"), "\(text)")
        }
        // The same run in English keeps the format a script may parse.
        let english = try Learner.$language.withValue(.en) {
            try HeadlessLesson.run(doc, only: "broken", executor: LessonCellExecutor(capture: true)) { _ in }
        }
        #expect(english.failureLine?.hasPrefix("error: Lessons/zh/fixture.md:9: cell broken, line 1 (`corpus") == true)
    }

    @Test func aMistypedCommandSuggestsTheNearestAndLessonCellsRefuseTheRepl() throws {
        let executor = LessonCellExecutor(capture: true)
        let status = executor.execute("tokenise \"hi\"") { _ in }
        #expect(status == .failed("unknown command 'tokenise'. Did you mean 'tokenize'? HINT: `lmlab help` lists the commands."))
        if case .failed(let m) = executor.execute("repl", output: { _ in }) { #expect(m.contains("cannot run inside a lesson cell")) }
        else { Issue.record("repl ran inside a cell") }
    }

    @Test func captureKeepsOrderAndWholeCharactersAcrossReads() throws {
        var chunks: [String] = []
        // 20,000 Chinese characters (60,000 bytes) cross many 4 KiB reads; none may be split.
        let text = String(repeating: "语言模型", count: 5000)
        OutputCapture.run({ print(text); FileHandle.standardError.write(Data("err\n".utf8)); print("after") }) { chunks.append($0) }
        let all = chunks.joined()
        #expect(all.contains(text + "\n"))
        #expect(!all.contains("\u{FFFD}"), "a character split between reads decodes as U+FFFD")
        let textAt = try #require(all.range(of: text)), errAt = try #require(all.range(of: "err\n"))
        let afterAt = try #require(all.range(of: "after\n"))
        #expect(textAt.lowerBound < errAt.lowerBound && errAt.lowerBound < afterAt.lowerBound, "stdout and stderr in the order written")
    }

    /// Captures on two threads at once each get their own output and both end (a second capture used to save the
    /// first one's pipe as the original and hold its reader open for ever: the suite hung).
    @Test func capturesOnTwoThreadsTakeTurns() throws {
        var chunks: [[String]] = [[], []]
        let lock = NSLock(), group = DispatchGroup()
        for k in 0..<2 {
            group.enter()
            Thread {
                OutputCapture.run({ for i in 0..<50 { print("capture \(k) line \(i)"); usleep(200) } }) { c in
                    lock.lock(); chunks[k].append(c); lock.unlock()
                }
                group.leave()
            }.start()
        }
        #expect(group.wait(timeout: .now() + 30) == .success, "both captures ended")
        lock.lock(); defer { lock.unlock() }
        for k in 0..<2 {
            let text = chunks[k].joined()
            #expect(text.contains("capture \(k) line 49") && !text.contains("capture \(1 - k) "), "capture \(k): \(text.prefix(200))")
        }
    }

    @Test func lessonNumbersAndNamesResolveToFiles() throws {
        let byNumber = try HeadlessLesson.resolve("3", language: .zh)
        #expect(byNumber.path.hasSuffix("Lessons/zh/03-decoding.md"))
        #expect(try HeadlessLesson.resolve("03-decoding", language: .en).path.hasSuffix("Lessons/en/03-decoding.md"))
        #expect(try HeadlessLesson.resolve("decoding", language: .en).path.hasSuffix("Lessons/en/03-decoding.md"))
        #expect(throws: OptionError.self) { try HeadlessLesson.resolve("Lessons/en/99-nope.md", language: .en) }
    }
}
