// A reference solution of chain_rule. The lab's own: ClassicLMs'
// SentenceLedger (Sources/ClassicLMs/SentenceLedger.swift), what
// `lmlab ngram prob` prints.
import Foundation

func sentenceScore(_ probabilities: [Double]) -> (logProbability: Double, perplexity: Double) {
    let logP = probabilities.reduce(0) { $0 + log($1) }           // chain rule: Σ log p_i
    return (logP, exp(-logP / Double(probabilities.count)))
}
