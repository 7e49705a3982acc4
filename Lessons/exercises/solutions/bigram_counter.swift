// A reference solution of bigram_counter. The lab's own counter is
// NGramCounts (Sources/ClassicLMs/NGramCounts.swift), which counts every
// order at once over integer ids.

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
