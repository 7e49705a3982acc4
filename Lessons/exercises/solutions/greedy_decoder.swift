// A reference solution of greedy_decoder. The lab's own greedy decoder is
// Sampler with `.greedy` (Sources/Decoding/Sampler.swift), which also keeps
// a KV cache instead of re-reading the whole context.
// greedy_decoder 的参考答案。实验室自己的贪心解码器是带 `.greedy` 的
// Sampler（Sources/Decoding/Sampler.swift），它还保留一个 KV 缓存，不必每步
// 重读整个上文。

func greedyDecode(prompt: [Int], maxNewTokens: Int, endToken: Int,
                  nextLogProbs: ([Int]) -> [Float]) -> [Int] {
    var generated: [Int] = []
    while generated.count < maxNewTokens {
        let scores = nextLogProbs(prompt + generated)
        // argmax; on a tie the lowest id wins, as in the lab's decoder.
        // argmax；平局时编号最小的胜出，与实验室的解码器相同。
        var best = 0
        for t in scores.indices where scores[t] > scores[best] { best = t }
        generated.append(best)
        if best == endToken { break }
    }
    return generated
}
