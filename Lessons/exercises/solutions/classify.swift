// A reference solution of classify. The lab's own: `lmlab classify`
// (Sources/LabCLI/ClassifyCommand.swift), which takes LabCore's softmax
// over the totals.
import Foundation

func labelShares(_ labels: [[Double]]) -> [Double] {
    let totals = labels.map { $0.reduce(0, +) }        // log P(label | prompt), by the chain rule
    let m = totals.max() ?? 0
    let e = totals.map { exp($0 - m) }
    let sum = e.reduce(0, +)
    return e.map { $0 / sum }
}
