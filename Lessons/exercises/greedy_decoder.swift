// Exercise greedy_decoder (lesson 10, the assignment; greedy decoding
// itself is taught in lesson 3): write a greedy decoder.
// 练习 greedy_decoder（第 10 课作业；贪心解码见第 3 课）：写贪心解码器。
//
// `nextLogProbs(ids)` asks the model for log P(next token | ids) over the
// whole vocabulary: entry t is the log-probability that token t comes next.
// Start from `prompt`, and at every step append the most likely token. Stop
// after `maxNewTokens` new tokens, or right after appending `endToken`
// (keep the end token in the result). Return only the new tokens, not the
// prompt.
//
// `nextLogProbs(ids)` 向模型要整个词表上的 log P(下一个词元 | ids)：第 t 项
// 是词元 t 紧接着出现的对数概率。从 `prompt` 开始，每一步追加最可能的词元。
// 生成 `maxNewTokens` 个新词元后停止，或者在追加了 `endToken` 之后立即停止
// （结果里保留这个结束词元）。只返回新词元，不含提示词。
//
// Check your work with / 检查：    lmlab exercise check greedy_decoder
// Stuck? / 卡住了：                lmlab exercise hint greedy_decoder
// Leave this running / 边改边查：  lmlab exercise watch greedy_decoder
import Foundation

func greedyDecode(prompt: [Int], maxNewTokens: Int, endToken: Int,
                  nextLogProbs: ([Int]) -> [Float]) -> [Int] {
    var generated: [Int] = []
    // TODO: loop up to maxNewTokens times: ask nextLogProbs for the
    // distribution after prompt + generated, pick the index of the largest
    // value, append it, and stop after the end token.
    // 待办：最多循环 maxNewTokens 次：向 nextLogProbs 要 prompt + generated
    // 之后的分布，取最大值的下标，追加它；追加了结束词元就停止。
    return generated
}
