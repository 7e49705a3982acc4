// Exercise chain_rule (lesson 1): the chain rule: log P and perplexity from
// a ledger.
// 练习 chain_rule（第 1 课）：链式法则：从账本算 log P 与困惑度。
//
// `probabilities` is one sentence's ledger: P(token_i | the tokens before
// it), one entry per token (</s> included). Return log P(sentence) —
// natural log — and the perplexity, exp(−log P / N) with N the number of
// tokens. A token with probability 0 makes log P = −∞ and the perplexity ∞.
//
// `probabilities` 是一个句子的账本：每个词元一项，P(词元_i | 它前面的词元)
// （含 </s>）。返回 log P(句子)（自然对数）和困惑度 exp(−log P / N)，N 是
// 词元个数。只要有一个词元的概率为 0，log P 就是 −∞，困惑度就是 ∞。
//
// Check your work with / 检查：    lmlab exercise check chain_rule
// Stuck? / 卡住了：                lmlab exercise hint chain_rule
// Leave this running / 边改边查：  lmlab exercise watch chain_rule
import Foundation

func sentenceScore(_ probabilities: [Double]) -> (logProbability: Double, perplexity: Double) {
    // TODO: add up the logs of the probabilities; the perplexity is e to
    // the minus average.
    // 待办：把各个概率的对数加起来；困惑度是 e 的“负的平均值”次方。
    return (0, 1)
}
