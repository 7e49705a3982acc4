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
import LabCore
import TerminalUI
import Tokenizers

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Continue a text with a model: greedy, seeded sampling, or beam search (with its search tree).",
        discussion: """
        Sampling processors apply in transformers' order: temperature → top-k → top-p → min-p. \
        Sampling draws with a seeded xoshiro256** generator, so a seed reproduces a run on every machine. \
        Beam search follows transformers' generate(num_beams=…): --length-penalty α ranks finished sequences by \
        log P / length^α; --early-stopping stops as soon as --beams sequences have finished, --never-stop-early \
        is early_stopping="never". The text is tokenized without <s> unless --bos.

        Examples:
          lmlab generate "The capital of France is" --model ernie-4.5-0.3b --max-new-tokens 10
          lmlab generate "Once upon a time" --model ernie-4.5-0.3b --strategy sample --top-p 0.9 --seed 7
          lmlab generate --ids 1,93938 --model path/to/folder --strategy beam --beams 4 --num-return 2 --json
        """)

    enum Strategy: String, ExpressibleByArgument, CaseIterable { case greedy, beam, sample }

    @Argument(help: "The text to continue (omit with --ids).")
    var text: String?

    @Option(name: .long, help: "A model folder or a model name (see `lmlab models`).")
    var model: String

    @Option(name: .long, help: "greedy, beam or sample.")
    var strategy: Strategy = .greedy

    @Option(name: .long, help: ArgumentHelp("Weights: \(WeightPrecision.helpChoices).", valueName: "precision"))
    var precision: WeightPrecision = .asStored

    @Option(name: .long, help: "Comma-separated prompt ids, used as given (no tokenizer needed).")
    var ids: String?

    @Flag(name: .long, help: "Put the tokenizer's <s> before the text.")
    var bos = false

    @Flag(name: .long, help: "Send the text as a user message in the chat template; the answer ends at the end-of-turn token.")
    var chat = false

    @Option(name: .long, help: "Decode over this OpenAI-compatible server instead of the local weights (--model still gives the tokenizer).")
    var api: String?

    @Option(name: .customLong("api-top"), parsing: .unconditional,
            help: "With --api: log-probs asked for per step (1…1000, default 20; the server may cap it).")
    var apiTop = 20

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

    @Option(name: .long, parsing: .unconditional, help: "Sampling: divide the scores by T (\(Temperature.minimum) or more).")
    var temperature: Float?
    @Option(name: .long, parsing: .unconditional, help: "Sampling: keep the K most likely tokens (1…\(Self.topKLimit)).")
    var topK: Int?
    @Option(name: .long, parsing: .unconditional, help: "Sampling: keep the smallest set of tokens with probability ≥ P (0 < P ≤ 1).")
    var topP: Float?
    @Option(name: .long, parsing: .unconditional, help: "Sampling: keep tokens at least P × the most likely one's probability (0…1).")
    var minP: Float?
    @Option(name: .long, parsing: .unconditional, help: "Sampling: the random seed (default 0).")
    var seed: UInt64?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if text == nil && ids == nil { throw ValidationError("give a TEXT to continue, or --ids 1,2,3") }
        if text != nil && ids != nil { throw ValidationError("give either a TEXT or --ids, not both") }
        if ids != nil && bos { throw ValidationError("--ids are used exactly as given; --bos applies to TEXT only") }
        if api != nil && precision != .asStored {
            throw ValidationError("--precision sets the local weights; with --api the server decodes. Leave out one of them.")
        }
        if chat && (ids != nil || bos) { throw ValidationError("--chat builds the prompt from TEXT with the chat template; leave out --ids and --bos") }
        if let ids, parseIds(ids) == nil {
            throw ValidationError("--ids \(ids): expected comma-separated non-negative integers, like 1,18830,93938")
        }
        try checkRange("--max-new-tokens", maxNewTokens, 1...Self.maxNewTokensLimit)
        try checkRange("--api-top", apiTop, 1...1000)
        try checkRange("--top-k", topK, 1...Self.topKLimit)
        try checkRange("--beams", beams, 1...BeamSearchSettings.maxBeams, hint: "4 is usual; 1 is greedy search.")
        if let topP, !(topP > 0) {
            throw ValidationError("--top-p \(topP) keeps no token: P must be above 0 and at most 1. "
                + "HINT: for always the most likely token use --strategy greedy; 0.9 is usual.")
        }
        let sampling = temperature != nil || topK != nil || topP != nil || minP != nil || seed != nil
        let beamOptions = beams != nil || numReturn != nil || lengthPenalty != nil || earlyStopping || neverStopEarly
        if sampling && strategy != .sample {
            throw ValidationError("--temperature/--top-k/--top-p/--min-p/--seed apply to --strategy sample only")
        }
        if beamOptions && strategy != .beam {
            throw ValidationError("--beams/--num-return/--length-penalty/--early-stopping apply to --strategy beam only")
        }
        if earlyStopping && neverStopEarly {
            throw ValidationError("--early-stopping and --never-stop-early contradict each other: pick one")
        }
        _ = try processors()
        if strategy == .beam {
            do { try beamSettings(endTokens: nil).validate() } catch let e as DecodingError {
                throw ValidationError(e.description)
            }
        }
    }

    /// The largest --max-new-tokens: ERNIE-4.5's context (max_position_embeddings 131072); a model with a shorter
    /// context is checked against its own when it is loaded (`checkContext`).
    static let maxNewTokensLimit = 131_072
    /// The largest --top-k (a k above the vocabulary keeps every token, as transformers does).
    static let topKLimit = 1_000_000

    /// A runtime error when the prompt and --max-new-tokens do not fit in the model's context (decoding would
    /// otherwise stop with an error only when the context is full).
    func checkContext(promptTokens: Int, loaded: ProbCommand.Loaded) throws {
        let context = loaded.model.config.maxPositionEmbeddings
        guard promptTokens + maxNewTokens > context else { return }
        let fix = promptTokens < context ? "use --max-new-tokens \(context - promptTokens) or less, or shorten the prompt"
                                         : "shorten the prompt"
        throw GenerateError("--max-new-tokens \(maxNewTokens): the prompt's \(promptTokens) tokens and \(maxNewTokens) new "
            + "ones exceed \(model)'s context of \(context) tokens (max_position_embeddings in config.json). HINT: \(fix).")
    }

    /// `generate`'s options as another command (`sample`, `beam`) built them; a bad value is a usage error of that
    /// command (exit 64) with generate's message.
    static func parseSettings(_ arguments: [String]) throws -> GenerateCommand {
        do { return try parse(arguments) } catch { throw ValidationError(message(for: error)) }
    }

    func processors() throws -> ProcessorChain {
        do {
            return try ProcessorChain(temperature: temperature, topK: topK, topP: topP, minP: minP)
        } catch let e as DecodingError {
            throw ValidationError(e.description)
        }
    }

    func beamSettings(endTokens: Set<Int>?) -> BeamSearchSettings {
        let beams = self.beams ?? 4
        return BeamSearchSettings(beams: beams, maxNewTokens: maxNewTokens, lengthPenalty: lengthPenalty ?? 1,
                                  earlyStopping: earlyStopping ? .true : neverStopEarly ? .never : .false,
                                  numReturnSequences: numReturn ?? 1, endTokens: endTokens)
    }

    func parseIds(_ s: String) -> [Int]? {
        let parts = s.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        return parts.map { $0! }
    }

    func prompt(_ tokenizer: ErnieTokenizer?) throws -> [Int] {
        if let ids, let parsed = parseIds(ids) { return parsed }
        guard let tokenizer else {
            throw GenerateError("\(model): no tokenizer.model in the model folder, so TEXT cannot be tokenized. "
                + "HINT: add the tokenizer files to the folder, or pass prompt ids with --ids.")
        }
        if chat { return try tokenizer.encodeChat([ChatMessage(.user, text ?? "")], addGenerationPrompt: true) }
        var result: [Int] = []
        if bos {
            guard let b = tokenizer.bosId else {
                throw GenerateError("\(model): the tokenizer defines no bos_token. HINT: leave out --bos.")
            }
            result.append(b)
        }
        result += tokenizer.encode(text ?? "", addBos: false)
        guard !result.isEmpty else {
            throw GenerateError("the prompt is empty. HINT: give a non-empty TEXT, or --bos to start from <s>.")
        }
        return result
    }

    func run() throws {
        let loaded = try ProbCommand.load(model, precision: precision)
        let promptIds = try prompt(loaded.tokenizer)
        try checkContext(promptTokens: promptIds.count, loaded: loaded)
        guard let api else { return try decode(loaded.model, loaded: loaded, promptIds: promptIds) }
        guard let tokenizer = loaded.tokenizer else {
            throw GenerateError("\(model): --api needs the model's tokenizer files to turn ids into text and back. HINT: point --model at the folder the server's model came from.")
        }
        let remote = RemoteLanguageModel(
            client: try CompletionsClient(api), name: api, vocabulary: loaded.model.vocabulary,
            startToken: tokenizer.bosId, endTokens: loaded.model.endTokens, top: apiTop,
            detokenize: { ids in tokenizer.decode(ids.first == tokenizer.bosId ? Array(ids.dropFirst()) : ids, skipSpecialTokens: false) },
            idOfText: { text in tokenizer.id(of: text.replacingOccurrences(of: " ", with: "▁")) })
        if !json { FileHandle.standardOutput.write(Data("over \(api): top-\(apiTop) log-probs per step (top-\(apiTop) only), one request per step\n".utf8)) }
        try decode(remote, loaded: loaded, promptIds: promptIds)
    }

    /// Decodes with `lm` (the local engine, or a server through RemoteLanguageModel) and prints the result.
    func decode<M: LanguageModel>(_ lm: M, loaded: ProbCommand.Loaded, promptIds: [Int]) throws {
        let vocabulary = lm.vocabulary
        // In a chat the assistant's turn ends with the template's end-of-turn token (<|end_of_sentence|> for ERNIE).
        let ends: Set<Int>? = chat ? lm.endTokens.union([loaded.tokenizer?.sepId].compactMap { $0 }) : nil
        func text(_ ids: [Int]) -> String {
            loaded.tokenizer.map { $0.decode(ids, skipSpecialTokens: false) } ?? ids.map(vocabulary.piece).joined()
        }
        switch strategy {
        case .greedy, .sample:
            let chain = try processors()
            let choice: TokenChoice = strategy == .greedy ? .greedy : .sample(seed: seed ?? 0)
            let sampler = Sampler(processors: chain, choice: choice)
            if !json {
                let seedNote = strategy == .sample ? "   (seed \(seed ?? 0))" : ""
                // Unbuffered writes throughout, so the header, the prompt and each new piece appear in order.
                FileHandle.standardOutput.write(Data("\(strategy.rawValue), processors: \(chain)\(seedNote)\n".utf8))
                FileHandle.standardOutput.write(Data(text(promptIds).utf8))
            }
            // Streaming: decode the whole text so far and print what was added. Pieces can merge across tokens,
            // and a character split over byte tokens decodes to U+FFFD until its last byte arrives: hold those back.
            var shown = promptIds
            var printed = text(promptIds)
            func flush(final: Bool) {
                var now = text(shown)
                if !final { while now.hasSuffix("\u{FFFD}") { now.removeLast() } }
                guard now.hasPrefix(printed) else { return }
                FileHandle.standardOutput.write(Data(String(now.dropFirst(printed.count)).utf8))
                printed = now
            }
            let new = try sampler.generate(lm, prompt: promptIds, maxNewTokens: maxNewTokens, endTokens: ends) { event in
                guard !json else { return }
                shown.append(event.token)
                flush(final: false)
            }
            if !json { flush(final: true) }
            if json {
                print(try Self.encode(GreedyJSON(ids: new, text: text(new))))
            } else {
                FileHandle.standardOutput.write(Data("\n".utf8))
            }
        case .beam:
            let result = try BeamSearch.run(lm, prompt: promptIds, settings: beamSettings(endTokens: ends))
            if json {
                print(try Self.encode(BeamJSON(sequences: result.sequences.map { .init(ids: $0.ids, score: $0.score) },
                                               tree: result.tree)))
            } else {
                let s = beamSettings(endTokens: ends)
                print("beam search: \(s.beams) beams, length penalty \(s.lengthPenalty), early stopping "
                      + "\(s.earlyStopping.rawValue), \(result.tree.nodes.count - 1) candidates ranked")
                for (i, h) in result.sequences.enumerated() {
                    print(String(format: "%d. score %.4f  ", i + 1, h.score) + "\(h.ids)  " + text(promptIds + h.ids))
                }
                print(Self.renderTree(result.tree, piece: { ProbCommand.visiblePiece(vocabulary.piece($0)) }))
            }
        }
    }

    /// The search step by step: every ranked candidate with its parent node, log-probs, score and fate.
    static func renderTree(_ tree: BeamTree, piece: (Int) -> String) -> String {
        var lines = ["node  parent  step  token (piece)            log P     Σ log P   score     status"]
        for n in tree.nodes.dropFirst() {
            let tokenText = "\(n.token!) (\(piece(n.token!)))"
            let padded = tokenText + String(repeating: " ", count: max(1, 25 - DisplayWidth.of(tokenText)))   // CJK = 2 cells
            lines.append(String(format: "%-6d%-8d%-6d", n.id, n.parent ?? 0, n.step) + padded
                + String(format: "%-10.3f%-10.3f%-10.4f", n.stepLogProb, n.cumulativeLogProb, n.score)
                + n.status.rawValue)
        }
        return lines.joined(separator: "\n")
    }

    struct GreedyJSON: Encodable { let ids: [Int]; let text: String }
    struct BeamJSON: Encodable {
        struct Sequence: Encodable { let ids: [Int]; let score: Float }
        let sequences: [Sequence]
        let tree: BeamTree
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    struct GenerateError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
