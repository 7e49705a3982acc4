// Lesson documents: a hand-written lesson parses into the blocks a reader draws and the cells a session runs;
// mistakes fail with the file, the line and the fix; every lesson of the course parses, and each zh lesson has the
// same cells as its English twin.
import Foundation
import LabCore
import Testing
@testable import Lab

private let sample = """
# 3 · Decoding

A model gives a *distribution*; the **decoder** chooses with `--beams 1`.
Second line of the same paragraph, see [the paper](https://arxiv.org/abs/1706.03762).

- first point
  continued here
  - nested point
- second point

1. one
2. two

| n | perplexity |
|---|---:|
| 2 | 9.5 |
| 3 | `x\\|y` |

> A quote.

```swift
let x = 1
```

```lab id=greedy
# ernie-only
generate "One day" --model ernie-4.5-0.3b
beam "One day" --beams 1
```

```quiz
id: greedy-is-beam-1
kind: predict
question: Beam search with one beam?
choices: a) greedy | b) better | c) nothing
answer: a
hint: how many survive?
explain: one beam is greedy.
reveal: cell-2
```

```lab
tokenize "hi"
```

---
"""

@Test func sampleLessonParsesIntoBlocks() throws {
    let doc = try LessonDocument(markdown: sample, path: "sample.md")
    #expect(doc.title == "3 · Decoding")
    #expect(doc.blocks.count == 11)
    #expect(doc.blocks[0] == .heading(level: 1, text: [InlineSpan(.text, "3 · Decoding")]))
    #expect(doc.blocks[1] == .paragraph([
        InlineSpan(.text, "A model gives a "), InlineSpan(.emphasis, "distribution"), InlineSpan(.text, "; the "),
        InlineSpan(.strong, "decoder"), InlineSpan(.text, " chooses with "), InlineSpan(.code, "--beams 1"),
        InlineSpan(.text, ". Second line of the same paragraph, see "),
        InlineSpan(.link(url: "https://arxiv.org/abs/1706.03762"), "the paper"), InlineSpan(.text, "."),
    ]))
    #expect(doc.blocks[2] == .bulletList([
        ListItem(level: 0, text: [InlineSpan(.text, "first point continued here")], number: nil),
        ListItem(level: 1, text: [InlineSpan(.text, "nested point")], number: nil),
        ListItem(level: 0, text: [InlineSpan(.text, "second point")], number: nil),
    ]))
    #expect(doc.blocks[3] == .numberedList([
        ListItem(level: 0, text: [InlineSpan(.text, "one")], number: 1),
        ListItem(level: 0, text: [InlineSpan(.text, "two")], number: 2),
    ]))
    #expect(doc.blocks[4] == .table(header: [[InlineSpan(.text, "n")], [InlineSpan(.text, "perplexity")]],
                                    rows: [[[InlineSpan(.text, "2")], [InlineSpan(.text, "9.5")]],
                                           [[InlineSpan(.text, "3")], [InlineSpan(.code, "x|y")]]]))
    #expect(doc.blocks[5] == .quote([InlineSpan(.text, "A quote.")]))
    #expect(doc.blocks[6] == .code(language: "swift", text: "let x = 1"))
    #expect(doc.blocks[7] == .cell(LabCell(id: "greedy", hasExplicitId: true,
                                           commands: ["generate \"One day\" --model ernie-4.5-0.3b", "beam \"One day\" --beams 1"],
                                           ernieOnly: true, line: 25, commandLines: [27, 28], index: 0)))
    #expect(doc.cells[1].id == "cell-2" && !doc.cells[1].hasExplicitId && !doc.cells[1].ernieOnly)
    let quiz = try #require(doc.quizzes.first)
    #expect(quiz.kind == .predict && quiz.reveal == "cell-2" && quiz.answer == "a")
    #expect(quiz.choices.map(\.label) == ["a", "b", "c"] && quiz.choices[1].text == "better")
    #expect(quiz.isCorrect("A") && quiz.isCorrect("a)") && quiz.isCorrect("greedy") && !quiz.isCorrect("b"))
    // A Chinese keyboard's full-width letters and brackets name the same choice; a slip names none (asked again).
    #expect(quiz.isCorrect("ａ") && quiz.isCorrect("（Ａ）") && quiz.chosen("ｂ") == "b" && quiz.chosen(" b） ") == "b")
    #expect(quiz.chosen("z") == nil && quiz.chosen("ab") == nil)
    #expect(doc.blocks[10] == .rule)
}

