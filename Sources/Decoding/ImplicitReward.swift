// ImplicitReward — the reward DPO trains without ever writing it down (lesson 9, `lmlab dpo-reward`).
//
// Direct Preference Optimization (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290) shows that the policy π
// it learns from a reference π_ref defines a reward implicitly:
//
//     r(x, y) = β · (log π(y | x) − log π_ref(y | x))          (up to a term that depends on x only)
//
// and that preferences follow Bradley–Terry: P(y₁ ≻ y₂ | x) = σ(r(x, y₁) − r(x, y₂)). Both are computed for real,
// from the two models' log-probabilities of each answer (ContinuationScore). DPO's loss on a pair is
// L = −log σ(r_w − r_l) = log(1 + e^(−Δ)) (Δ the reward margin); the `dpo_loss` exercise is checked against these.

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
                reward: Self.reward(beta: beta, policyLogProb: s.0.logProb, referenceLogProb: s.1.logProb))
        }
        self.rows = rows
        preferences = rows.map { ri in rows.map { rj in Self.preference(ri.reward, over: rj.reward) } }
    }

    /// r = β · (log π(y|x) − log π_ref(y|x)).
    public static func reward(beta: Double, policyLogProb: Double, referenceLogProb: Double) -> Double {
        beta * (policyLogProb - referenceLogProb)
    }

    /// P(y₁ ≻ y₂) = σ(r₁ − r₂).
    public static func preference(_ r1: Double, over r2: Double) -> Double { 1 / (1 + Foundation.exp(-(r1 - r2))) }

    /// −log σ(r_w − r_l), written as log(1 + e^(−Δ)) so that a large margin of either sign neither under- nor overflows.
    public static func loss(chosen rw: Double, rejected rl: Double) -> Double {
        let margin = rw - rl
        return margin > 0 ? log1p(Foundation.exp(-margin)) : -margin + log1p(Foundation.exp(margin))
    }
}
