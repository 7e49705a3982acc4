// Exercise softmax (lesson 1): softmax that never overflows.
// 练习 softmax（第 1 课）：不会溢出的 softmax。
//
// Turn a model's scores (logits) z into probabilities:
// p_i = e^(z_i) / Σ_j e^(z_j). Every p_i is in (0, 1] and they sum to 1. It
// must work for any finite logits — [1000, 999, 998] included, where e^1000
// is ∞ in Double.
//
// 把模型的得分（logit）z 变成概率：p_i = e^(z_i) / Σ_j e^(z_j)。每个 p_i 都
// 在 (0, 1] 之内，它们的和为 1。任何有限的 logit 都要能算——包括
// [1000, 999, 998]，而在 Double 里 e^1000 是 ∞。
//
// Check your work with / 检查：    lmlab exercise check softmax
// Stuck? / 卡住了：                lmlab exercise hint softmax
// Leave this running / 边改边查：  lmlab exercise watch softmax
import Foundation

func softmax(_ logits: [Double]) -> [Double] {
    // TODO: exponentiate every logit and divide by the sum (safely).
    // 待办：对每个 logit 取指数，再除以它们的总和（要算得安全）。
    return logits
}
