// A reference solution of gqa_heads. The lab's own: NeuralLMs'
// multiHeadAttentionSteps (Sources/NeuralLMs/AttentionSteps.swift).
// gqa_heads 的参考答案。实验室自己的实现：NeuralLMs 的
// multiHeadAttentionSteps（Sources/NeuralLMs/AttentionSteps.swift）。
import Foundation

func keyValueHeads(queryHeads heads: Int, keyValueHeads: Int) -> [Int] {
    // query heads per K/V head
    // 每个 K/V 头对应几个查询头
    let group = heads / keyValueHeads
    return (0..<heads).map { $0 / group }
}
