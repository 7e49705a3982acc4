// A reference solution of ngram_perplexity. The lab's own: ClassicLMs'
// NGramModel.perplexity (Sources/ClassicLMs/Perplexity.swift).
import Foundation

func perplexity(_ sentences: [[Double]]) -> Double {
    var sum = 0.0, n = 0
    for s in sentences {
        for p in s { sum += log(p); n += 1 }                // every token of every sentence counts once
    }
    return exp(-sum / Double(n))
}
