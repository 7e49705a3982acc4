// A reference solution of add_k. The lab's own: ClassicLMs'
// NGramCounts.probability(of:after:smoothing:)
// (Sources/ClassicLMs/NGramSmoothing.swift).
// add_k 的参考答案。实验室自己的实现：ClassicLMs 的
// NGramCounts.probability(of:after:smoothing:)
// （Sources/ClassicLMs/NGramSmoothing.swift）。
import Foundation

func addK(counts: [Double], k: Double) -> [Double] {
    let total = counts.reduce(0, +)                       // N(h)
    let v = Double(counts.count)                          // V
    return counts.map { ($0 + k) / (total + k * v) }
}
