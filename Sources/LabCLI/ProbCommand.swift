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
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore
import ModelFiles
import TerminalUI
import Tokenizers

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

    @Option(name: .long, help: ArgumentHelp("Weights of --model: \(WeightPrecision.helpChoices).",
                                            valueName: "precision"))
    var precision: WeightPrecision = .asStored

    @Option(name: .customLong("compare-precision"),
            help: ArgumentHelp("Weights of --compare (default: --precision); the same choices.", valueName: "precision"))
    var comparePrecision: WeightPrecision?

    @Flag(name: .long, inversion: .prefixedNo,
          help: "Put <s> first so the text's first token is scored (default: on, off with --chat).")
    var bos: Bool?

    @Flag(name: .long, help: "Score the text as a user message in the chat template.")
    var chat = false

    @Option(name: .long, help: "Comma-separated token ids to score as given (no tokenizer needed).")
    var ids: String?

    @OptionGroup var remote: APIOptions

    @Flag(name: .long, help: "Open the ledger full screen (scroll with ↑/↓).")
    var explore = false

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    func validate() throws {
        if text == nil && ids == nil { throw ValidationError("give a TEXT to score, or --ids 1,2,3") }
        if let text, text.isEmpty {
            throw ValidationError(Learner.text(
                "TEXT is empty, so there is no token to score (the perplexity would be 0/0). "
                    + "HINT: give a text, e.g. lmlab prob \"The cat sat.\" --model tiny-ernie.",
                "TEXT 是空的，没有词元可打分（困惑度会是 0/0）。HINT：给一段文本，例如 lmlab prob \"The cat sat.\" --model tiny-ernie。"))
        }
        if explore && json { throw ValidationError("--explore opens the full-screen ledger; it does not combine with --json.") }
        if text != nil && ids != nil { throw ValidationError("give either a TEXT or --ids, not both") }
        if comparePrecision != nil && compare == nil {
            throw ValidationError("--compare-precision applies to the --compare model; give --compare too")
        }
        if ids != nil && (bos != nil || chat) {
            throw ValidationError("--ids are scored exactly as given; --bos/--no-bos and --chat apply to TEXT only")
        }
        if remote.api != nil && (compare != nil || precision != .asStored || comparePrecision != nil) {
            throw ValidationError("--api scores with the server's model; --compare and --precision set local weights. HINT: leave them out, or run without --api.")
        }
        if let ids, PromptOptions.parseIds(ids) == nil {
            throw ValidationError("--ids \(ids): expected comma-separated non-negative integers, like 1,18830,93938")
        }
    }

    func run() throws {
        // --json is for scripts: its values (the BOS convention in words) stay in English whatever the learner reads.
        if json { return try Learner.$language.withValue(.en) { try show() } }
        try show()
    }

    private func show() throws {
        if let words = try ModelLoader.wordModel(model.name) { return try show(words) }
        // Over a server only the tokenizer is read here (Lab/RemoteModel.swift); locally the weights too.
        if let settings = remote.settings {
            let server = try RemoteModel(model: model.name, api: settings)
            let (tokenIds, convention) = try ProbReport.tokens(ids: ids.flatMap(PromptOptions.parseIds), text: text,
                                                               tokenizer: server.tokenizer, bos: bos, chat: chat, name: model.name)
            // The ledger from the server's echoed prompt log-probs (the header says so, and what the server did).
            let result = try server.score(tokenIds)
            let header = [convention, RemoteNotice.line(.prob, server.api)] + result.notes
            return try present(result.score, nil, header: header, title: server.api.url, precisions: (.asStored, nil),
                               explored: .group(OutputGroup([.text(OutputText(header.joined(separator: "\n"), .dim)),
                                                             .ledger(Ledger(result.score))])))
        }
        let scored = try ProbReport.Scored(model: model.name, precision: precision, compare: compare,
                                           comparePrecision: comparePrecision ?? precision, ids: ids.flatMap(PromptOptions.parseIds),
                                           text: text, bos: bos, chat: chat)
        let (main, other, first, second) = (scored.main, scored.other, scored.first, scored.second)
        let header = [scored.convention, ProbReport.precisionLine(main, other)]
        let ledgers = ([first] + (second.map { [$0] } ?? [])).map { Output.ledger(Ledger($0)) }
        try present(first, second, header: header, title: names,
                    precisions: (main.model.weights.precision, other?.model.weights.precision),
                    explored: .group(OutputGroup(header.map { .text(OutputText($0, .dim)) } + ledgers)))
    }

    /// The ledger of a word-level neural LM (Models/rnn-stories-en, …): the sentence from <s> to </s>.
    private func show(_ main: WordLanguageModel) throws {
        if chat || precision != .asStored || comparePrecision != nil || bos == false || remote.api != nil {
            throw ValidationError(Learner.text(
                "--chat, --precision, --no-bos and --api apply to ERNIE-format models; \(model) is a word-level model, whose sentences always start with <s>. HINT: leave them out.",
                "--chat、--precision、--no-bos 和 --api 只用于 ERNIE 格式的模型；\(model) 是词级模型，句子总以 <s> 开头。HINT：去掉它们。"))
        }
        let other = try compare.map { name in
            guard let w = try ModelLoader.wordModel(name) else {
                throw ModelLoadError(Learner.text(
                    "--compare \(name): not a word-level model like \(model), so the two cannot score the same ids. HINT: compare with nnlm-stories-en, rnn-stories-en or gru-stories-en.",
                    "--compare \(name)：不是像 \(model) 那样的词级模型，两者无法给同一串 id 打分。HINT：与 nnlm-stories-en、rnn-stories-en 或 gru-stories-en 比较。"))
            }
            return w
        }
        let (first, second, convention) = try main.scores(
            text: try text.map { try StandardInputText.resolve($0) }, ids: ids.flatMap(PromptOptions.parseIds), compare: other,
            givenIdsConvention: LoadedModel.givenIdsConvention)
        try present(first, second, header: [convention], title: names, precisions: (.asStored, other == nil ? nil : .asStored))
    }

    /// --model, and --compare beside it, for the full-screen title.
    private var names: String { ([model.name] + (compare.map { [$0] } ?? [])).joined(separator: " vs ") }

    /// The ledger (two side by side with --compare) as JSON, full screen (`explored`, else the table), or the table
    /// below `header` (whose first line is the BOS convention).
    private func present(_ first: SentenceScore, _ second: SentenceScore?, header: [String], title: String,
                         precisions: (WeightPrecision, WeightPrecision?), explored: Output? = nil) throws {
        if json {
            return print(try jsonString(SentenceScoreJSON(first, compare: second, bos: header[0], precision: precisions.0.rawValue,
                                                          comparePrecision: precisions.1?.rawValue), compact: true))
        }
        let table = ProbReport.output(first, second, header: header)
        if explore {
            let page = explored ?? table
            return try ExplorerLauncher.open(OutputPage(title: Learner.text("P(sentence) ledger · ", "P(句子) 账本 · ") + title) { page })
        }
        OutputPrinter.print(table)
    }
}

/// `--precision as-stored|bf16|f32|int8` (a bad value is refused by ArgumentParser, naming the option and the choices).
extension WeightPrecision: ExpressibleByArgument {
    /// The choices with what each does and costs, for help texts.
    static var helpChoices: String {
        allCases.map { "\($0.rawValue) = \($0.summary)" }.joined(separator: "; ")
    }
}
