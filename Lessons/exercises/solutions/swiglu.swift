// A reference solution of swiglu. The lab's own: LabCore's silu and
// NeuralLMs' project, as in ERNIE's swiGLU
// (Sources/ERNIE/DecoderLayer.swift).
// swiglu 的参考答案。实验室自己的实现：LabCore 的 silu 和 NeuralLMs 的
// project，与 ERNIE 的 swiGLU（Sources/ERNIE/DecoderLayer.swift）相同。
import Foundation

func swiglu(_ x: [Double], wGate: [[Double]], wUp: [[Double]], wDown: [[Double]]) -> [Double] {
    func matvec(_ w: [[Double]], _ v: [Double]) -> [Double] { w.map { row in zip(row, v).reduce(0) { $0 + $1.0 * $1.1 } } }
    let gate = matvec(wGate, x).map { $0 / (1 + exp(-$0)) }     // silu
    let hidden = zip(gate, matvec(wUp, x)).map { $0 * $1 }
    return matvec(wDown, hidden)
}
