// Exercise ngram_perplexity (lesson 4): held-out perplexity of an n-gram
// model.
// 练习 ngram_perplexity（第 4 课）：n 元模型在留出集上的困惑度。
//
// `sentences[s][i]` is the probability the model gave token i of held-out
// sentence s (</s> included). Return the perplexity of the whole held-out
// text: exp(−(1/N) Σ ln p) over ALL N tokens of all sentences together. One
// zero probability makes it ∞.
//
// `sentences[s][i]` 是模型给留出句子 s 的第 i 个词元的概率（含 </s>）。返回
// 整段留出文本的困惑度：把所有句子的“全部”N 个词元放在一起算
// exp(−(1/N) Σ ln p)。只要有一个概率为 0，结果就是 ∞。
//
// Check your work with / 检查：    lmlab exercise check ngram_perplexity
// Stuck? / 卡住了：                lmlab exercise hint ngram_perplexity
// Leave this running / 边改边查：  lmlab exercise watch ngram_perplexity
import Foundation

func perplexity(_ sentences: [[Double]]) -> Double {
    // TODO: this averages the perplexities of the sentences — not what
    // `ngram perplexity` reports. Pool the tokens.
    // 待办：这里算的是各句困惑度的平均——不是 `ngram perplexity` 报告的那个
    // 数。把所有词元合在一起算。
    let each = sentences.map { s in exp(-s.reduce(0) { $0 + log($1) } / Double(s.count)) }
    return each.reduce(0, +) / Double(each.count)
}
