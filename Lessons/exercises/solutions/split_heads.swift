// A reference solution of split_heads. The lab's own: NeuralLMs' columns
// and multiHeadAttentionSteps (Sources/NeuralLMs/AttentionSteps.swift).
// split_heads 的参考答案。实验室自己的实现：NeuralLMs 的 columns 和
// multiHeadAttentionSteps（Sources/NeuralLMs/AttentionSteps.swift）。
import Foundation

func splitHeads(_ x: [[Double]], heads: Int) -> [[[Double]]] {
    let dh = (x.first?.count ?? 0) / heads
    return (0..<heads).map { h in x.map { Array($0[(h * dh)..<((h + 1) * dh)]) } }
}

func mergeHeads(_ perHead: [[[Double]]]) -> [[Double]] {
    (0..<(perHead.first?.count ?? 0)).map { t in perHead.flatMap { $0[t] } }
}
