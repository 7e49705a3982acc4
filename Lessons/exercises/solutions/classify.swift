// A reference solution of classify. The lab's own: `lmlab classify`
// (Sources/LabCLI/ClassifyCommand.swift), which takes LabCore's softmax
// over the totals.
// classify 的参考答案。实验室自己的实现：`lmlab classify`
// （Sources/LabCLI/ClassifyCommand.swift），它对各标签的总和取 LabCore
// 的 softmax。
import Foundation

func labelShares(_ labels: [[Double]]) -> [Double] {
    // log P(label | prompt), by the chain rule
    // 按链式法则得到的 log P(标签 | 提示词)
    let totals = labels.map { $0.reduce(0, +) }
    let m = totals.max() ?? 0
    let e = totals.map { exp($0 - m) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
}