@Test func inlineMarkersThatDoNotCloseStayLiteral() {
    #expect(InlineSpan.parse("2 * 3 = 6 and a_b_c") == [InlineSpan(.text, "2 * 3 = 6 and a_b_c")])
    #expect(InlineSpan.parse("``a ` b``") == [InlineSpan(.code, "a ` b")])
    #expect(InlineSpan.parse("**束搜索**保留") == [InlineSpan(.strong, "束搜索"), InlineSpan(.text, "保留")])
}

@Test func chineseLinesJoinWithoutASpaceLatinLinesWithOne() throws {
    let doc = try LessonDocument(markdown: "模型根据前一个词，\n猜下一个词。\nThen English\ncontinues.\n", path: "x.md")
    #expect(doc.blocks == [.paragraph([InlineSpan(.text, "模型根据前一个词，猜下一个词。Then English continues.")])])
}

/// Parses `text` and returns the error's description (or "parsed" when it did not fail).
private func failure(_ text: String) -> String {
    do { _ = try LessonDocument(markdown: text, path: "Lessons/en/x.md"); return "parsed" }
    catch { return "\(error)" }
}

@Test func indentedLinesStayPreformatted() throws {
    // Lesson 7's two residual lines and lesson 9's chat template: their line breaks are the point.
    let doc = try LessonDocument(markdown: """
    # T

    模块依次加上注意力和前馈网络：

        x ← x + Attention(Norm(x))
        x ← x + FFN(Norm(x))

    \t<|begin_of_sentence|>User: hi

    \tAssistant: ▁
    After.
    """, path: "t.md")
    // A blank line inside an indented block keeps it going (the template's empty line is part of it).
    #expect(doc.blocks.count == 4)
    #expect(doc.blocks[2] == .code(language: "", text: "x ← x + Attention(Norm(x))\nx ← x + FFN(Norm(x))\n\n<|begin_of_sentence|>User: hi\n\nAssistant: ▁"))
    #expect(doc.blocks[3] == .paragraph([InlineSpan(.text, "After.")]))
}

@Test func mistakesNameTheFileTheLineAndTheFix() {
    let unclosed = failure("# T\n\n```lab id=a\ntokenize x\n")
    #expect(unclosed.hasPrefix("Lessons/en/x.md:3: the fence ```lab id=a is never closed. HINT:"))
    let badAnswer = failure("```quiz\nid: q\nquestion: ?\nchoices: a) x | b) y\nanswer: c\n```\n")
    #expect(badAnswer.hasPrefix("Lessons/en/x.md:5: answer \"c\" is not one of the choices (a, b)"))
    let unknownKey = failure("```quiz\nid: q\nquestoin: ?\n```\n")
    #expect(unknownKey.hasPrefix("Lessons/en/x.md:3: unknown quiz key \"questoin\""))
    let twice = failure("```lab id=a\ntokenize x\n```\n\n```lab id=a\ntokenize y\n```\n")
    #expect(twice.hasPrefix("Lessons/en/x.md:5: cell id \"a\" is used twice (first at line 1)"))
    let reveal = failure("```quiz\nid: q\nkind: predict\nquestion: ?\nanswer: x\nreveal: nope\n```\n")
    #expect(reveal.contains("x.md:1: quiz \"q\" reveals cell \"nope\", which the lesson does not have"))
    let after = failure("```lab id=c\ntokenize x\n```\n\n```quiz\nid: q\nkind: predict\nquestion: ?\nanswer: x\nreveal: c\n```\n")
    #expect(after.hasPrefix("Lessons/en/x.md:5: predict quiz \"q\" comes after cell \"c\" (line 1), which reveals its answer. HINT: move the quiz above"))
    let empty = failure("```lab\n# just a comment\n```\n")
    #expect(empty.hasPrefix("Lessons/en/x.md:1: this lab cell has no command to run"))
    let shell = failure("```lab\nlmlab tokenize x\n```\n")
    #expect(shell.contains("x.md:2: cell lines are lab commands without `lmlab`") && shell.contains("write `tokenize x` instead"))
    let late = failure("```lab\ntokenize x\n# ernie-only\n```\n")
    #expect(late.hasPrefix("Lessons/en/x.md:3: `# ernie-only` must be the first line"))
    let quote = failure("```lab\ntokenize \"x\n```\n")
    #expect(quote.hasPrefix("Lessons/en/x.md:2: this cell line cannot be split into words: unclosed \""))
    let table = failure("| a | b |\n| 1 | 2 |\n")
    #expect(table.hasPrefix("Lessons/en/x.md:1: a table row without the |---| separator"))
    let wide = failure("| a | b |\n|---|---|\n| 1 | 2 | 3 |\n")
    #expect(wide.hasPrefix("Lessons/en/x.md:3: this table row has 3 cells but the header has 2"))
}

