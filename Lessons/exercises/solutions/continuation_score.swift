// A reference solution of continuation_score. The lab's own: ERNIE's
// SentenceScore (Sources/ERNIE/SentenceScore.swift).
import Foundation

func continuationLogProb(ids: [Int], logProbs: [[Double]]) -> Double {
    var total = 0.0
    for i in 1..<max(ids.count, 1) {
        total += logProbs[i - 1][ids[i]]           // row i − 1 was computed after ids[i − 1]: it predicts ids[i]
    }
    return total
}
