// Exercise add_k (lesson 4): add-k smoothing.
// 练习 add_k（第 4 课）：加 k 平滑。
//
// `counts[w]` = c(h w): how often word w followed the context h in the
// corpus, for every word of the vocabulary (counts.count = V, with <unk>,
// <s> and </s>). Return P(w | h) for every w under add-k (Lidstone)
// smoothing: every word counts as if seen k more times. k = 1 is Laplace.
//
// `counts[w]` = c(h w)：语料中词 w 跟在上文 h 后面出现的次数，词表里每个
// 词一项（counts.count = V，含 <unk>、<s> 和 </s>）。用加 k（Lidstone）平滑
// 对每个 w 返回 P(w | h)：每个词都当作多见了 k 次。k = 1 即拉普拉斯平滑。
//
// Check your work with / 检查：    lmlab exercise check add_k
// Stuck? / 卡住了：                lmlab exercise hint add_k
// Leave this running / 边改边查：  lmlab exercise watch add_k
import Foundation

func addK(counts: [Double], k: Double) -> [Double] {
    // TODO: this is maximum likelihood: an unseen word gets 0 (and an
    // unseen context nan). Smooth it.
    // 待办：这是最大似然估计：没见过的词得到 0（没见过的上文得到 nan）。
    // 给它做平滑。
    let total = counts.reduce(0, +)
    return counts.map { $0 / total }
}
