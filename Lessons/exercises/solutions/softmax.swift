// A reference solution of softmax. The lab's own: LabCore's softmax
// (Sources/LabCore/Kernels/Softmax.swift).
// softmax 的参考答案。实验室自己的实现：LabCore 的 softmax
// （Sources/LabCore/Kernels/Softmax.swift）。
import Foundation

func softmax(_ logits: [Double]) -> [Double] {
    // shifting every logit by m changes nothing, but keeps every exp ≤ 1
    // 把每个 logit 都减去 m 不改变结果，却让每个 exp 都 ≤ 1
    let m = logits.max() ?? 0
    let e = logits.map { exp($0 - m) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}
