// A reference solution of dpo_loss. The lab's own: Decoding's
// ImplicitReward (Sources/Decoding/ImplicitReward.swift), used by
// `lmlab dpo-reward`.
import Foundation

func dpo(policyChosen: Double, referenceChosen: Double, policyRejected: Double, referenceRejected: Double,
         beta: Double) -> (rewardChosen: Double, rewardRejected: Double, loss: Double) {
    let rw = beta * (policyChosen - referenceChosen)
    let rl = beta * (policyRejected - referenceRejected)
    let margin = rw - rl
    // −log σ(m) = log(1 + e^(−m)); for m < 0 take e^m out so nothing overflows
    let loss = margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
    return (rw, rl, loss)
}
