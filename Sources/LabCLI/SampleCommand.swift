// `lmlab sample`: sampling with temperature / top-k / top-p / min-p, and with --show-dist the next-token
// distribution before and after the processors, side by side — the text form of the sampling explorer.
import ArgumentParser
import Decoding
import ERNIE
import Foundation
import Lab
import LabCore
import TerminalUI

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Sample a continuation; with --show-dist, show the next-token distribution raw vs processed.",
        discussion: """
        Without --show-dist this is `lmlab generate --strategy sample`. With --show-dist it looks at one step: the \
        model's distribution for the next token (raw), the distribution after the processors (what a token is drawn \
        from), the entropy of each, how many tokens survive, and one seeded draw.

        Examples:
          lmlab sample "Once upon a time" --model tiny-ernie --temperature 0.7 \\
              --top-p 0.9 --seed 1
          lmlab sample "Once upon a time" --model tiny-ernie --show-dist \\
              --temperature 0.5 --top 15
          lmlab sample --ids 1,883,2456 --model path/to/folder --show-dist --top-k 5 \\
              --json
        """)

    @OptionGroup var input: PromptOptions
    @OptionGroup var sampling: SamplingOptions
    @OptionGroup var remote: APIOptions
    @Option(name: .customLong("max-new-tokens"), parsing: .unconditional,
            help: "Without --show-dist: at most this many new tokens (default 32; 1…\(GenerateCommand.maxNewTokensLimit)).")
    var maxNewTokens: Int?
    @Flag(name: .long, help: "Open the sampling explorer full screen: ←/→ temperature, ↑/↓ top-p, k/K top-k, m/M min-p, Enter samples.")
    var explore = false

    @Flag(name: .customLong("show-dist"), help: "Show the next-token distribution raw vs processed instead of generating.")
    var showDist = false
    @Option(name: .long, parsing: .unconditional, help: "With --show-dist: how many of the most likely tokens to list (default 10; 1…1000).")
    var top: Int?
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        if !showDist && !explore && top != nil { throw ValidationError("--top lists tokens of --show-dist or --explore. HINT: add --show-dist.") }
        if explore && (showDist || json || maxNewTokens != nil) {
            throw ValidationError("--explore opens the full-screen explorer; it does not combine with --show-dist, --json or --max-new-tokens.")
        }
        if showDist && maxNewTokens != nil {
            throw ValidationError("--show-dist looks at the next token only. HINT: drop --max-new-tokens, or drop --show-dist to generate.")
        }
        try checkRange("--top", top, 1...1000)
        try checkRange("--max-new-tokens", maxNewTokens, 1...GenerateCommand.maxNewTokensLimit)
    }

    struct Row: Encodable { let id: Int; let piece: String; let raw: Float; let processed: Float }
    struct DistJSON: Encodable {
        let processors: String
        let seed: UInt64
        let entropy_raw: Double
        let entropy_processed: Double
        let kept: Int
        let top: [Row]
        let drawn: Int
        let drawn_piece: String
        let drawn_raw: Float
        let drawn_processed: Float
        /// With --api: N, and the server's probability outside its top N (not drawn, not in `top`).
        var top_only: Int? = nil
        var other_raw: Double? = nil
    }

    /// One step of the explorer: both distributions, the top tokens, and the seeded draw. Over a server (--api) the
    /// raw column is the server's own P of its top N and `other_raw` the rest; the processed one is renormalised over N.
    func step() throws -> (json: DistJSON, vocabularySize: Int) {
        let chosen = try ChosenModel(input, remote)
        let prompt = chosen.prompt
        let chain = try sampling.processors()
        let seed = sampling.seed ?? 0
        let logProbs = try Self.firstRow(chosen.model, prompt)                   // [V] log P(next | prompt)
        var rng = SeededRNG(seed: seed)                                           // the draw `generate` makes first
        let (drawn, dist) = Sampler(processors: chain, choice: .sample(seed: seed))
            .choose(logProbs, history: prompt, rng: &rng)
        let order = dist.raw.withUnsafeBufferPointer {
            LabCore.topK($0.baseAddress!, count: $0.count, k: min($0.count, top ?? 10))
        }
        let vocabulary = chosen.model.vocabulary
        let piece = { (id: Int) in VisibleText.escapingControls(vocabulary.piece(id)) }
        let isRemote = chosen.api != nil
        let raw = { (id: Int) -> Float in isRemote ? Foundation.exp(logProbs[id]) : dist.raw[id] }
        let shown = isRemote ? order.filter { logProbs[$0].isFinite } : order
        var json = DistJSON(processors: chain.description, seed: seed,
                            entropy_raw: entropy(dist.raw), entropy_processed: entropy(dist.processed),
                            kept: dist.processed.filter { $0 > 0 }.count,
                            top: shown.map { Row(id: $0, piece: piece($0), raw: raw($0), processed: dist.processed[$0]) },
                            drawn: drawn, drawn_piece: piece(drawn),
                            drawn_raw: raw(drawn), drawn_processed: dist.processed[drawn])
        if let api = chosen.api {
            json.top_only = api.top
            json.other_raw = RemoteNotice.otherMass(logProbs)
        }
        return (json, dist.raw.count)
    }

    /// log P(next | prompt) [V] of any model (one call).
    static func firstRow<M: LanguageModel>(_ model: M, _ prompt: [Int]) throws -> [Float] {
        var state = try model.makeState()
        return try model.append(prompt, to: &state)
    }

    /// The sampling explorer on this command's model, prompt and processor settings (one model call).
    func explorer() throws -> SamplingExplorer {
        let chosen = try ChosenModel(input, remote)
        let settings = SamplingSettings(temperature: sampling.temperature ?? 1, topK: sampling.topK,
                                        topP: sampling.topP ?? 1, minP: sampling.minP ?? 0)
        return try SamplingExplorer(model: ExplorerModel(chosen.model), context: chosen.prompt, detokenize: chosen.text,
                                    settings: settings, seed: sampling.seed ?? 0, topN: top ?? 10)
    }

    func run() throws {
        if explore { return try ExplorerLauncher.open(SamplingExplorerPage(explorer: try explorer())) }
        guard showDist else {
            // `generate --strategy sample`: the same checks, the same Sampler, the same streaming.
            let maxNewTokens = self.maxNewTokens ?? 32
            let chosen = try ChosenModel(input, remote, maxNewTokens: maxNewTokens)
            if let api = chosen.api, !json { print(RemoteNotice.line(.sample, api)) }
            let sampler = Sampler(processors: try sampling.processors(), choice: .sample(seed: sampling.seed ?? 0))
            return try GenerateCommand.stream(chosen.model, sampler: sampler, promptIds: chosen.prompt,
                                              maxNewTokens: maxNewTokens, endTokens: nil, json: json, text: chosen.text)
        }
        let (s, vocabularySize) = try step()
        if json { print(try GenerateCommand.encode(s)); return }
        OutputPrinter.print(Self.output(s, vocabularySize: vocabularySize))
    }

    /// The settings and both entropies, the bars, and the token drawn, in the learner's language.
    static func output(_ s: DistJSON, vocabularySize: Int) -> Output {
        func f<T: BinaryFloatingPoint>(_ x: T, _ digits: Int) -> String { String(format: "%.\(digits)f", Double(x)) }
        let header = Learner.text(
            "next token · processors: \(s.processors) · seed \(s.seed)\n"
                + "entropy \(f(s.entropy_raw, 3)) nats raw → \(f(s.entropy_processed, 3)) processed · \(s.kept) of \(vocabularySize) tokens can be drawn",
            "下一个词元 · 处理器：\(s.processors) · 种子 \(s.seed)\n"
                + "熵：原始 \(f(s.entropy_raw, 3)) 奈特 → 处理后 \(f(s.entropy_processed, 3)) · \(vocabularySize) 个词元中有 \(s.kept) 个可被抽到")
        let drawn = Learner.text(
            "drawn: \(s.drawn) \(s.drawn_piece)  (raw P \(f(s.drawn_raw, 4)), processed P \(f(s.drawn_processed, 4)))",
            "抽到：\(s.drawn) \(s.drawn_piece)（原始 P \(f(s.drawn_raw, 4))，处理后 P \(f(s.drawn_processed, 4))）")
        var rows: [(piece: String, raw: Float, processed: Float)] = s.top.map { ($0.piece, $0.raw, $0.processed) }
        var notice: [Output] = []
        if let n = s.top_only, let other = s.other_raw {
            // The server's mass outside its top N, as one row: known in sum, never drawn.
            rows.append((Learner.text("(other)", "（其他）"), Float(other), 0))
            notice = [.text(OutputText(Learner.text(
                "over a server: its top \(n) only — raw P are the server's, \(f(other, 4)) is outside them (\"other\"); "
                    + "entropies and the processed P are over the \(n), renormalised",
                "经由服务器：只有它的前 \(n) 个——原始 P 来自服务器，其余 \(f(other, 4)) 合为“其他”；熵和处理后的 P "
                    + "都在这 \(n) 个上重新归一化"), .dim))]
        }
        return .group(OutputGroup(notice + [.text(header), bars(rows, drawn: s.drawn_piece), .text(drawn)]))
    }

    /// Two bar columns per token, raw then processed, scaled to the largest probability shown; widths in cells.
    /// The top tokens as raw-vs-processed probability bars (Lab's Output; ▶ marks the drawn token).
    static func bars(_ rows: [(piece: String, raw: Float, processed: Float)], drawn: String? = nil) -> Output {
        .bars(ProbabilityBars(rows: rows.map {
            BarRow(token: $0.piece, raw: Double($0.raw), processed: Double($0.processed), chosen: $0.piece == drawn)
        }))
    }
}
