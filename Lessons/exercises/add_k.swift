// Exercise add_k (lesson 4): add-k smoothing.
//
// `counts[w]` = c(h w): how often word w followed the context h in the corpus, for every word of the vocabulary
// (counts.count = V, with <unk>, <s> and </s>). Return P(w | h) for every w under add-k (Lidstone) smoothing:
// every word counts as if seen k more times. k = 1 is Laplace.
//
// Check your work with:   lmlab exercise check add_k
// Stuck?                  lmlab exercise hint add_k
// Leave this running:     lmlab exercise watch add_k
import Foundation

func addK(counts: [Double], k: Double) -> [Double] {
    // TODO: this is maximum likelihood: an unseen word gets 0 (and an unseen context nan). Smooth it.
    let total = counts.reduce(0, +)
    return counts.map { $0 / total }
}
