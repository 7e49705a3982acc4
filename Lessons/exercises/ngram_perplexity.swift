// Exercise ngram_perplexity (lesson 4): held-out perplexity of an n-gram model.
//
// `sentences[s][i]` is the probability the model gave token i of held-out sentence s (</s> included). Return the
// perplexity of the whole held-out text: exp(−(1/N) Σ ln p) over ALL N tokens of all sentences together.
// One zero probability makes it ∞.
//
// Check your work with:   lmlab exercise check ngram_perplexity
// Stuck?                  lmlab exercise hint ngram_perplexity
// Leave this running:     lmlab exercise watch ngram_perplexity
import Foundation

func perplexity(_ sentences: [[Double]]) -> Double {
    // TODO: this averages the perplexities of the sentences — not what `ngram perplexity` reports. Pool the tokens.
    let each = sentences.map { s in exp(-s.reduce(0) { $0 + log($1) } / Double(s.count)) }
    return each.reduce(0, +) / Double(each.count)
}
