// Exercise min_p (lesson 3): min-p filtering.
// 练习 min_p（第 3 课）：min-p 过滤。
//
// Min-p keeps the tokens whose probability is at least minP × the largest
// probability (0 < minP ≤ 1), so the cut moves with the model's confidence.
// Set the others to 0 and renormalise the kept ones so they sum to 1.
//
// min-p 保留概率至少为 minP × 最大概率（0 < minP ≤ 1）的词元，所以截断线随
// 模型的把握而移动。其余设为 0，再把保留的重新归一化，使它们的和为 1。
//
// Check your work with / 检查：    lmlab exercise check min_p
// Stuck? / 卡住了：                lmlab exercise hint min_p
// Leave this running / 边改边查：  lmlab exercise watch min_p
import Foundation

func minP(_ probs: [Double], minP: Double) -> [Double] {
    // TODO: compute the threshold from the largest probability, keep what
    // reaches it, renormalise.
    // 待办：由最大的概率算出阈值，保留达到阈值的词元，重新归一化。
    return probs
}
