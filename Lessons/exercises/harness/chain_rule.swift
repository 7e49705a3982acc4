// The harness `lmlab exercise check chain_rule` compiles with your file and harness/wire.swift.
labServe { t in
    let r = sentenceScore(t.numbers(0))
    return [r.logProbability, r.perplexity]
}
