// SampleStep — `lmlab sample --show-dist`: one next-token step seen through the sampling processors — the model's
// distribution (raw), the one a token is drawn from (processed), the entropy of each, how many tokens survive, the
// top tokens and one seeded draw. Its fields are the command's --json keys.
import Decoding
import ERNIE
import Foundation
import LabCore

public struct SampleStep: Encodable, Sendable {
    public struct Row: Encodable, Sendable { public let id: Int; public let piece: String; public let raw: Float; public let processed: Float }
    public let processors: String
    public let seed: UInt64
    public let entropy_raw: Double
    public let entropy_processed: Double
    public let kept: Int
    public let top: [Row]
    public let drawn: Int
    public let drawn_piece: String
    public let drawn_raw: Float
    public let drawn_processed: Float

    /// One step on `ernie` after `prompt`: both distributions, the `top` most likely tokens, and the seeded draw
    /// (the draw `generate` makes first); also the vocabulary size.
    public static func run(_ ernie: ErnieModel, prompt: [Int], processors chain: ProcessorChain, seed: UInt64,
                           top: Int) throws -> (json: SampleStep, vocabularySize: Int) {
        var state = try ernie.makeState()
        let logProbs = try ernie.append(prompt, to: &state)                      // [V] log P(next | prompt)
        var rng = SeededRNG(seed: seed)                                           // the draw `generate` makes first
        let (drawn, dist) = Sampler(processors: chain, choice: .sample(seed: seed))
            .choose(logProbs, history: prompt, rng: &rng)
        let order = dist.raw.withUnsafeBufferPointer {
            LabCore.topK($0.baseAddress!, count: $0.count, k: min($0.count, top))
        }
        let piece = { (id: Int) in VisibleText.escapingControls(ernie.vocabulary.piece(id)) }
        return (SampleStep(processors: chain.description, seed: seed,
                         entropy_raw: entropy(dist.raw), entropy_processed: entropy(dist.processed),
                         kept: dist.processed.filter { $0 > 0 }.count,
                         top: order.map { Row(id: $0, piece: piece($0), raw: dist.raw[$0], processed: dist.processed[$0]) },
                         drawn: drawn, drawn_piece: piece(drawn),
                         drawn_raw: dist.raw[drawn], drawn_processed: dist.processed[drawn]),
                dist.raw.count)
    }

    /// The settings and both entropies, the bars, and the token drawn, in the learner's language.
    public func output(vocabularySize: Int) -> Output {
        let s = self
        func f<T: BinaryFloatingPoint>(_ x: T, _ digits: Int) -> String { String(format: "%.\(digits)f", Double(x)) }
        let header = Learner.text(
            "next token · processors: \(s.processors) · seed \(s.seed)\n"
                + "entropy \(f(s.entropy_raw, 3)) nats raw → \(f(s.entropy_processed, 3)) processed · \(s.kept) of \(vocabularySize) tokens can be drawn",
            "下一个词元 · 处理器：\(s.processors) · 种子 \(s.seed)\n"
                + "熵：原始 \(f(s.entropy_raw, 3)) 奈特 → 处理后 \(f(s.entropy_processed, 3)) · \(vocabularySize) 个词元中有 \(s.kept) 个可被抽到")
        let drawn = Learner.text(
            "drawn: \(s.drawn) \(s.drawn_piece)  (raw P \(f(s.drawn_raw, 4)), processed P \(f(s.drawn_processed, 4)))",
            "抽到：\(s.drawn) \(s.drawn_piece)（原始 P \(f(s.drawn_raw, 4))，处理后 P \(f(s.drawn_processed, 4))）")
        return .group(OutputGroup([.text(header), Self.bars(s.top.map { ($0.piece, $0.raw, $0.processed) }, drawn: s.drawn_piece),
                                   .text(drawn)]))
    }

    /// The top tokens as raw-vs-processed probability bars (▶ marks the drawn token).
    public static func bars(_ rows: [(piece: String, raw: Float, processed: Float)], drawn: String? = nil) -> Output {
        .bars(ProbabilityBars(rows: rows.map {
            BarRow(token: $0.piece, raw: Double($0.raw), processed: Double($0.processed), chosen: $0.piece == drawn)
        }))
    }
}
