// Exercise classify (lesson 2): classify by comparing P(label | prompt).
// 练习 classify（第 2 课）：比较 P(标签 | 提示词) 来分类。
//
// `labels[j]` holds the log-probabilities of label j's tokens after the
// prompt, one per token (a label may be several tokens). Return each
// label's share P(label j | prompt, the answer is one of these labels):
// positive numbers that sum to 1 over the labels.
//
// `labels[j]` 是标签 j 的各个词元接在提示词后面的对数概率，每个词元一个
// （一个标签可以有好几个词元）。返回每个标签的份额
// P(标签 j | 提示词，且答案是这些标签之一)：一组正数，在所有标签上的和
// 为 1。
//
// Check your work with / 检查：    lmlab exercise check classify
// Stuck? / 卡住了：                lmlab exercise hint classify
// Leave this running / 边改边查：  lmlab exercise watch classify
import Foundation

func labelShares(_ labels: [[Double]]) -> [Double] {
    // TODO: score each label (chain rule), then turn the scores into
    // shares.
    // 待办：先给每个标签打分（链式法则），再把分数变成份额。
    return labels.map { _ in 1.0 / Double(labels.count) }
}
