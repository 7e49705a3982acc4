// A reference solution of dpo_loss. The lab's own: Decoding's
// ImplicitReward (Sources/Decoding/ImplicitReward.swift), used by
// `lmlab dpo-reward`.
// dpo_loss 的参考答案。实验室自己的实现：Decoding 的 ImplicitReward
// （Sources/Decoding/ImplicitReward.swift），`lmlab dpo-reward` 所用。
import Foundation

func dpo(policyChosen: Double, referenceChosen: Double, policyRejected: Double, referenceRejected: Double,
         beta: Double) -> (rewardChosen: Double, rewardRejected: Double, loss: Double) {
    let rw = beta * (policyChosen - referenceChosen)
    let rl = beta * (policyRejected - referenceRejected)
    let margin = rw - rl
    // −log σ(m) = log(1 + e^(−m)); for m < 0 take e^m out so nothing
    // overflows
    // −log σ(m) = log(1 + e^(−m))；m < 0 时先提出 e^m，免得溢出
    let loss = margin > 0 ? log1p(exp(-margin)) : -margin + log1p(exp(margin))
    return (rw, rl, loss)
}
