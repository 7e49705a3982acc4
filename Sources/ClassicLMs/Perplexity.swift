// Perplexity — how surprised the model is by text it did not see, per token.
//
//   PPL = exp(−(1/N) Σ_{t=1…N} ln P(w_t | h_t))     over every token of every held-out sentence, </s> included
// A perplexity of 40 means the model is, on average, as unsure as a fair choice among 40 tokens. One zero
// probability (an unseen n-gram under MLE, an unseen token under Kneser–Ney's bare unigram level) makes it ∞:
// the report counts those tokens so the lesson can show why smoothing exists.
import Foundation

/// Held-out perplexity and what went into it.
public struct PerplexityReport: Sendable, Codable, Equatable {
    public var order: Int
    public var smoothing: String
    /// Predicted tokens (N), sentences, and tokens that got probability 0.
    public var tokens: Int
    public var sentences: Int
    public var zeroProbabilityTokens: Int
    /// −(1/N) Σ ln P, in nats per token (∞ when some P = 0); nil in JSON when infinite.
    public var crossEntropy: Double?
    /// exp(cross-entropy); nil when infinite.
    public var perplexity: Double?
    /// Perplexity over the tokens with P > 0 only (what is left when the zeros are set aside).
    public var perplexityOverNonZero: Double?
}

extension NGramModel {
    /// Perplexity of `sentences` (token ids, no padding).
    public func perplexity(_ sentences: [[Int]]) -> PerplexityReport {
        var sum = 0.0, n = 0, zeros = 0
        for s in sentences {
            var history: [Int] = []
            for w in s + Array(repeating: tokens.endId, count: counts.padding.endCount) {
                let p = probability(of: w, after: history)
                n += 1
                if p > 0 { sum += log(p) } else { zeros += 1 }
                history.append(w)
                if history.count > order { history.removeFirst() }
            }
        }
        let ce = zeros > 0 ? nil : -sum / Double(max(n, 1))
        let nonZero = n - zeros > 0 ? exp(-sum / Double(n - zeros)) : nil
        return PerplexityReport(order: order, smoothing: smoothing.description, tokens: n, sentences: sentences.count,
                                zeroProbabilityTokens: zeros, crossEntropy: ce, perplexity: ce.map { exp($0) },
                                perplexityOverNonZero: nonZero)
    }
}
