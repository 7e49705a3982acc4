// RepetitionPenalty — make tokens already in the sequence less likely (transformers'
// RepetitionPenaltyLogitsProcessor). Keskar et al. (2019), "CTRL: A Conditional Transformer Language Model for
// Controllable Generation", https://arxiv.org/abs/1909.05858, §4.1.
//
//   z_i ← z_i / θ   if z_i > 0 (or = 0)      for every id i that occurs in the history
//   z_i ← z_i · θ   if z_i < 0
//
// θ > 1 discourages repeats, θ < 1 encourages them. Each id counts once however often it occurs.
// The rule depends on where zero is, so it is not invariant to the log_softmax shift. A LanguageModel gives
// log-probabilities, all ≤ 0, so every repeated token is multiplied by θ: a repeat at log P = −0.2 only drops to
// −0.3 with θ = 1.5. transformers' beam search does the same (processors after log_softmax); its greedy search and
// sampling apply the penalty to raw logits, a stronger effect we cannot reproduce without the logits.

import LabCore
public struct RepetitionPenalty: LogitsProcessor {
    /// θ > 0.
    public let penalty: Float

    /// - Throws: `DecodingError` when θ is not a positive finite number.
    public init(_ penalty: Float) throws {
        guard penalty > 0, penalty.isFinite else {
            throw DecodingError(Learner.text("repetition penalty \(penalty): must be > 0 (1 is no penalty)",
                                             "重复惩罚 \(penalty)：必须 > 0（1 表示不惩罚）。"))
        }
        self.penalty = penalty
    }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. Each distinct id of the history, once.
        for id in Set(history) where scores.indices.contains(id) {
            // 2. Negative scores move down by ×θ, the others by ÷θ.
            let z = scores[id]
            scores[id] = z < 0 ? z * penalty : z / penalty
        }
    }

    public var description: String { "repetition penalty \(penalty)" }
    public var learnerDescription: String { Learner.text(description, "重复惩罚 \(penalty)") }
}