/// Lessons/<lang>/*.md of the project (whatever has been written so far).
private func lessonFiles(_ lang: LessonLanguage) throws -> [URL] {
    let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent().path
    let root = try #require(ProjectPaths.root(environment: ProcessInfo.processInfo.environment.filter { $0.key == "LMLAB_HOME" }, currentDirectory: here, executable: ""))
    let dir = root.appendingPathComponent("Lessons").appendingPathComponent(lang.rawValue)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
    return names.filter { $0.hasSuffix(".md") }.sorted().map { dir.appendingPathComponent($0) }
}

@Test func everyWrittenLessonParses() throws {
    var count = 0
    for lang in LessonLanguage.allCases {
        for url in try lessonFiles(lang) {
            let doc = try LessonDocument(contentsOf: url)
            print("\(lang.rawValue)/\(url.lastPathComponent): \(doc.blocks.count) blocks, \(doc.cells.count) cells, \(doc.quizzes.count) quizzes")
            count += 1
        }
    }
    print("parsed \(count) lesson files")
}

/// What makes two cells the same experiment: the command (and subcommand), the options named and the models used.
/// The zh twin may ask in Chinese (its words and prompts differ), count the Chinese corpus (`--corpus stories-zh…`),
/// use the Chinese twin of a shipped model (`word2vec-stories-zh` for `word2vec-stories-en`) and take a different number
/// of steps for its own prompt — `generate "从前" --model tiny-ernie --max-new-tokens 8` matches its en twin.
private func commandShape(_ line: String) -> [String] {
    let words = (try? CommandWords.split(line)) ?? [line]
    let withSubcommands: Set = ["attention", "bench", "check", "corpus", "embed", "exercise", "lesson", "moe", "ngram",
                                "nnlm", "rnn", "seq2seq", "train"]
    var shape = Array(words.prefix(1))
    if let first = words.first, withSubcommands.contains(first), words.count > 1 { shape.append(words[1]) }
    var k = 0
    var options: [String] = []
    while k < words.count {
        if words[k].hasPrefix("--"), words[k] != "--corpus" {
            options.append(words[k])
            if words[k] == "--model" || words[k] == "--compare", k + 1 < words.count {
                options.append(words[k + 1].replacingOccurrences(of: "-zh", with: "-en"))
            }
        }
        k += 1
    }
    shape += options.sorted()
    return shape
}

