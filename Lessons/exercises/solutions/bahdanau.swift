// A reference solution of bahdanau. The lab's own: NeuralLMs'
// BahdanauAttention (Sources/NeuralLMs/BahdanauAttention.swift).
// bahdanau 的参考答案。实验室自己的实现：NeuralLMs 的
// BahdanauAttention（Sources/NeuralLMs/BahdanauAttention.swift）。
import Foundation

func bahdanau(query: [Double], annotations: [[Double]], w: [[Double]], b: [Double], u: [[Double]], v: [Double])
    -> (weights: [Double], context: [Double]) {
    func matvec(_ m: [[Double]], _ x: [Double]) -> [Double] { m.map { row in zip(row, x).reduce(0) { $0 + $1.0 * $1.1 } } }
    // W s + b, the same for every j
    // W s + b，对每个 j 都相同
    let ws = zip(matvec(w, query), b).map { $0 + $1 }
    let e = annotations.map { h in zip(v, zip(ws, matvec(u, h)).map { tanh($0 + $1) }).reduce(0) { $0 + $1.0 * $1.1 } }
    let m = e.max() ?? 0
    let ex = e.map { exp($0 - m) }
    let weights = ex.map { $0 / ex.reduce(0, +) }
    let context = annotations[0].indices.map { c in zip(weights, annotations).reduce(0) { $0 + $1.0 * $1.1[c] } }
    return (weights, context)
}
