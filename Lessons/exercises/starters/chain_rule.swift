// Exercise chain_rule (lesson 1): the chain rule: log P and perplexity from a ledger.
//
// `probabilities` is one sentence's ledger: P(token_i | the tokens before it), one entry per token (</s> included).
// Return log P(sentence) — natural log — and the perplexity, exp(−log P / N) with N the number of tokens.
// A token with probability 0 makes log P = −∞ and the perplexity ∞.
//
// Check your work with:   lmlab exercise check chain_rule
// Stuck?                  lmlab exercise hint chain_rule
// Leave this running:     lmlab exercise watch chain_rule
import Foundation

func sentenceScore(_ probabilities: [Double]) -> (logProbability: Double, perplexity: Double) {
    // TODO: add up the logs of the probabilities; the perplexity is e to the minus average.
    return (0, 1)
}
