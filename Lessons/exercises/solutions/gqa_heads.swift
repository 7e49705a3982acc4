// A reference solution of gqa_heads. The lab's own: NeuralLMs'
// multiHeadAttentionSteps (Sources/NeuralLMs/AttentionSteps.swift).
import Foundation

func keyValueHeads(queryHeads heads: Int, keyValueHeads: Int) -> [Int] {
    let group = heads / keyValueHeads                 // query heads per K/V head
    return (0..<heads).map { $0 / group }
}
