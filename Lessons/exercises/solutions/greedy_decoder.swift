// A reference solution of greedy_decoder. The lab's own greedy decoder is
// Sampler with `.greedy` (Sources/Decoding/Sampler.swift), which also keeps
// a KV cache instead of re-reading the whole context.

func greedyDecode(prompt: [Int], maxNewTokens: Int, endToken: Int,
                  nextLogProbs: ([Int]) -> [Float]) -> [Int] {
    var generated: [Int] = []
    while generated.count < maxNewTokens {
        let scores = nextLogProbs(prompt + generated)
        // argmax; on a tie the lowest id wins, as in the lab's decoder.
        var best = 0
        for t in scores.indices where scores[t] > scores[best] { best = t }
        generated.append(best)
        if best == endToken { break }
    }
    return generated
}
