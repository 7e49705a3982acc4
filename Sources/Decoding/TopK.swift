// TopK — keep the k highest-scoring tokens, remove the rest (transformers' TopKLogitsWarper).
// Fan, Lewis & Dauphin (2018), "Hierarchical Neural Story Generation", https://arxiv.org/abs/1805.04833.
//
// Ties: every token whose score equals the k-th highest is kept too, so more than k tokens can survive
// (transformers compares `scores < topk(scores, k)[-1]`).

import LabCore

public struct TopK: LogitsProcessor {
    public let k: Int

    /// - Throws: `DecodingError` when k < 1.
    public init(_ k: Int) throws {
        guard k >= 1 else {
            throw DecodingError(Learner.text("top-k \(k): must be ≥ 1 (k = 1 is greedy)", "top-k \(k)：必须 ≥ 1（k = 1 就是贪心）。"))
        }
        self.k = k
    }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. k ← min(k, V).
        let k = min(self.k, scores.count)
        // 2. The threshold is the k-th highest score (counting equal scores separately).
        let threshold = scores.sorted(by: >)[k - 1]
        // 3. Remove every token strictly below it: ties with the k-th score stay.
        for i in scores.indices where scores[i] < threshold { scores[i] = -.infinity }
    }

    public var description: String { "top-k \(k)" }
}
