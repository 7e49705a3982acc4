// `lmlab prob`: P(text) under a model, token by token — the chain rule made visible (lesson 1, lesson 10).
//
//   $ lmlab prob "hello, world" --model ernie-4.5-0.3b
//   BOS: <s> (id 1) prepended, so the first text token is scored too (lm-evaluation-harness convention)
//   pos  id     piece   P          log P     running
//   0    1      <s>     —          —         0.000
//   1    18830  hello   0.000123   -9.003    -9.003
//   …
//   total log P -…  P …  perplexity …
//
// --compare puts a second model beside the first (same ids: the models must share the tokenizer) with the
// per-token difference, which is how lesson 10 contrasts the base and the post-trained model. --json is Lab's
// ProbJSON. --precision converts the weights at load (ERNIE/WeightPrecision.swift); --compare-precision does so for
// the second model, so `--model M --compare M --compare-precision int8` shows what int8 changes.
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import TerminalUI

struct ProbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prob",
        abstract: "Score a text with a model: P of every token given the ones before it, the total and the perplexity.",
        discussion: CommandHelp.prob)

    @Argument(help: "The text to score (omit with --ids).")
    var text: String?

    @OptionGroup var model: ModelName

    @Option(name: .long, help: "A second model to score the same tokens, side by side.")
    var compare: String?

    @OptionGroup var weights: PrecisionChoice

    @Option(name: .customLong("compare-precision"),
            help: ArgumentHelp("Weights of --compare (default: --precision); the same choices.", valueName: "precision"))
    var comparePrecision: WeightPrecision?

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Put <s> first so the text's first token is scored (default: on, off with --chat).")
    var bos: Bool?

    @OptionGroup var turn: ChatTurn

    @Option(name: .long, help: "Comma-separated token ids to score as given (no tokenizer needed).")
    var ids: String?

    @OptionGroup var remote: APIOptions

    @Flag(name: .long, help: "Open the ledger full screen (scroll with ↑/↓).")
    var explore = false

    @OptionGroup var output: JSONOutput

    func validate() throws {
        if explore && output.json { throw ValidationError(OptionConflict.exploreWithJSON(("ledger", "账本"))) }
        try usage { try request.check() }
    }

    var request: ProbRequest {
        ProbRequest(model: model.name, text: text, ids: ids, compare: compare, precision: weights.precision,
                    comparePrecision: comparePrecision, bos: bos, chat: turn.chat, api: remote.settings)
    }

    func run() throws {
        // --json is for scripts: its values (the BOS convention in words) stay in English whatever the learner reads.
        if output.json {
            return try Learner.$language.withValue(.en) { print(try jsonString(try score().json, compact: true)) }
        }
        let result = try score()
        if explore {
            let (title, content) = result.explored
            return try ExplorerLauncher.open(OutputPage(title: title) { content })
        }
        OutputPrinter.print(result.table)
    }

    /// The ledger(s); options a word-level model does not take are a usage error.
    private func score() throws -> ProbResult { try request.run() }
}

/// `--precision as-stored|bf16|f32|int8` (a bad value is refused by ArgumentParser, naming the option and the choices).
extension WeightPrecision: ExpressibleByArgument {
    /// The choices with what each does and costs, for help texts.
    static var helpChoices: String {
        allCases.map { "\($0.rawValue) = \($0.summary)" }.joined(separator: "; ")
    }
}
