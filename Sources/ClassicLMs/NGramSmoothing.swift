// NGramSmoothing — turning counts into P(w | h): maximum likelihood, add-k, interpolated Kneser–Ney.
//
// Each formula below is the one nltk.lm implements (nltk 3.9, `nltk/lm/models.py`, `nltk/lm/smoothing.py`), so the
// lesson can check our numbers against nltk on the same counts (Tests/ClassicLMsTests, scripts/make_ngram_fixtures.py).
// h is the context (the last n−1 tokens), V the vocabulary size (with <unk>, <s>, </s>).
//
//   MLE          P(w | h) = c(h w) / N(h)                        (0 when h was never followed by anything)
//   add-k        P(w | h) = (c(h w) + k) / (N(h) + k·V)          Laplace k = 1, Lidstone 0 < k < 1
//   Kneser–Ney   P(w | h) = max(c′(h w) − d, 0) / c′(h) + γ(h) · P(w | h⁻)     h⁻ = h without its first token
//                γ(h)     = d · T(h) / c′(h)
//                c′ is the raw count c at the highest order and the continuation count N₁₊(• h w) below it,
//                c′(h) the matching total (N(h), or C(h) = Σ_w N₁₊(• h w));
//                at the bottom  P(w) = N₁₊(• w) / N₁₊(• •)   — no discount, no uniform floor.
// nltk's KN quirks kept on purpose: a context never seen (N(h) = 0) skips straight to the shorter context
// (α = 0, γ = 1); the unigram level is the bare continuation distribution, so a token that never followed anything
// (<unk> when the training text had no unknown words) gets probability 0. Where nltk would divide by zero (a context
// followed by tokens but never itself preceded by anything, C(h) = 0 — impossible with n−1 start pads) we skip to the
// shorter context as for an unseen one. At n = 1 nltk fails (no bigrams); we use absolute discounting with a
// uniform floor there (see `kneserNey`).

/// How counts become probabilities.
public enum NGramSmoothing: Sendable, Equatable, CustomStringConvertible {
    /// Maximum likelihood: relative frequency, no smoothing.
    case mle
    /// Add-k (Lidstone); k = 1 is Laplace.
    case addK(Double)
    /// Interpolated Kneser–Ney with absolute discount d (nltk's default d = 0.1).
    case kneserNey(discount: Double)

    public static let laplace = NGramSmoothing.addK(1)

    public var description: String {
        switch self {
        case .mle: return "MLE"
        case .addK(let k): return k == 1 ? "Laplace (add-1)" : "Lidstone (add-\(k))"
        case .kneserNey(let d): return "interpolated Kneser–Ney (d = \(d))"
        }
    }
}

extension NGramCounts {
    /// P(word | context) under `smoothing`. `context` is cut to its last n−1 tokens; a shorter context is used as is
    /// (nltk scores exactly the context it is given).
    public func probability(of word: Int, after context: [Int], smoothing: NGramSmoothing) -> Double {
        let h = context.suffix(order - 1)
        switch smoothing {
        case .mle:
            guard let c = index(of: h) else { return 0 }
            let level = levels[h.count]
            let total = level.contextTotal[c]
            guard total > 0 else { return 0 }
            return Double(followCount(context: c, order: h.count + 1, word: word)) / Double(total)
        case .addK(let k):
            let V = Double(vocabularySize)
            guard let c = index(of: h) else { return k / (k * V) }
            let total = levels[h.count].contextTotal[c]
            return (Double(followCount(context: c, order: h.count + 1, word: word)) + k) / (Double(total) + k * V)
        case .kneserNey(let d):
            return kneserNey(word, h, discount: d)
        }
    }

    /// c(h w) where h is the context with index `c` at order k − 1.
    @inline(__always) func followCount(context c: Int, order k: Int, word: Int) -> Int {
        guard let g = gramIndex(context: c, order: k, word: word) else { return 0 }
        return levels[k - 1].count[g]
    }

    /// Index of the k-gram (h w) given h's index at order k − 1.
    @inline(__always) func gramIndex(context c: Int, order k: Int, word: Int) -> Int? {
        guard word >= 0 && word < vocabularySize else { return nil }
        if k == 1 { return word }
        return levels[k - 1].table.find(UInt64(c) &* UInt64(vocabularySize) &+ UInt64(word))
    }

    private func kneserNey(_ word: Int, _ h: ArraySlice<Int>, discount d: Double) -> Double {
        if h.isEmpty {
            guard order >= 2 else {
                // n = 1 has no bigrams to take continuation counts from (nltk divides by zero here). Ours, a
                // deliberate choice: absolute discounting interpolated with the uniform distribution,
                // P(w) = max(c(w) − d, 0) / N + d · T / N · 1/V, which sums to 1 and gives <unk> a little mass.
                let level = levels[0]
                let n = Double(level.contextTotal[0])
                guard n > 0, word >= 0, word < vocabularySize else { return 0 }
                let c = Double(level.count[word])
                return max(c - d, 0) / n + d * Double(level.contextTypes[0]) / n / Double(vocabularySize)
            }
            // P(w) = N₁₊(• w) / N₁₊(• •): in how many distinct contexts w appeared.
            let level = levels[0]
            let total = level.continuationTotal[0]
            guard total > 0, word >= 0, word < vocabularySize else { return 0 }
            return Double(level.continuation[word]) / Double(total)
        }
        let k = h.count + 1
        let lower = h.dropFirst()
        guard let c = index(of: h), levels[k - 1].contextTotal[c] > 0 else {
            return kneserNey(word, lower, discount: d)                    // unseen context: α = 0, γ = 1
        }
        let level = levels[k - 1]
        let g = gramIndex(context: c, order: k, word: word)
        let wordCount: Int, total: Int
        if k == order {
            wordCount = g.map { level.count[$0] } ?? 0                   // c(h w)
            total = level.contextTotal[c]                                 // N(h)
        } else {
            wordCount = g.map { level.continuation[$0] } ?? 0            // N₁₊(• h w)
            total = level.continuationTotal[c]                            // C(h)
        }
        guard total > 0 else { return kneserNey(word, lower, discount: d) }
        let alpha = max(Double(wordCount) - d, 0) / Double(total)
        let gamma = d * Double(level.contextTypes[c]) / Double(total)
        return alpha + gamma * kneserNey(word, lower, discount: d)
    }
}
