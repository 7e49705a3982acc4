// A reference solution of negative_sampling. The lab's own: ClassicLMs'
// negativeSamplingStepNaive (Sources/ClassicLMs/Word2VecKernels.swift).
// negative_sampling 的参考答案。实验室自己的实现：ClassicLMs 的
// negativeSamplingStepNaive（Sources/ClassicLMs/Word2VecKernels.swift）。
import Foundation

func negativeSamplingStep(h: [Double], outputs: [[Double]], samples: [Int], alpha: Double)
    -> (loss: Double, outputs: [[Double]], error: [Double]) {
    func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    var u = outputs
    let scores = samples.map { s in zip(u[s], h).reduce(0) { $0 + $1.0 * $1.1 } }
    var loss = 0.0
    var g: [Double] = []
    for (j, s) in scores.enumerated() {
        let label = j == 0 ? 1.0 : 0.0
        loss -= log(j == 0 ? sigmoid(s) : sigmoid(-s))
        g.append(alpha * (label - sigmoid(s)))
    }
    var error = [Double](repeating: 0, count: h.count)
    for (j, s) in samples.enumerated() {
        // u_s before its own update
        // 用 u_s 自己更新之前的值
        for i in h.indices { error[i] += g[j] * u[s][i] }
        for i in h.indices { u[s][i] += g[j] * h[i] }
    }
    return (loss, u, error)
}
