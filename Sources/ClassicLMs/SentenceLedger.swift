// SentenceLedger — P(sentence) as a product of next-token probabilities, one row per token.
//
//   log P(w₁ … w_T </s>) = Σ_t log P(w_t | h_t),   h_t = the n−1 tokens before w_t (padded with <s>)
// The ledger shows every factor so the learner sees where a sentence loses its probability: an unseen trigram
// under MLE is a 0 that wipes out the whole product; smoothing turns it into a small number.
import Foundation

/// One factor of P(sentence).
public struct LedgerRow: Sendable, Equatable, Codable {
    /// The n−1 tokens the model looked at.
    public var context: [String]
    public var token: String
    public var probability: Double
    /// ln P (−∞ when P = 0).
    public var logProbability: Double
    /// c(h w) and N(h): the raw counts behind the number (what MLE would divide).
    public var count: Int
    public var contextCount: Int

    enum CodingKeys: String, CodingKey { case context, token, probability, logProbability, count, contextCount }
    /// JSON has no −∞: a zero probability is written with `"logProbability": null`.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(context, forKey: .context)
        try c.encode(token, forKey: .token)
        try c.encode(probability, forKey: .probability)
        try c.encodeIfPresent(logProbability.isFinite ? logProbability : nil, forKey: .logProbability)
        try c.encode(count, forKey: .count)
        try c.encode(contextCount, forKey: .contextCount)
    }
    public init(context: [String], token: String, probability: Double, logProbability: Double, count: Int,
                contextCount: Int) {
        (self.context, self.token, self.probability, self.logProbability) = (context, token, probability, logProbability)
        (self.count, self.contextCount) = (count, contextCount)
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        context = try c.decode([String].self, forKey: .context)
        token = try c.decode(String.self, forKey: .token)
        probability = try c.decode(Double.self, forKey: .probability)
        logProbability = try c.decodeIfPresent(Double.self, forKey: .logProbability) ?? -.infinity
        count = try c.decode(Int.self, forKey: .count)
        contextCount = try c.decode(Int.self, forKey: .contextCount)
    }
}

/// The per-token ledger of one sentence, with its total.
public struct SentenceLedger: Sendable, Codable {
    public var rows: [LedgerRow]
    /// Σ ln P over the rows (−∞ when one factor is 0).
    public var logProbability: Double { rows.reduce(0) { $0 + $1.logProbability } }
    public var probability: Double { exp(logProbability) }
    /// exp(−(1/T) Σ ln P): the sentence's own perplexity (T rows, </s> included).
    public var perplexity: Double { rows.isEmpty ? .nan : exp(-logProbability / Double(rows.count)) }

    enum CodingKeys: String, CodingKey { case rows, logProbability, perplexity }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(rows, forKey: .rows)
        // null when a factor is 0 (JSON has no ∞).
        try c.encodeIfPresent(logProbability.isFinite ? logProbability : nil, forKey: .logProbability)
        try c.encodeIfPresent(perplexity.isFinite ? perplexity : nil, forKey: .perplexity)
    }
    public init(rows: [LedgerRow]) { self.rows = rows }
    public init(from decoder: Decoder) throws {
        rows = try decoder.container(keyedBy: CodingKeys.self).decode([LedgerRow].self, forKey: .rows)
    }
}

extension NGramModel {
    /// The ledger of `sentence` (token ids, no padding): each token, then `</s>` × the training end padding.
    public func ledger(_ sentence: [Int]) -> SentenceLedger {
        var history: [Int] = []
        var rows: [LedgerRow] = []
        let targets = sentence + Array(repeating: tokens.endId, count: counts.padding.endCount)
        for w in targets {
            let h = paddedContext(history)
            let p = probability(of: w, after: h)
            let hh = h.suffix(order - 1)
            let c = counts.index(of: hh)
            let total = c.map { counts.levels[hh.count].contextTotal[$0] } ?? 0
            let cw = c.map { counts.followCount(context: $0, order: hh.count + 1, word: w) } ?? 0
            rows.append(LedgerRow(context: h.map(tokens.piece), token: tokens.piece(w), probability: p,
                                  logProbability: p > 0 ? log(p) : -.infinity, count: cw, contextCount: total))
            history.append(w)
        }
        return SentenceLedger(rows: rows)
    }
}
