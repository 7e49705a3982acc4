// A reference solution of softmax. The lab's own: LabCore's softmax
// (Sources/LabCore/Kernels/Softmax.swift).
import Foundation

func softmax(_ logits: [Double]) -> [Double] {
    let m = logits.max() ?? 0                      // shifting every logit by m changes nothing…
    let e = logits.map { exp($0 - m) }             // …but keeps every exp ≤ 1
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}
