// Exercise top_p (lesson 3): nucleus (top-p) filtering.
// 练习 top_p（第 3 课）：核采样（top-p）过滤。
//
// Given a probability distribution `probs` (non-negative, summing to 1) and
// 0 < p ≤ 1, keep the smallest set of the most likely tokens whose
// probabilities add up to at least p; set every other entry to 0 and
// renormalise the kept ones so they sum to 1 again. Always keep at least
// the most likely token.
//
// 给定概率分布 `probs`（非负，和为 1）和 0 < p ≤ 1：在最可能的词元中，保留
// 概率之和至少为 p 的最小集合；其余各项设为 0，再把保留的重新归一化，使它们
// 的和重新为 1。最可能的那个词元无论如何都要保留。
//
// Check your work with / 检查：    lmlab exercise check top_p
// Stuck? / 卡住了：                lmlab exercise hint top_p
// Leave this running / 边改边查：  lmlab exercise watch top_p
import Foundation

func topP(_ probs: [Double], p: Double) -> [Double] {
    // TODO: sort the token ids by probability, most likely first; add them
    // up until the sum reaches p; zero the rest; divide the kept ones by
    // their sum.
    // 待办：按概率给词元编号排序，最可能的在前；依次累加，直到和达到 p；
    // 其余清零；保留的各自除以它们的和。
    return probs
}
