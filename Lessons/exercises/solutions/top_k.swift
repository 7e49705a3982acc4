// A reference solution of top_k. The lab's own: Decoding's TopK
// (Sources/Decoding/TopK.swift).
import Foundation

func topK(_ probs: [Double], k: Int) -> [Double] {
    let threshold = probs.sorted(by: >)[min(k, probs.count) - 1]    // the k-th largest
    let kept = probs.map { $0 >= threshold ? $0 : 0 }              // ties with the k-th stay
    let mass = kept.reduce(0, +)
    return kept.map { $0 / mass }
}
