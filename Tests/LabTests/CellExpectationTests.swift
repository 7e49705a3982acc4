// A cell's `# expect:` lines: parsed strictly (a malformed one names the file and line), read numbers as the lab's
// outputs print them, and — the point — a changed outcome fails the cell that promised the old one.
import Foundation
import LabCore
import Testing
@testable import Lab

/// Prints what it is told to: "echo X" prints X. The "model" whose outcome changes between two runs.
private final class EchoExecutor: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus {
        let words = (try? CommandWords.split(line)) ?? []
        output(words.dropFirst().joined(separator: " ") + "\n")
        return .ok
    }
    func ernieWeightsMissing() -> String? { "HINT: lmlab download ernie-4.5-0.3b" }
}

private func lesson(_ body: String) -> String {
    "# T\n\n```lab id=c\n" + body + "\n```\n"
}

@Test func expectationsAreParsedFromTheCellsComments() throws {
    let doc = try LessonDocument(markdown: lesson("""
        echo x
        # expect: contains "▁cat"
        # expect: lacks "error"
        # expect: "Luna" before "market"
        # expect: number 2 after "perplexity" in 1..3072
        # expect: number after "A:" > number after "B:"
        # expect: number after "B − A =" < 0
        # expect: count "meow" >= 3
        # expect: number 3 in line "5" in 10..20
        # expected output: a comment, not an expectation
        """), path: "t.md")
    let c = try #require(doc.cells.first)
    #expect(c.commands == ["echo x"])
    #expect(c.expectations.map(\.check) == [
        .contains("▁cat"), .lacks("error"), .before("Luna", "market"),
        .within(.numberAfter(label: "perplexity", occurrence: 2), 1, 3072),
        .compare(.numberAfter(label: "A:", occurrence: 1), .greater, .numberAfter(label: "B:", occurrence: 1)),
        .compare(.numberAfter(label: "B − A =", occurrence: 1), .less, .literal(0)),
        .compare(.count("meow"), .greaterOrEqual, .literal(3)),
        .within(.numberInLine(label: "5", index: 3), 10, 20),
    ])
    #expect(c.expectations.map(\.line) == [5, 6, 7, 8, 9, 10, 11, 12])
}

@Test(arguments: [
    ("# expect contains \"x\"", "needs a colon"),
    ("# expect: number after \"x\" ~ 3", "is not a comparison"),
    ("# expect: number after \"x\" in 5..1", "is not a range"),
    ("# expect: contains", "a quoted text must follow"),
    ("# expect: number after \"x\" < 3 extra", "unexpected \"extra\""),
    ("# expect: matches \"a*\"", "does not start an expectation"),
    ("# expect: contains \"open", "unclosed"),
])
func aMalformedExpectationNamesTheFileAndLine(_ line: String, _ says: String) {
    do {
        _ = try LessonDocument(markdown: lesson("echo x\n" + line), path: "Lessons/en/t.md")
        Issue.record("\(line) parsed")
    } catch let e as LessonDocumentError {
        #expect(e.line == 5 && e.description.hasPrefix("Lessons/en/t.md:5: ") && e.description.contains(says) && e.description.contains("HINT:"),
                "\(e)")
    } catch { Issue.record("\(error)") }
}