@Test func eachChineseLessonHasTheCellsOfItsEnglishTwin() throws {
    for en in try lessonFiles(.en) {
        let zhURL = en.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("zh/" + en.lastPathComponent)
        guard FileManager.default.fileExists(atPath: zhURL.path) else {
            print("\(en.lastPathComponent): no zh twin yet"); continue
        }
        let a = try LessonDocument(contentsOf: en), b = try LessonDocument(contentsOf: zhURL)
        #expect(a.cells.map(\.id) == b.cells.map(\.id), "\(en.lastPathComponent): cell ids differ between en and zh")
        for (x, y) in zip(a.cells, b.cells) {
            // The same commands with the same options; the zh twin may ask in Chinese (its quoted prompts differ).
            #expect(x.commands.map(commandShape) == y.commands.map(commandShape), "\(en.lastPathComponent): cell \(x.id) runs different commands in zh")
            #expect(x.ernieOnly == y.ernieOnly, "\(en.lastPathComponent): cell \(x.id) is ernie-only in one language only")
        }
        #expect(a.quizzes.map(\.id) == b.quizzes.map(\.id), "\(en.lastPathComponent): quiz ids differ between en and zh")
        #expect(a.quizzes.map(\.answer) == b.quizzes.map(\.answer), "\(en.lastPathComponent): quiz answers differ between en and zh")
    }
}

/// An ERNIE-only cell checks the checkpoints it names: lesson 1's `cat-ernie` uses the base model, and the check
/// looked for ernie-4.5-0.3b, so a learner who downloaded the base still saw the cell fail.
@Test func anErnieCellChecksTheModelsItNames() throws {
    let doc = try LessonDocument(markdown: """
    # T

    ```lab id=base
    # ernie-only
    prob "a" --model ernie-4.5-0.3b-base
    prob "b" --model ernie-4.5-0.3b-base --compare ernie-4.5-0.3b
    ```

    ```lab id=plain
    # ernie-only
    inspect
    ```
    """, path: "t.md")
    #expect(doc.cells[0].ernieModels == ["ernie-4.5-0.3b-base", "ernie-4.5-0.3b"])
    #expect(doc.cells[1].ernieModels == ["ernie-4.5-0.3b"])
}

/// Binds a session model name on `bind NAME`, fails on `fail`, forgets on `forget NAME`.
private final class NamingExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        let words = line.split(separator: " ").map(String.init)
        switch words[0] {
        case "bind": SessionModels.shared.bind(words[1], to: "/tmp/trained"); return .ok
        case "forget": SessionModels.shared.forget(words[1]); return .ok
        default: return .failed("stopped")
        }
    }
    func ernieWeightsMissing() -> String? { nil }
}

/// A cell that stops before its last line leaves the session's model names as they were (lesson 7 trains tiny-ernie
/// and forgets the name on its next line; a Ctrl-C between the two left later cells on the 40-step model).
@Test func aCellThatStopsHalfwayLeavesTheModelNamesAsTheyWere() throws {
    let name = "undo-\(UUID().uuidString.prefix(8))"
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=t\nbind \(name)\nfail\nforget \(name)\n```\n", path: "t.md")
    let run = Learner.$language.withValue(.en) { LabSession(document: doc, executor: NamingExecutor()).run(doc.cells[0]) }
    #expect(SessionModels.shared.bound(name) == nil, "the name the stopped cell bound is undone")
    #expect(run.output.contains("The cell stopped before its last line, so \(name)"), "\(run.output)")
    let whole = try LessonDocument(markdown: "# T\n\n```lab id=t\nbind \(name)\n```\n", path: "t.md")
    _ = LabSession(document: whole, executor: NamingExecutor()).run(whole.cells[0])
    #expect(SessionModels.shared.bound(name) == "/tmp/trained", "a cell that ran to its end keeps what it bound")
    SessionModels.shared.forget(name)
}

/// A lesson saved with Windows line ends parses as the same lesson (its "\r\n" was one Character, never split).
@Test func aLessonWithWindowsLineEndsHasItsCells() throws {
    let unix = "# T\n\nSome prose.\n\n```lab id=a\nlessons\n# expect: contains \"x\"\n```\n"
    let windows = try LessonDocument(markdown: unix.replacingOccurrences(of: "\n", with: "\r\n"), path: "w.md")
    let plain = try LessonDocument(markdown: unix, path: "u.md")
    #expect(windows.cells.count == 1 && windows.cells.map(\.commands) == plain.cells.map(\.commands))
    #expect(windows.cells.first?.line == plain.cells.first?.line && windows.cells.first?.expectations.count == 1)
}
