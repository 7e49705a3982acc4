// SentenceScore — P(sentence) by the chain rule, token by token: the ledger of lesson 1 (and of lesson 4's n-grams).
//
//   log P(t₂ … t_T | t₁) = Σ_{i≥2} log P(t_i | t₁ … t_{i−1}),     perplexity = exp(−(1/n) Σ log P)
// The first token is context only: nothing before it predicts it. To score the first real token too, put a
// start token in front (ERNIE: <s> = 1, the lm-evaluation-harness convention, shared/ERNIE45.md §8); without it
// the first token is listed with no probability. One prefill (`scoreAll`) gives every row at once.
// A counting model (ClassicLMs' n-gram) fills the same ledger with what it looked at and the counts behind each
// number; an unseen n-gram under MLE is a factor 0, log P = −∞, which wipes out the whole product.

import Foundation
import LabCore

/// The per-token ledger of one token sequence under one model — the one scored-sentence type of the lab.
public struct SentenceScore: Equatable, Sendable {
    /// c(h w) and N(h): the raw counts behind a counting model's number (what MLE would divide).
    public struct Counts: Equatable, Sendable {
        public let word: Int
        public let context: Int
        public init(word: Int, context: Int) { self.word = word; self.context = context }
    }

    /// One token of the sequence.
    public struct Entry: Equatable, Sendable {
        /// 0-based position in the sequence scored.
        public let position: Int
        public let id: Int
        public let piece: String
        /// log P(this token | the tokens before it), natural log; nil for a token nothing predicts (the first,
        /// pure context); −∞ when the model gives the token probability 0.
        public let logProb: Double?
        /// Σ of `logProb` up to and including this token (−∞ once a factor was 0).
        public let runningLogProb: Double
        /// The tokens the model looked at, when it looks at a few only (an n-gram's history, padded with <s>).
        public let context: [String]?
        /// The counts behind the number, for a counting model.
        public let counts: Counts?

        public init(position: Int, id: Int, piece: String, logProb: Double?, runningLogProb: Double,
                    context: [String]? = nil, counts: Counts? = nil) {
            (self.position, self.id, self.piece, self.logProb, self.runningLogProb) = (position, id, piece, logProb, runningLogProb)
            (self.context, self.counts) = (context, counts)
        }

        /// P(this token | the tokens before it); nil when unscored.
        public var probability: Double? { logProb.map { Foundation.exp($0) } }
    }

    public let model: String
    public let entries: [Entry]

    public init(model: String, entries: [Entry]) { self.model = model; self.entries = entries }

    /// Builds the ledger from each token's log-probability (nil: unscored), summing the running total.
    public init(model: String, tokens: [(id: Int, piece: String, logProb: Double?, context: [String]?, counts: Counts?)]) {
        var running = 0.0
        self.init(model: model, entries: tokens.enumerated().map { i, t in
            running += t.logProb ?? 0
            return Entry(position: i, id: t.id, piece: t.piece, logProb: t.logProb, runningLogProb: running,
                         context: t.context, counts: t.counts)
        })
    }

    /// Σ log P over the scored tokens (natural log; −∞ when a factor is 0).
    public var totalLogProb: Double { entries.compactMap(\.logProb).reduce(0, +) }
    /// Tokens with a probability (all but an unscored first one).
    public var scoredCount: Int { entries.filter { $0.logProb != nil }.count }
    /// P of the scored tokens given the unscored ones.
    public var probability: Double { exp(totalLogProb) }
    /// exp(−mean log P): the number of equally likely choices the model was, on average, hesitating between
    /// (+∞ when a factor is 0, NaN when nothing was scored).
    public var perplexity: Double { scoredCount == 0 ? .nan : exp(-totalLogProb / Double(scoredCount)) }

    /// Scores `ids` with one pass of `model` (a fresh state). Row i of `scoreAll` predicts ids[i+1].
    ///
    /// - Throws: whatever the model throws (e.g. an id outside its vocabulary).
    public static func score<M: LanguageModel>(_ ids: [Int], with model: M,
                                               pieces: (Int) -> String) throws -> SentenceScore {
        var state = try model.makeState()
        let rows = ids.isEmpty ? [] : try model.scoreAll(ids, from: &state)
        return SentenceScore(model: model.name, tokens: ids.enumerated().map { i, id in
            (id, pieces(id), i == 0 ? nil : Double(rows[i - 1][id]), nil, nil)
        })
    }
}
