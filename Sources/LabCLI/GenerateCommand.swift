// `lmlab generate`: continue a text with a model — greedy, seeded sampling, or beam search with its tree.
//
//   $ lmlab generate "Once upon a time" --model ernie-4.5-0.3b --strategy sample --temperature 0.8 --top-p 0.9 --seed 7
//   processors: temperature 0.8 → top-p 0.9   (seed 7)
//   Once upon a time, there was …
//
// Greedy and sampling stream each token as it is chosen. --json prints {"ids": [new ids], "text": "…"} for
// greedy/sample and {"sequences": [{"ids", "score"}], "tree": {"nodes": […]}} for beam (docs/DECODING.md).
import ArgumentParser
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore
import TerminalUI
import Tokenizers

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a text with a model: greedy, seeded sampling, or beam search (with its search tree).",
        discussion: CommandHelp.generate)

    enum Strategy: String, ExpressibleByArgument, CaseIterable { case greedy, beam, sample }

    @OptionGroup var input: PromptOptions

    @Option(name: .long, help: "greedy, beam or sample.")
    var strategy: Strategy = .greedy

    @Option(name: .long, help: ArgumentHelp("Weights: \(WeightPrecision.helpChoices).", valueName: "precision"))
    var precision: WeightPrecision = .asStored

    @Flag(name: .long, help: "Send the text as a user message in the chat template; the answer ends at the end-of-turn token.")
    var chat = false

    @OptionGroup var remote: APIOptions

    @Option(name: .long, parsing: .unconditional,
            help: "At most this many new tokens (1…\(Self.maxNewTokensLimit), and the prompt plus them within the model's context; an end token stops earlier).")
    var maxNewTokens = 32

    @Option(name: .long, parsing: .unconditional, help: "Beam search: number of beams (1…\(BeamSearchSettings.maxBeams)).")
    var beams: Int?
    @Option(name: .customLong("num-return"), parsing: .unconditional, help: "Beam search: how many finished sequences to show (≤ beams).")
    var numReturn: Int?
    @Option(name: .long, parsing: .unconditional, help: "Beam search: α in log P / length^α (default 1).")
    var lengthPenalty: Float?
    @Flag(name: .long, help: "Beam search: stop as soon as --beams sequences have finished.")
    var earlyStopping = false
    @Flag(name: .long, help: "Beam search: early_stopping=\"never\" (with α > 0 assume beams may grow to the limit).")
    var neverStopEarly = false

    @OptionGroup(title: "Sampling") var sampling: SamplingOptions

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if remote.api != nil && precision != .asStored {
            throw ValidationError("--precision sets the local weights; with --api the server decodes. Leave out one of them.")
        }
        if chat && (input.ids != nil || input.bos) {
            throw ValidationError("--chat builds the prompt from TEXT with the chat template; leave out --ids and --bos")
        }
        try checkRange("--max-new-tokens", maxNewTokens, 1...Self.maxNewTokensLimit)
        try checkRange("--beams", beams, 1...BeamSearchSettings.maxBeams, hint: "4 is usual; 1 is greedy search.")
        let beamOptions = beams != nil || numReturn != nil || lengthPenalty != nil || earlyStopping || neverStopEarly
        if sampling.isSet && strategy != .sample {
            throw ValidationError("--temperature/--top-k/--top-p/--min-p/--seed apply to --strategy sample only")
        }
        if beamOptions && strategy != .beam {
            throw ValidationError("--beams/--num-return/--length-penalty/--early-stopping apply to --strategy beam only")
        }
        if earlyStopping && neverStopEarly {
            throw ValidationError("--early-stopping and --never-stop-early contradict each other: pick one")
        }
        if strategy == .beam {
            do { try beamSettings(endTokens: nil).validate() } catch let e as DecodingError {
                throw ValidationError(e.description)
            }
        }
    }

    /// The largest --max-new-tokens: ERNIE-4.5's context (max_position_embeddings 131072); a model with a shorter
    /// context is checked against its own when it is loaded (`checkContext`).
    static let maxNewTokensLimit = 131_072

    /// The prompt ids (TEXT as a chat turn with --chat).
    func prompt(_ tokenizer: ErnieTokenizer?) throws -> [Int] { try input.prompt(tokenizer, chat: chat) }

    /// The sampling processors (none for greedy, which ignores them).
    func processors() throws -> ProcessorChain { try sampling.processors() }

    func beamSettings(endTokens: Set<Int>?) -> BeamSearchSettings {
        let beams = self.beams ?? 4
        return BeamSearchSettings(beams: beams, maxNewTokens: maxNewTokens, lengthPenalty: lengthPenalty ?? 1,
                                  earlyStopping: earlyStopping ? .true : neverStopEarly ? .never : .false,
                                  numReturnSequences: numReturn ?? 1, endTokens: endTokens)
    }

    func run() throws {
        if let words = try ModelLoader.wordModel(input.model) { return try run(words) }
        let chosen = try ChosenModel(input, remote, precision: precision, maxNewTokens: maxNewTokens, chat: chat)
        if let api = chosen.api, !json {
            let kind: RemoteNotice.Kind = strategy == .greedy ? .greedy : strategy == .beam ? .beam : .sample
            OutputPrinter.stream(.block(.text(OutputText(RemoteNotice.line(kind, api)))))
        }
        try decode(chosen.model, tokenizer: chosen.tokenizer, promptIds: chosen.prompt)
    }

    /// Continues with a word-level neural LM (Models/gru-stories-en, …): <s> and TEXT's words, until </s>.
    private func run(_ words: WordLanguageModel) throws {
        if remote.api != nil || chat || precision != .asStored {
            throw ValidationError(Learner.text(
                "--api, --chat and --precision apply to ERNIE-format models; \(input.model) is a word-level model. HINT: leave them out.",
                "--api、--chat 和 --precision 只用于 ERNIE 格式的模型；\(input.model) 是词级模型。HINT：去掉它们。"))
        }
        let promptIds = try input.ids.flatMap(PromptOptions.parseIds).map(words.checkedIds)
            ?? words.promptIds(try StandardInputText.resolve(input.text ?? ""))
        try decode(words.model, tokenizer: nil, promptIds: promptIds, text: words.text)
    }

    /// Decodes with `lm` (the local engine, a server through RemoteLanguageModel, or a word-level model whose ids
    /// `text` spells) and prints the result.
    func decode<M: LanguageModel>(_ lm: M, tokenizer: ErnieTokenizer?, promptIds: [Int],
                                  text spell: (([Int]) -> String)? = nil) throws {
        let vocabulary = lm.vocabulary
        // In a chat the assistant's turn ends with the template's end-of-turn token (<|end_of_sentence|> for ERNIE).
        let ends: Set<Int>? = chat ? lm.endTokens.union([tokenizer?.sepId].compactMap { $0 }) : nil
        func text(_ ids: [Int]) -> String { spell?(ids) ?? LoadedModel.text(ids, tokenizer: tokenizer, vocabulary: vocabulary) }
        switch strategy {
        case .greedy, .sample:
            let choice: TokenChoice = strategy == .greedy ? .greedy : .sample(seed: sampling.seed ?? 0)
            try Self.stream(lm, sampler: Sampler(processors: try processors(), choice: choice), promptIds: promptIds,
                            maxNewTokens: maxNewTokens, endTokens: ends, json: json, text: text)
        case .beam:
            let result = try BeamSearch.run(lm, prompt: promptIds, settings: beamSettings(endTokens: ends))
            if json {
                print(try jsonString(BeamJSON(sequences: result.sequences.map { .init(ids: $0.ids, score: $0.score) },
                                              tree: result.tree), compact: true))
            } else {
                print(BeamReport.summary(result, settings: beamSettings(endTokens: ends), prompt: promptIds, text: text))
                OutputPrinter.print(.beamTree(OutputBeamTree.from(
                    result.tree, root: text(promptIds), piece: { VisibleText.escapingControls(vocabulary.piece($0)) })))
            }
        }
    }

    /// Greedy decoding or sampling with `sampler`, streamed as it is chosen (Lab's GenerationStream); with `json`,
    /// {"ids", "text"} at the end instead.
    static func stream<M: LanguageModel>(_ lm: M, sampler: Sampler, promptIds: [Int], maxNewTokens: Int,
                                         endTokens: Set<Int>?, json: Bool, text: ([Int]) -> String) throws {
        let new = try GenerationStream.run(lm, sampler: sampler, promptIds: promptIds, maxNewTokens: maxNewTokens,
                                           endTokens: endTokens, text: text, emit: json ? nil : OutputPrinter.stream)
        if json { print(try jsonString(GreedyJSON(ids: new, text: text(new)), compact: true)) }
    }

    struct GreedyJSON: Encodable { let ids: [Int]; let text: String }
    struct BeamJSON: Encodable {
        struct Sequence: Encodable { let ids: [Int]; let score: Float }
        let sequences: [Sequence]
        let tree: BeamTree
    }
}
