// KneserNey — interpolated Kneser–Ney smoothing of n-gram counts, as nltk.lm computes it (nltk 3.9,
// `nltk/lm/smoothing.py`); Kneser & Ney, "Improved backing-off for m-gram language modeling" (ICASSP 1995);
// Chen & Goodman (1998). h is the context (the last n−1 tokens), V the vocabulary size; the other rules (MLE,
// add-k) are in NGramSmoothing.swift, the counts it reads in NGramCounts.swift.
//
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

extension NGramCounts {
    /// P_KN(word | h) with discount d, recursing to the shorter context h⁻ (`NGramSmoothing.kneserNey`).
    func kneserNey(_ word: Int, _ h: ArraySlice<Int>, discount d: Double) -> Double {
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
