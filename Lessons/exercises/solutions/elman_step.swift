// A reference solution of elman_step. The lab's own: NeuralLMs' elmanCell
// (Sources/NeuralLMs/RecurrentCells.swift).
// elman_step 的参考答案。实验室自己的实现：NeuralLMs 的 elmanCell
// （Sources/NeuralLMs/RecurrentCells.swift）。
import Foundation

func elmanStep(x: [Double], h: [Double], wIH: [[Double]], wHH: [[Double]], bIH: [Double], bHH: [Double]) -> [Double] {
    func matvec(_ w: [[Double]], _ v: [Double]) -> [Double] { w.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }
    let a = matvec(wIH, x), b = matvec(wHH, h)
    return h.indices.map { r in tanh(a[r] + bIH[r] + b[r] + bHH[r]) }
}
