// Exercise dpo_loss (lesson 9): DPO's implicit reward and loss.
//
// DPO scores an answer y by how much more likely the policy π makes it than the reference π_ref:
//   r(y) = β · (log π(y|x) − log π_ref(y|x))
// and trains on a preferred (chosen) and a dispreferred (rejected) answer with
//   loss = −log σ(r_chosen − r_rejected),   σ(z) = 1 / (1 + e^(−z)).
// The log-probabilities can be −900: the loss must stay finite.
//
// Check your work with:   lmlab exercise check dpo_loss
// Stuck?                  lmlab exercise hint dpo_loss
// Leave this running:     lmlab exercise watch dpo_loss
import Foundation

func dpo(policyChosen: Double, referenceChosen: Double, policyRejected: Double, referenceRejected: Double,
         beta: Double) -> (rewardChosen: Double, rewardRejected: Double, loss: Double) {
    // TODO: the two implicit rewards, then the loss of their margin.
    return (0, 0, 0)
}
