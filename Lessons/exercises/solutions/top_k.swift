// A reference solution of top_k. The lab's own: Decoding's TopK
// (Sources/Decoding/TopK.swift).
// top_k 的参考答案。实验室自己的实现：Decoding 的 TopK
// （Sources/Decoding/TopK.swift）。
import Foundation

func topK(_ probs: [Double], k: Int) -> [Double] {
    // the k-th largest; the tokens tied with it stay
    // 第 k 大的概率；与它并列的词元也留下
    let threshold = probs.sorted(by: >)[min(k, probs.count) - 1]
    let kept = probs.map { $0 >= threshold ? $0 : 0 }
    let mass = kept.reduce(0, +)
    return kept.map { $0 / mass }
}
