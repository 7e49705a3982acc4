// TopP — nucleus sampling: keep the smallest set of most likely tokens whose probability mass reaches p
// (transformers' TopPLogitsWarper). Holtzman et al. (2020), "The Curious Case of Neural Text Degeneration",
// https://arxiv.org/abs/1904.09751.
//
// Ties: when the cut falls inside a run of equal scores, which member of the run is removed depends on the sort.
// transformers uses torch.sort, whose order among equal values is an implementation detail; we sort stably
// (equal scores in increasing id order), which equals transformers' code run with a stable sort.

import LabCore

public struct TopP: LogitsProcessor {
    /// 0 ≤ p ≤ 1; p = 1 keeps everything, p → 0 keeps only the most likely token.
    public let p: Float
    /// At least this many tokens survive (transformers' `min_tokens_to_keep`, 1 in `generate`).
    public let minTokensToKeep: Int

    /// - Throws: `DecodingError` when p is outside [0, 1].
    public init(_ p: Float, minTokensToKeep: Int = 1) throws {
        try DecodingError.checkCut("top-p", p, note: Learner.text(" (1 keeps every token)", "（1 保留所有词元）"), minTokensToKeep: minTokensToKeep)
        self.p = p
        self.minTokensToKeep = minTokensToKeep
    }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. Sort ids by score, ascending (least likely first); equal scores by id.
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] < scores[$1] : $0 < $1 }
        // 2. Probabilities in that order: softmax of the sorted scores.
        let probs = probabilities(order.map { scores[$0] })
        // 3. Running mass from the least likely up: c_j = Σ_{i ≤ j} p_(i) (accumulated in double, stored as float,
        //    as torch.cumsum does on the CPU).
        // 4. Remove token (j) while c_j ≤ 1 − p: the tail whose total mass is at most 1 − p.
        // 5. The last `minTokensToKeep` (the most likely) always stay.
        let limit = Float(1 - Double(p))
        var running = 0.0
        let protected = order.count - minTokensToKeep
        var remove: [Int] = []
        for (j, id) in order.enumerated() {
            running += Double(probs[j])
            if j < protected && Float(running) <= limit { remove.append(id) }
        }
        for id in remove { scores[id] = -.infinity }
    }

    public var description: String { "top-p \(p)" }
}
