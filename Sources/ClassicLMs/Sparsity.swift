// Sparsity — why longer n-grams stop helping: most long n-grams of new text were never seen in training.
//
// For each k = 1…n, every held-out token w_t is looked at with its k−1 predecessors (padded with <s>, as a k-gram
// model would see it). We count how often
//   • the k-gram (h w_t) never occurred in training (an MLE k-gram model would give it 0), and
//   • even the context h never occurred (the model has nothing at this order and must back off entirely).
// The shares grow quickly with k: this is the curse of dimensionality that motivates smoothing, backoff and,
// later, neural language models (Bengio et al. 2003, https://www.jmlr.org/papers/v3/bengio03a.html).

/// Share of held-out k-grams never seen in training, for one k.
public struct SparsityRow: Sendable, Codable, Equatable {
    public var order: Int
    /// Held-out k-gram windows (one per predicted token) and how many were never seen in training.
    public var windows: Int
    public var unseenWindows: Int
    /// Distinct held-out k-grams and how many of those were never seen.
    public var types: Int
    public var unseenTypes: Int
    /// Windows whose (k−1)-token context was never seen either.
    public var unseenContexts: Int
    /// Distinct k-grams in the training counts.
    public var trainingTypes: Int

    public var unseenWindowShare: Double { windows == 0 ? 0 : Double(unseenWindows) / Double(windows) }
    public var unseenTypeShare: Double { types == 0 ? 0 : Double(unseenTypes) / Double(types) }
    public var unseenContextShare: Double { windows == 0 ? 0 : Double(unseenContexts) / Double(windows) }
}

extension NGramCounts {
    /// The sparsity table of `sentences` (token ids, no padding) against these counts, for k = 1…order.
    public func sparsity(of sentences: [[Int]]) -> [SparsityRow] {
        (1...order).map { k in
            var windows = 0, unseen = 0, unseenContexts = 0
            var seenTypes: Set<[Int]> = [], unseenTypes: Set<[Int]> = []
            for s in sentences {
                let padded = Array(repeating: beginId, count: k - 1) + s + Array(repeating: endId, count: padding.endCount)
                for t in (k - 1)..<padded.count {
                    let gram = Array(padded[(t - k + 1)...t])
                    windows += 1
                    if count(gram) == 0 {
                        unseen += 1
                        unseenTypes.insert(gram)
                        let h = gram.dropLast()
                        if let c = index(of: h), levels[h.count].contextTotal[c] > 0 {} else { unseenContexts += 1 }
                    } else {
                        seenTypes.insert(gram)
                    }
                }
            }
            // Training k-grams as a k-gram model has them: these counts pad with order − 1 <s>, so they also hold
            // the k-gram of <s> alone, which a k-gram model (k − 1 <s>) never sees.
            let onlyPadding = k > 1 && count(Array(repeating: beginId, count: k)) > 0 ? 1 : 0
            return SparsityRow(order: k, windows: windows, unseenWindows: unseen,
                               types: seenTypes.count + unseenTypes.count, unseenTypes: unseenTypes.count,
                               unseenContexts: unseenContexts, trainingTypes: typeCount(order: k) - onlyPadding)
        }
    }
}
