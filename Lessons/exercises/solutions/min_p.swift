// A reference solution of min_p. The lab's own: Decoding's MinP
// (Sources/Decoding/MinP.swift).
// min_p 的参考答案。实验室自己的实现：Decoding 的 MinP
// （Sources/Decoding/MinP.swift）。
import Foundation

func minP(_ probs: [Double], minP: Double) -> [Double] {
    let threshold = minP * (probs.max() ?? 0)
    let kept = probs.map { $0 >= threshold ? $0 : 0 }
    let mass = kept.reduce(0, +)
    return kept.map { $0 / mass }
}
