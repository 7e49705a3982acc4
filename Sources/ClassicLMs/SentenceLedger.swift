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
        try c.encode(logProbability.isFinite ? logProbability : -Double.greatestFiniteMagnitude, forKey: .logProbability)
        try c.encode(perplexity.isFinite ? perplexity : Double.greatestFiniteMagnitude, forKey: .perplexity)
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
