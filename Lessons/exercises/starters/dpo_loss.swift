// Exercise dpo_loss (lesson 9): DPO's implicit reward and loss.
// 练习 dpo_loss（第 9 课）：DPO 的隐式奖励与损失。
//
// DPO scores an answer y by how much more likely the policy π makes it than
// the reference π_ref:
//   r(y) = β · (log π(y|x) − log π_ref(y|x))
// and trains on a preferred (chosen) and a dispreferred (rejected) answer
// with
//   loss = −log σ(r_chosen − r_rejected),   σ(z) = 1 / (1 + e^(−z)).
// The log-probabilities can be −900: the loss must stay finite.
//
// DPO 给回答 y 打的分，是策略 π 比参考模型 π_ref 更看好它多少：
//   r(y) = β · (log π(y|x) − log π_ref(y|x))
// 再用一个被偏好的（chosen）和一个不被偏好的（rejected）回答来训练，损失为
//   loss = −log σ(r_chosen − r_rejected)，  σ(z) = 1 / (1 + e^(−z))。
// 对数概率可能是 −900：损失必须保持有限。
//
// Check your work with / 检查：    lmlab exercise check dpo_loss
// Stuck? / 卡住了：                lmlab exercise hint dpo_loss
// Leave this running / 边改边查：  lmlab exercise watch dpo_loss
import Foundation

func dpo(policyChosen: Double, referenceChosen: Double, policyRejected: Double, referenceRejected: Double,
         beta: Double) -> (rewardChosen: Double, rewardRejected: Double, loss: Double) {
    // TODO: the two implicit rewards, then the loss of their margin.
    // 待办：先算两个隐式奖励，再算它们之差（间隔）的损失。
    return (0, 0, 0)
}
