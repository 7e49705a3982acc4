// Generation — `generate` once the model and the prompt are chosen: greedy decoding or seeded sampling streamed
// through GenerationStream, or beam search with its summary and its tree; and the --json values of generate, sample
// and beam (a contract scripts read: keys may be added, never renamed or removed; docs/DECODING.md).
import Decoding
import Foundation
import LabCore
import Tokenizers

public enum GenerationStrategy: String, CaseIterable, Sendable { case greedy, beam, sample }

/// `generate --json` (greedy, sample) and `sample --json`: {"ids": [new ids], "text": "…"}.
public struct GeneratedJSON: Encodable {
    public let ids: [Int]
    public let text: String
}

/// `generate --strategy beam --json` and `beam --tree --format json`:
/// {"sequences": [{"ids", "score"}], "tree": {"nodes": […]}}.
public struct BeamJSON: Encodable {
    public struct Sequence: Encodable {
        public let ids: [Int]
        public let score: Float
    }
    public let sequences: [Sequence]
    public let tree: BeamTree

    public init(_ result: BeamSearchResult) {
        sequences = result.sequences.map { Sequence(ids: $0.ids, score: $0.score) }
        tree = result.tree
    }
}

public enum Generation {
    /// What `run` chooses tokens with.
    public struct Settings {
        public var strategy: GenerationStrategy
        /// Greedy and sampling: at most this many new tokens (beam: `beam.maxNewTokens`).
        public var maxNewTokens: Int
        /// Sampling: the processors and the seed of the draw.
        public var processors: ProcessorChain
        public var seed: UInt64
        /// Beam search (its end tokens are set by `run`); needed for `.beam` only.
        public var beam: BeamSearchSettings?
        /// The prompt is a chat turn: the answer ends at the template's end-of-turn token.
        public var chat: Bool

        public init(strategy: GenerationStrategy, maxNewTokens: Int, processors: ProcessorChain, seed: UInt64,
                    beam: BeamSearchSettings? = nil, chat: Bool = false) {
            (self.strategy, self.maxNewTokens, self.processors, self.seed) = (strategy, maxNewTokens, processors, seed)
            (self.beam, self.chat) = (beam, chat)
        }
    }

    /// Decodes with `lm` (the local engine, a server through RemoteLanguageModel, or a word-level model whose ids
    /// `spell` writes): greedy and sampling stream each piece to `emit` as it is chosen (nil `emit`: nothing shown).
    /// - Returns: the --json value and, for beam search, the summary (settings and sequences) and the tree to print.
    public static func run<M: LanguageModel>(_ lm: M, tokenizer: ErnieTokenizer?, promptIds: [Int],
                                             settings s: Settings, spell: (([Int]) -> String)? = nil,
                                             emit: ((StreamedOutput) -> Void)?)
        throws -> (json: any Encodable, beam: (summary: String, tree: OutputBeamTree)?) {
        let vocabulary = lm.vocabulary
        // In a chat the assistant's turn ends with the template's end-of-turn token (<|end_of_sentence|> for ERNIE).
        let ends: Set<Int>? = s.chat ? lm.endTokens.union([tokenizer?.sepId].compactMap { $0 }) : nil
        func text(_ ids: [Int]) -> String {
            spell?(ids) ?? LoadedModel.text(ids, tokenizer: tokenizer, vocabulary: vocabulary)
        }
        guard s.strategy == .beam, var beam = s.beam else {
            precondition(s.strategy != .beam, "Generation.run: beam search needs Settings.beam")
            let choice: TokenChoice = s.strategy == .greedy ? .greedy : .sample(seed: s.seed)
            let json = try stream(lm, sampler: Sampler(processors: s.processors, choice: choice), promptIds: promptIds,
                                  maxNewTokens: s.maxNewTokens, endTokens: ends, text: text, emit: emit)
            return (json, nil)
        }
        beam.endTokens = ends
        let result = try BeamSearch.run(lm, prompt: promptIds, settings: beam)
        let tree = OutputBeamTree.from(result.tree, root: text(promptIds),
                                       piece: { VisibleText.escapingControls(vocabulary.piece($0)) })
        let summary = BeamReport.summary(result, settings: beam, prompt: promptIds, text: text)
        return (BeamJSON(result), (summary, tree))
    }

    /// Greedy decoding or sampling with `sampler`, streamed to `emit` as it is chosen (GenerationStream).
    /// - Returns: the new ids and their text, `--json`'s value.
    public static func stream<M: LanguageModel>(_ lm: M, sampler: Sampler, promptIds: [Int], maxNewTokens: Int,
                                                endTokens: Set<Int>?, text: ([Int]) -> String,
                                                emit: ((StreamedOutput) -> Void)?) throws -> GeneratedJSON {
        let new = try GenerationStream.run(lm, sampler: sampler, promptIds: promptIds, maxNewTokens: maxNewTokens,
                                           endTokens: endTokens, text: text, emit: emit)
        return GeneratedJSON(ids: new, text: text(new))
    }
}

/// `lmlab beam --tree --format`: the tree as Unicode lines, Graphviz DOT or JSON.
public enum BeamTreeFormat: String, CaseIterable, Sendable { case text, dot, json }

/// What `lmlab beam` prints: lines for stdout, then the tree to lay out at the output's width, and a line for stderr.
public struct BeamPrintout {
    public var lines: [String] = []
    public var tree: Output?
    public var stderr: String?
}

extension BeamReport {
    /// Runs the search on `chosen` and hands `show` what `lmlab beam` prints: the ranked sequences, and with `tree`
    /// the tree in `format` (text by default). Over a server, what is approximate goes above the text, or to stderr
    /// beside DOT and JSON. Ctrl-C between two steps shows the beams the search has, ranked under a line saying after
    /// which step it stopped (no tree: it would be the search's, not a result), then throws `CancellationRequested`;
    /// beside DOT and JSON those lines go to stderr and stdout stays empty.
    public static func printout(of chosen: ChosenModel, settings: BeamSearchSettings, tree: Bool,
                                format: BeamTreeFormat?, show: (BeamPrintout) -> Void) throws {
        Cancellation.installInterruptHandler()   // on the command line too: Ctrl-C ends the search, not the process
        let result = try BeamSearch.run(chosen.model, prompt: chosen.prompt, settings: settings, keepingWhatItHas: true)
        let notice = chosen.api.map { RemoteNotice.line(.beam, $0) }
        var out = BeamPrintout()
        if let steps = result.cancelledAfter {
            let lines = [notice, cancelled(after: steps, of: settings.maxNewTokens)].compactMap { $0 }
                + ranked(result, prompt: chosen.prompt, showIds: false, text: chosen.text)
            if !tree || (format ?? .text) == .text { out.lines = lines }
            else { out.stderr = lines.joined(separator: "\n") }
            show(out)
            throw CancellationRequested()
        }
        let drawn = OutputBeamTree.from(result.tree, root: chosen.text(chosen.prompt), piece: chosen.piece)
        switch (tree, format ?? .text) {
        case (true, .json):
            out.stderr = notice
            out.lines = [try jsonString(BeamJSON(result), compact: true)]
        case (true, .dot):
            out.stderr = notice
            out.lines = [drawn.dot]
        default:
            let sequences = ranked(result, prompt: chosen.prompt, showIds: false, text: chosen.text)
            out.lines = (notice.map { [$0] } ?? []) + sequences
            out.tree = tree ? .beamTree(drawn) : nil
        }
        show(out)
    }
}
