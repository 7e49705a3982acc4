// A reference solution of chain_rule. The lab's own: Decoding's
// SentenceScore (Sources/Decoding/SentenceScore.swift), the ledger that
// `lmlab ngram prob` prints.
// chain_rule 的参考答案。实验室自己的实现：Decoding 的 SentenceScore
// （Sources/Decoding/SentenceScore.swift），即 `lmlab ngram prob` 打印的
// 账本。
import Foundation

func sentenceScore(_ probabilities: [Double]) -> (logProbability: Double, perplexity: Double) {
    // chain rule: Σ log p_i
    // 链式法则：Σ log p_i
    let logP = probabilities.reduce(0) { $0 + log($1) }
    return (logP, exp(-logP / Double(probabilities.count)))
}
