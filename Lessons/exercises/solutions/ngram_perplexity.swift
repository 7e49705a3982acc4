// A reference solution of ngram_perplexity. The lab's own: ClassicLMs'
// NGramModel.perplexity (Sources/ClassicLMs/Perplexity.swift).
// ngram_perplexity 的参考答案。实验室自己的实现：ClassicLMs 的
// NGramModel.perplexity（Sources/ClassicLMs/Perplexity.swift）。
import Foundation

func perplexity(_ sentences: [[Double]]) -> Double {
    var sum = 0.0, n = 0
    for s in sentences {
        // every token of every sentence counts once
        // 每个句子的每个词元都只计一次
        for p in s { sum += log(p); n += 1 }
    }
    return exp(-sum / Double(n))
}
