// SentenceScore — P(sentence) by the chain rule, token by token: the ledger of lesson 1.
//
//   log P(t₂ … t_T | t₁) = Σ_{i≥2} log P(t_i | t₁ … t_{i−1}),     perplexity = exp(−(1/n) Σ log P)
// The first token is context only: nothing before it predicts it. To score the first real token too, put a
// start token in front (ERNIE: <s> = 1, the lm-evaluation-harness convention, shared/ERNIE45.md §8); without it
// the first token is listed with no probability. One prefill (`scoreAll`) gives every row at once.

import Foundation
import LabCore

/// The per-token ledger of one token sequence under one model.
public struct SentenceScore: Equatable, Sendable {
    /// One token of the sequence.
    public struct Entry: Equatable, Sendable {
        /// 0-based position in the sequence fed to the model.
        public let position: Int
        public let id: Int
        public let piece: String
        /// log P(this token | the tokens before it), natural log; nil for the first token (pure context).
        public let logProb: Float?
        /// Σ of `logProb` up to and including this token.
        public let runningLogProb: Double
    }

    public let model: String
    public let entries: [Entry]

    /// Σ log P over the scored tokens (natural log).
    public var totalLogProb: Double { entries.compactMap(\.logProb).reduce(0) { $0 + Double($1) } }
    /// Tokens with a probability (all but the first).
    public var scoredCount: Int { entries.filter { $0.logProb != nil }.count }
    /// P of the scored tokens given the first one.
    public var probability: Double { exp(totalLogProb) }
    /// exp(−mean log P): the number of equally likely choices the model was, on average, hesitating between.
    public var perplexity: Double { scoredCount == 0 ? .nan : exp(-totalLogProb / Double(scoredCount)) }

    /// Scores `ids` with one pass of `model` (a fresh state). Row i of `scoreAll` predicts ids[i+1].
    ///
    /// - Throws: whatever the model throws (e.g. an id outside its vocabulary).
    public static func score<M: LanguageModel>(_ ids: [Int], with model: M,
                                               pieces: (Int) -> String) throws -> SentenceScore {
        var state = try model.makeState()
        let rows = ids.isEmpty ? [] : try model.scoreAll(ids, from: &state)
        var running = 0.0
        var entries: [Entry] = []
        for (i, id) in ids.enumerated() {
            let lp: Float? = i == 0 ? nil : rows[i - 1][id]
            running += Double(lp ?? 0)
            entries.append(Entry(position: i, id: id, piece: pieces(id), logProb: lp, runningLogProb: running))
        }
        return SentenceScore(model: model.name, entries: entries)
    }
}
