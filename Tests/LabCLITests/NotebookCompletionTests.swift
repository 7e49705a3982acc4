// Tab in the notebook's edit line (walk 15, finding 3) is the REPL's completion, over the real command tree: after a
// command its subcommands and options, after --model the model names; it filled in any word of one flat list
// (`ngram t` → `ngram tiny-ernie`, `ngram ` → `ngram --alpha`).
import Foundation
import Lab
import LabCore
import Testing
@testable import LabCLI
@testable import TerminalUI

private final class NoRun: CellExecutor {
    func execute(_ line: String, output: @escaping (String) -> Void) -> CommandStatus { .ok }
    func ernieWeightsMissing() -> String? { nil }
}

/// What the edit line holds after `typed` and one Tab, and what it offers.
private func tab(_ typed: String) throws -> (line: String, offered: String) {
    let doc = try LessonDocument(markdown: "# T\n\n```lab id=c\ncorpus list\n```\n", path: "t.md")
    let page = LessonPage(document: doc, session: LabSession(document: doc, executor: NoRun()), language: .en)
    page.complete = Notebook.completer {
        CommandCompletion(root: LMLabMain.commandTree, models: ["gru-stories-en", "tiny-ernie", "tiny-ernie-instruct"],
                          exercises: ["bigram_counter", "softmax"], lessons: ["4", "04-ngram"])
    }
    _ = page.handle(.char("e"))
    _ = page.handle(.ctrl("u"))
    for ch in typed { _ = page.handle(.char(ch)) }
    _ = page.handle(.tab)
    let s = MemoryScreen(rows: 24, cols: 100)
    page.draw(on: s)
    #expect(s.line(23) == "edit> " + (page.input?.value ?? "?").trimmingCharacters(in: .whitespaces))
    return (page.input?.value ?? "", s.line(22))                            // the matches: the row above
}

@Test func tabInTheEditLineKnowsTheCommandTree() throws {
    #expect(try tab("ngram t").line == "ngram train ", "not tiny-ernie")
    #expect(try tab("ngram s").line == "ngram sparsity ")
    #expect(try tab("ngram pr").line == "ngram prob ", "not prefill or probe (other commands' words)")
    #expect(try tab("corpus list ; ngram t").line == "corpus list ; ngram train ", "the command the cursor is in")
    let exercise = try tab("exercise ")
    #expect(exercise.line == "exercise ", "several subcommands: offered, none guessed (it put in --alpha)")
    #expect(["check", "hint", "reset"].allSatisfy(exercise.offered.contains) && !exercise.offered.contains("--alpha"),
            "\(exercise.offered)")
    #expect(try tab("exercise check b").line == "exercise check bigram_counter ")
    let model = try tab("prob x --model t")
    #expect(model.line == "prob x --model tiny-ernie", "extended to what the two tiny ERNIEs share")
    #expect(model.offered.contains("tiny-ernie-instruct") && !model.offered.contains("train"), "\(model.offered)")
}
