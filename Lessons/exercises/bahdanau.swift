// Exercise bahdanau (lesson 6): Bahdanau attention: scores, weights,
// context.
// 练习 bahdanau（第 6 课）：Bahdanau 注意力：得分、权重、上下文。
//
// Additive attention for one decoder step. `query` is the decoder's
// previous state s, `annotations[j]` the encoder's state h_j at source
// position j. With W [A][Hq], b [A], U [A][Hk], v [A]:
//   e_j = v · tanh(W·s + b + U·h_j)      weights = softmax(e)
//   context = Σ_j weights[j] · h_j
// Return the weights [S] and the context [Hk].
//
// 解码器一步的加性注意力。`query` 是解码器的上一个状态 s，`annotations[j]`
// 是编码器在源位置 j 的状态 h_j。给定 W [A][Hq]、b [A]、U [A][Hk]、v [A]：
//   e_j = v · tanh(W·s + b + U·h_j)      weights = softmax(e)
//   context = Σ_j weights[j] · h_j
// 返回权重 [S] 和上下文 [Hk]。
//
// Check your work with / 检查：    lmlab exercise check bahdanau
// Stuck? / 卡住了：                lmlab exercise hint bahdanau
// Leave this running / 边改边查：  lmlab exercise watch bahdanau
import Foundation

func bahdanau(query: [Double], annotations: [[Double]], w: [[Double]], b: [Double], u: [[Double]], v: [Double])
    -> (weights: [Double], context: [Double]) {
    // TODO: score every source position, softmax the scores, and mix the
    // annotations.
    // 待办：给每个源位置打分，对得分做 softmax，再用权重混合 annotations。
    let s = annotations.count
    return (Array(repeating: 1.0 / Double(s), count: s), annotations[0])
}
