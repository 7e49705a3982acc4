// ImplicitReward — the reward DPO trains without ever writing it down (lesson 9, `lmlab dpo-reward`).
//
// Direct Preference Optimization (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290) shows that the policy π
// it learns from a reference π_ref defines a reward implicitly:
//
//     r(x, y) = β · (log π(y | x) − log π_ref(y | x))          (up to a term that depends on x only)
//
// and that preferences follow Bradley–Terry: P(y₁ ≻ y₂ | x) = σ(r(x, y₁) − r(x, y₂)). Both are computed for real,
// from the two models' log-probabilities of each answer (ContinuationScore).

import Foundation

/// The implicit rewards of candidate answers and the preferences they imply (JSON keys as `dpo-reward --json`).
public struct ImplicitReward: Codable, Sendable, Equatable {
    public struct Row: Codable, Sendable, Equatable {
        public let answer: String
        public let tokens: Int
        public let policyLogProb: Double
        public let referenceLogProb: Double
        /// β · (log π − log π_ref)
        public let reward: Double
    }

    public let beta: Double
    public let rows: [Row]
    /// P(answer i ≻ answer j) = σ(r_i − r_j), for every ordered pair.
    public let preferences: [[Double]]

    /// - Precondition: one policy and one reference score per answer, of the same ids.
    public init(answers: [String], policy: [ContinuationScore], reference: [ContinuationScore], beta: Double) {
        precondition(answers.count == policy.count && policy.count == reference.count,
                     "ImplicitReward: one policy and one reference score per answer")
        self.beta = beta
        let rows = zip(answers, zip(policy, reference)).map { a, s in
            Row(answer: a, tokens: s.0.ids.count, policyLogProb: s.0.logProb, referenceLogProb: s.1.logProb,
                reward: beta * (s.0.logProb - s.1.logProb))
        }
        self.rows = rows
        preferences = rows.map { ri in rows.map { rj in 1 / (1 + Foundation.exp(-(ri.reward - rj.reward))) } }
    }
}
