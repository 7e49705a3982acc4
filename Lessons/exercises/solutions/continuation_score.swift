// A reference solution of continuation_score. The lab's own: Decoding's
// SentenceScore (Sources/Decoding/SentenceScore.swift), the ledger that
// `lmlab prob` prints.
// continuation_score 的参考答案。实验室自己的实现：Decoding 的
// SentenceScore（Sources/Decoding/SentenceScore.swift），即 `lmlab prob`
// 打印的账本。
import Foundation

func continuationLogProb(ids: [Int], logProbs: [[Double]]) -> Double {
    var total = 0.0
    for i in 1..<max(ids.count, 1) {
        // row i − 1 was computed after ids[i − 1]: it predicts ids[i]
        // 第 i − 1 行是读完 ids[i − 1] 之后算的：它预测 ids[i]
        total += logProbs[i - 1][ids[i]]
    }
    return total
}