@Test func numbersAreReadAsTheLabPrintsThem() {
    func after(_ label: String, _ text: String, _ n: Int = 1) -> Double? {
        if case .success(let v) = CellExpectation.value(.numberAfter(label: label, occurrence: n), in: text) { return v }
        return nil
    }
    #expect(after("perplexity", "perplexity 41,084.2 (V = 3072)") == 41084.2)
    #expect(after("B − A =", "B − A = −18.2 nats") == -18.2)
    #expect(after("types:", "types: 8.8 % seen") == 8.8)
    #expect(after("p", "p=1.5e-3") == 0.0015)
    #expect(after("list:", "list: 3, 412") == 3)            // "3, 412" is two numbers, not 3412
    #expect(after("model", "model v3 says 7") == 7)         // "v3" is a word, not a number
    #expect(after("ppl", "ppl 5\nppl 9", 2) == 9)
    #expect(after("perplexity", "P 5.06e-33, perplexity\n41084.328 over 7") == 41084.328)   // wrapped at the width
    #expect(after("ppl", "ppl\nabout 5") == nil)            // the next line must open with the number
    #expect(after("ppl", "ppl 5", 2) == nil)
    // A table row by its first cell: the third number after "5" on the row that starts with it.
    let table = "k  types  unseen\n4  26950  573/20506 (2.8%)\n5  43935  1117/20506 (5.4%)"
    func cell(_ row: String, _ k: Int) -> Double? {
        if case .success(let v) = CellExpectation.value(.numberInLine(label: row, index: k), in: table) { return v }
        return nil
    }
    #expect(cell("5", 3) == 20506 && cell("5", 4) == 5.4 && cell("4", 1) == 26950 && cell("5", 9) == nil && cell("6", 1) == nil)
    if case .success(let n) = CellExpectation.value(.count("ab"), in: "ab ab abab") { #expect(n == 4) } else { Issue.record("count") }
}

@Test func aChangedOutcomeFailsItsExpectationNamingFileLineAndOutput() throws {
    let text = lesson("""
        echo "P(cute cat) = -31.2"
        echo "P(flying cat) = -35.9"
        # expect: number after "P(cute cat) =" > number after "P(flying cat) ="
        # expect: contains "cute"
        """)
    let doc = try LessonDocument(markdown: text, path: "Lessons/en/01.md")
    let session = LabSession(document: doc, executor: EchoExecutor())
    let cell = try #require(doc.cells.first)
    let good = session.run(cell)
    #expect(good.status == .ok && good.expectations.count == 2 && good.expectations.allSatisfy(\.passed))
    #expect(session.failureDescription(cell, good) == nil)

    // The retrained model now ranks the flying cat higher: the same cell, a changed outcome.
    let changed = ["echo \"P(cute cat) = -36.0\"", "echo \"P(flying cat) = -35.9\""]
    let retrained = try LessonDocument(markdown: text.replacingOccurrences(of: "-31.2", with: "-36.0"), path: "Lessons/en/01.md")
    let bad = LabSession(document: retrained, executor: EchoExecutor()).run(try #require(retrained.cells.first))
    #expect(retrained.cells[0].commands == changed)
    #expect(bad.status == .unexpected && !bad.status.succeeded)
    let report = try #require(LabSession(document: retrained, executor: EchoExecutor()).failureDescription(retrained.cells[0], bad))
    print(report)
    #expect(report.contains("Lessons/en/01.md:6: cell c: expectation `number after \"P(cute cat) =\" > number after \"P(flying cat) =\"` failed: -36 > -35.9 is false"))
    #expect(report.contains("The cell printed:\nP(cute cat) = -36.0\nP(flying cat) = -35.9"))
    #expect(report.contains("HINT:"))
}

@Test func aLearnersEditIsNotHeldToTheCellsExpectations() throws {
    let doc = try LessonDocument(markdown: lesson("echo 5\n# expect: contains \"3\""), path: "t.md")
    let session = LabSession(document: doc, executor: EchoExecutor())
    let edited = session.run(doc.cells[0], commands: ["echo 4"])
    #expect(edited.status == .ok && edited.expectations.isEmpty)
}

@Test func anErnieOnlyCellWithoutWeightsLeavesItsExpectationsUnchecked() throws {
    let doc = try LessonDocument(markdown: lesson("# ernie-only\necho 5\n# expect: contains \"never printed\""), path: "t.md")
    let run = LabSession(document: doc, executor: EchoExecutor()).run(doc.cells[0])
    #expect(run.status == .needsErnie("HINT: lmlab download ernie-4.5-0.3b") && run.expectations.isEmpty)
}

@Test func aHugeOutputIsSearchedOnlyToItsBound() throws {
    let e = try CellExpectation(parsing: "contains \"needle\"", line: 1)
    let output = "needle" + String(repeating: "a", count: CellExpectation.maxOutput)
    #expect(!e.evaluate(output).passed)
    #expect(e.evaluate(output + "needle").passed)
}

@Test func wordsAreFoundAcrossTheLineBreaksOfWrappedOutput() throws {
    // At 80 columns lesson 10's `hello-no-bos` printed "cannot be\n  scored": the promise holds, the line wrapped.
    let wrapped = "the first token has no context and\n  cannot be\n  scored: it is shown, not counted\n"
    #expect(try CellExpectation(parsing: "contains \"cannot be scored\"", line: 1).evaluate(wrapped).passed)
    #expect(try CellExpectation(parsing: "\"no context\" before \"be scored\"", line: 1).evaluate(wrapped).passed)
    #expect(!(try CellExpectation(parsing: "lacks \"cannot be scored\"", line: 1).evaluate(wrapped).passed))
    // Chinese wraps with no space at the break.
    #expect(try CellExpectation(parsing: "contains \"无法打分\"", line: 1).evaluate("第一个词元没有上文，无法\n打分\n").passed)
    // Still a real check: words that are not there, wrapped or not, fail.
    #expect(!(try CellExpectation(parsing: "contains \"cannot be counted\"", line: 1).evaluate(wrapped).passed))
    // A narrow cell (60 columns) wraps a label of `number after`: lesson 10's "困惑度" broke as "困" / "惑度".
    let summary = "tiny-ernie-instruct：总 log P -71.4，困惑度 35490.1\ntiny-ernie：总 log P -79.2，困\n惑度 107634.2\n"
    #expect(try CellExpectation(parsing: "number 2 after \"困惑度\" > 3072", line: 1).evaluate(summary).passed)
    #expect(!(try CellExpectation(parsing: "number 2 after \"困惑度\" > 200000", line: 1).evaluate(summary).passed))
    // … and a wrapped sentence may start a line with a table row's label: the row with the numbers is the one read.
    let table = "vocabulary 103,424 tokens; output layer tied to the\nembedding\n\npart  params  share\nembedding  51.0 M  29.4%\n"
    #expect(try CellExpectation(parsing: "number 2 in line \"embedding\" in 29..30", line: 1).evaluate(table).passed)
    // A ledger's column gaps narrow at 60 columns: the label's spaces match any run of spaces.
    let narrow = "  14  619 ss  -7.601  -14.564 -6.963\n  15  286 is -15.059   -9.004  6.055\n"
    #expect(try CellExpectation(parsing: "number 3 in line \"15   286  is\" > 3", line: 1).evaluate(narrow).passed)
    #expect(try CellExpectation(parsing: "number 3 in line \"14   619  ss\" < -3", line: 1).evaluate(narrow).passed)
    #expect(!(try CellExpectation(parsing: "number 3 in line \"15   287  is\" > 3", line: 1).evaluate(narrow).passed),
            "only the spaces are read loosely")
}

/// A report shows an expectation as written in English and read out in Chinese, every kind of check and term.
@Test func anExpectationIsReadOutInChinese() throws {
    let cases: [(String, String)] = [
        (#"contains "▁cat""#, "含有“▁cat”"),
        (#"lacks "error""#, "不含“error”"),
        (#""Luna" before "market""#, "“Luna”在“market”之前"),
        (#"number after "cute cat." > number after "can fly.""#, "“cute cat.”之后的数 > “can fly.”之后的数"),
        (#"number 2 after "perplexity" in 1..3072"#, "第 2 个“perplexity”之后的数在 1..3072 之内"),
        (#"number 3 in line "5" < 20"#, "以“5”开头那行的第 3 个数 < 20"),
        (#"number in line "3" <= 3.5"#, "以“3”开头那行的数 <= 3.5"),
        (#"count "The cat says meow." >= 3"#, "“The cat says meow.”出现的次数 >= 3"),
        (#"number after "x" in 0.5..1e-1"#, ""),
    ]
    for (source, chinese) in cases {
        guard let e = try? CellExpectation(parsing: source, line: 1) else {
            #expect(chinese.isEmpty, "\(source) parses"); continue
        }
        #expect(e.shown(inChinese: false) == source, "English is the expectation as written")
        #expect(e.shown(inChinese: true) == chinese, "\(source)")
    }
}

/// Why a number could not be read is said in the learner's language too (a Chinese lesson's failed expectation
/// printed "no line starts with …" in English).
@Test func aMissingNumberIsExplainedInChinese() throws {
    let output = "  1  98  <0x55>  -11.610\nB − A：-3.997 奈特\n"
    let cases: [(String, String)] = [
        (#"number 3 in line "715  爸爸" > 8"#, "没有以“715  爸爸”开头的行"),
        (#"number 3 in line "1  98  <0x55>" > 0"#, "以“1  98  <0x55>”开头的行后面只有 1 个数，不是 3 个"),
        (#"number 2 after "B − A：" < 0"#, "“B − A：”出现不到 2 次"),
        (#"number after "奈特" < 0"#, "同一行里“奈特”之后没有数"),
    ]
    for (source, chinese) in cases {
        let e = try CellExpectation(parsing: source, line: 1)
        let zh = Learner.$language.withValue(.zh) { e.evaluate(output) }
        #expect(!zh.passed && zh.detail.contains(chinese), "\(source): \(zh.detail)")
        let en = Learner.$language.withValue(.en) { e.evaluate(output) }
        #expect(!en.passed && !en.detail.contains("“"), "\(source): \(en.detail)")
    }
}
