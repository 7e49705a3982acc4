// Exercise top_k (lesson 3): top-k filtering.
// 练习 top_k（第 3 课）：top-k 过滤。
//
// Keep the k most likely tokens of `probs` (non-negative, summing to 1):
// every token whose probability is at least the k-th largest stays — a
// token tied with the k-th stays too — and k larger than the vocabulary
// keeps all. Set the others to 0 and renormalise the kept ones so they sum
// to 1.
//
// 保留 `probs`（非负，和为 1）中最可能的 k 个词元：概率不小于第 k 大的概率
// 的词元都留下——与第 k 个并列的也留下——k 大于词表大小时全部保留。其余设为
// 0，再把保留的重新归一化，使它们的和为 1。
//
// Check your work with / 检查：    lmlab exercise check top_k
// Stuck? / 卡住了：                lmlab exercise hint top_k
// Leave this running / 边改边查：  lmlab exercise watch top_k
import Foundation

func topK(_ probs: [Double], k: Int) -> [Double] {
    // TODO: find the k-th largest probability, keep what reaches it,
    // renormalise.
    // 待办：找出第 k 大的概率，保留达到它的词元，重新归一化。
    return probs
}
