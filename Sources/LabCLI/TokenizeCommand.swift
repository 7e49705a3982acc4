// `lmlab tokenize`: show where a tokenizer cuts a text — pieces, ids, bytes, and the decoded round trip.
//
//   $ lmlab tokenize "Hello, 世界! 12" --model Tests/TokenizersTests/Fixtures/ernie     (an ERNIE-like test tokenizer)
//   piece │ Hello          │ ,    │ ▁世         │ 界       │ !    │ ▁    │ 1  │ 2
//   id    │ 883            │ 2456 │ 1242        │ 2506     │ 2430 │ 2403 │ 6  │ 7
//   bytes │ 48 65 6C 6C 6F │ 2C   │ 20 E4 B8 96 │ E7 95 8C │ 21   │ 20   │ 31 │ 32
//
// Columns are aligned by display width (a CJK character takes two cells), "▁" marks a space that belongs to the
// piece, and control characters are shown escaped (\n). Lesson 1 and lesson 8 use it to show that a model reads
// pieces, not words.
import ArgumentParser
import Foundation
import Lab
import LabCore
import ModelFiles
import TerminalUI
import Tokenizers

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show how a tokenizer splits a text: pieces, ids, bytes, and the decoded round trip.",
        discussion: CommandHelp.tokenize)

    @Argument(help: "The text to tokenize.")
    var text: String

    @Option(name: .long, help: "A model folder, a tokenizer.model file, or a model name.")
    var model: String

    @OptionGroup var output: JSONOutput

    @Flag(name: .long, help: "Put the BOS token first (the folder's add_bos_token decides otherwise).")
    var bos = false

    @OptionGroup var turn: ChatTurn

    func run() throws {
        _ = TerminalLocale.activate()
        let tokenizer = try ModelLoader.tokenizer(model)
        let report = try TokenizedText.make(StandardInputText.resolve(text), with: tokenizer, bos: bos, chat: turn.chat)
        if output.json {
            print(try jsonString(report.json))
        } else {
            let width = max(40, TerminalSize.columns())
            print(TokenizedTextGrid.render(report, width: width).joined(separator: "\n"))
        }
    }
}
