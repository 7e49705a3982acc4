// A reference solution of causal_attention. The lab's own: NeuralLMs'
// attentionSteps (Sources/NeuralLMs/AttentionSteps.swift).
// causal_attention 的参考答案。实验室自己的实现：NeuralLMs 的
// attentionSteps（Sources/NeuralLMs/AttentionSteps.swift）。
import Foundation

func causalAttention(q: [[Double]], k: [[Double]], v: [[Double]]) -> [[Double]] {
    let scale = 1 / Double(q[0].count).squareRoot()
    return q.indices.map { t in
        // j > t is masked out: only 0...t is scored
        // j > t 被掩码挡住：只给 0...t 打分
        let scores = (0...t).map { j in zip(q[t], k[j]).reduce(0) { $0 + $1.0 * $1.1 } * scale }
        let m = scores.max()!
        let e = scores.map { exp($0 - m) }
        let sum = e.reduce(0, +)
        return v[0].indices.map { c in (0...t).reduce(0) { $0 + e[$1] / sum * v[$1][c] } }
    }
}
