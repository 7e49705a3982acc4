// A reference solution of bigram_counter. The lab's own counter is
// NGramCounts (Sources/ClassicLMs/NGramCounts.swift), which counts every
// order at once over integer ids.
// bigram_counter 的参考答案。实验室自己的计数器是 NGramCounts
// （Sources/ClassicLMs/NGramCounts.swift），它在整数编号上一次数出各阶。

func countBigrams(_ sentences: [[String]]) -> [String: [String: Int]] {
    var counts: [String: [String: Int]] = [:]
    for sentence in sentences {
        let padded = ["<s>"] + sentence + ["</s>"]
        for (a, b) in zip(padded, padded.dropFirst()) {
            counts[a, default: [:]][b, default: 0] += 1
        }
    }
    return counts
}
