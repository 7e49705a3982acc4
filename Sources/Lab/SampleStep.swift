// SampleStep — `lmlab sample --show-dist`: one next-token step seen through the sampling processors — the model's
// distribution (raw), the one a token is drawn from (processed), the entropy of each, how many tokens survive, the
// top tokens and one seeded draw. Its fields are the command's --json keys.
import Decoding
import ERNIE
import Foundation
import LabCore

public struct SampleStep: Encodable, Sendable {
    public struct Row: Encodable, Sendable { public let id: Int; public let piece: String; public let raw: Float; public let processed: Float }
    /// The processors the step went through; --json writes their English `description` as "processors".
    public let chain: ProcessorChain
    public var processors: String { chain.description }
    public let seed: UInt64
    public let entropy_raw: Double
    public let entropy_processed: Double
    public let kept: Int
    public let top: [Row]
    public let drawn: Int
    public let drawn_piece: String
    public let drawn_raw: Float
    public let drawn_processed: Float

    /// With --api: N, and the server's probability outside its top N (not drawn, not in `top`).
    public var top_only: Int? = nil
    public var other_raw: Double? = nil
    /// Tokens no processor removed whose p is 0 in Float all the same, so they are not `kept` (not a --json key;
    /// see `drawable`).
    public var underflow = 0

    /// The keys as `sample --show-dist --json` has always written them: the chain as "processors".
    private enum CodingKeys: String, CodingKey {
        case chain = "processors", seed, entropy_raw, entropy_processed, kept, top, drawn, drawn_piece, drawn_raw
        case drawn_processed, top_only, other_raw
    }

    /// One step of `model` after `prompt`: both distributions, the `top` most likely tokens, and the seeded draw
    /// (the draw `generate` makes first); also the vocabulary size. With `remoteTop` (a server's top-N model, --api)
    /// the raw column is the server's own P of its top N and `other_raw` the rest; the processed one is renormalised
    /// over the N.
    public static func run<M: LanguageModel>(_ model: M, prompt: [Int], processors chain: ProcessorChain, seed: UInt64,
                                             top: Int, remoteTop: Int? = nil) throws -> (json: SampleStep, vocabularySize: Int) {
        var state = try model.makeState()
        let logProbs = try model.append(prompt, to: &state)                      // [V] log P(next | prompt)
        var rng = SeededRNG(seed: seed)                                           // the draw `generate` makes first
        let (drawn, dist) = Sampler(processors: chain, choice: .sample(seed: seed))
            .choose(logProbs, history: prompt, rng: &rng)
        let order = dist.raw.withUnsafeBufferPointer {
            LabCore.topK($0.baseAddress!, count: $0.count, k: min($0.count, top))
        }
        let vocabulary = model.vocabulary
        let piece = { (id: Int) in VisibleText.escapingControls(vocabulary.piece(id)) }
        let isRemote = remoteTop != nil
        let raw = { (id: Int) -> Float in isRemote ? Foundation.exp(logProbs[id]) : dist.raw[id] }
        let shown = isRemote ? order.filter { logProbs[$0].isFinite } : order
        let counts = drawable(dist)
        var step = SampleStep(chain: chain, seed: seed,
                              entropy_raw: entropy(dist.raw), entropy_processed: entropy(dist.processed),
                              kept: counts.count,                           // p > 0, as it always was
                              top: shown.map { Row(id: $0, piece: piece($0), raw: raw($0), processed: dist.processed[$0]) },
                              drawn: drawn, drawn_piece: piece(drawn),
                              drawn_raw: raw(drawn), drawn_processed: dist.processed[drawn])
        step.underflow = counts.underflow
        if let remoteTop {
            step.top_only = remoteTop
            step.other_raw = RemoteNotice.otherMass(logProbs)
        }
        return (step, dist.raw.count)
    }

    /// The settings and both entropies, the bars, and the token drawn, in the learner's language.
    public func output(vocabularySize: Int) -> Output {
        let s = self
        func f<T: BinaryFloatingPoint>(_ x: T, _ digits: Int) -> String { String(format: "%.\(digits)f", Double(x)) }
        let processors = s.chain.learnerDescription
        let header = Learner.text(
            "next token · processors: \(processors) · seed \(s.seed)\n"
                + "entropy \(f(s.entropy_raw, 3)) nats raw → \(f(s.entropy_processed, 3)) processed · ",
            "下一个词元 · logits 处理器：\(processors) · 种子 \(s.seed)\n"
                + "熵：原始 \(f(s.entropy_raw, 3)) 奈特 → 处理后 \(f(s.entropy_processed, 3)) · ")
            + Self.drawableText((s.kept, s.underflow), vocabulary: vocabularySize)
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
        return .group(OutputGroup(notice + [.text(header), Self.bars(rows, drawn: s.drawn_piece), .text(drawn)]))
    }

    /// How many tokens can be drawn (p > 0), and how many more no processor removed — top-k, top-p and min-p set a
    /// score to −∞, temperature only divides it — but whose p is 0 all the same: Float's exp(score − max)
    /// underflows ~104 below the top, which a low temperature reaches (at T 0.1 tiny-ernie has 1345 of 3072 tokens
    /// with p > 0, and temperature seemed to cut the rest).
    public static func drawable(_ d: NextTokenDistribution) -> (count: Int, underflow: Int) {
        var count = 0, underflow = 0
        for (score, p) in zip(d.processedScores, d.processed) where score > -.infinity {
            if p > 0 { count += 1 } else { underflow += 1 }
        }
        return (count, underflow)
    }

    /// "K of V tokens can be drawn", and that no processor removed the `underflow` others — one sentence for
    /// `sample --show-dist` and the sampling explorer.
    public static func drawableText(_ d: (count: Int, underflow: Int), vocabulary: Int) -> String {
        Learner.text("\(d.count) of \(vocabulary) tokens can be drawn", "\(vocabulary) 个词元中有 \(d.count) 个可被抽到")
            + (d.underflow == 0 ? "" : Learner.text(
                "; no processor removed the other \(d.underflow): their p is too small for Float and rounds to 0",
                "；其余 \(d.underflow) 个并没有被处理器去掉，只是 p 太小，Float 存不下，舍入成了 0"))
    }

    /// The top tokens as raw-vs-processed probability bars (▶ marks the drawn token).
    public static func bars(_ rows: [(piece: String, raw: Float, processed: Float)], drawn: String? = nil) -> Output {
        .bars(ProbabilityBars(rows: rows.map {
            BarRow(token: $0.piece, raw: Double($0.raw), processed: Double($0.processed), chosen: $0.piece == drawn)
        }))
    }
}
