// Exercise continuation_score (lesson 2): score a continuation, token by
// token.
// 练习 continuation_score（第 2 课）：逐词元为续写打分。
//
// `ids` is a text as token ids; ids[0] is the start token <s>, context
// only. `logProbs[i]` is the model's log-probability of every token of the
// vocabulary AFTER it has read ids[0...i] (there are ids.count − 1 rows).
// Return log P(ids[1...] | ids[0]) — the number `lmlab prob` and
// `lmlab classify` add up for a continuation.
//
// `ids` 是一段文本的词元编号；ids[0] 是起始词元 <s>，只作上文。
// `logProbs[i]` 是模型“读完”ids[0...i] 之后给词表中每个词元的对数概率（共
// ids.count − 1 行）。返回 log P(ids[1...] | ids[0])——也就是 `lmlab prob`
// 和 `lmlab classify` 为一段续写累加的那个数。
//
// Check your work with / 检查：    lmlab exercise check continuation_score
// Stuck? / 卡住了：                lmlab exercise hint continuation_score
// Leave this running / 边改边查：  lmlab exercise watch continuation_score
import Foundation

func continuationLogProb(ids: [Int], logProbs: [[Double]]) -> Double {
    // TODO: add up, for every token after the first, the log-probability
    // its row gave it.
    // 待办：对第一个之后的每个词元，加上它那一行给它的对数概率。
    return 0
}
