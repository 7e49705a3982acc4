// Exercise top_k (lesson 3): top-k filtering.
//
// Keep the k most likely tokens of `probs` (non-negative, summing to 1): every token whose probability is at least
// the k-th largest stays — a token tied with the k-th stays too — and k larger than the vocabulary keeps all. Set
// the others to 0 and renormalise the kept ones so they sum to 1.
//
// Check your work with:   lmlab exercise check top_k
// Stuck?                  lmlab exercise hint top_k
// Leave this running:     lmlab exercise watch top_k
import Foundation

func topK(_ probs: [Double], k: Int) -> [Double] {
    // TODO: find the k-th largest probability, keep what reaches it, renormalise.
    return probs
}
