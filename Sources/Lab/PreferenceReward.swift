// PreferenceReward — DPO's implicit reward and the Bradley–Terry preference it implies (Rafailov et al. 2023,
// https://arxiv.org/abs/2305.18290), lesson 9. `lmlab dpo-reward` computes them from two models' log-probabilities;
// the `dpo_loss` exercise is checked against these functions.
//
//   r(x, y)        = β · (log π(y | x) − log π_ref(y | x))
//   P(y_w ≻ y_l)   = σ(r(x, y_w) − r(x, y_l))
//   L_DPO          = −log σ(r(x, y_w) − r(x, y_l)) = log(1 + e^(−Δ))     (Δ = the reward margin)
import Foundation

public enum PreferenceReward {
    /// r = β · (log π(y|x) − log π_ref(y|x)).
    public static func reward(beta: Double, policyLogProb: Double, referenceLogProb: Double) -> Double {
        beta * (policyLogProb - referenceLogProb)
    }

    /// P(y₁ ≻ y₂) = σ(r₁ − r₂).
    public static func preference(_ r1: Double, over r2: Double) -> Double { 1 / (1 + exp(-(r1 - r2))) }

    /// −log σ(r_w − r_l), written as log(1 + e^(−Δ)) so that a large margin of either sign neither under- nor overflows.
    public static func loss(chosen rw: Double, rejected rl: Double) -> Double {
        let margin = rw - rl
        return margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
    }
}
