// Exercise negative_sampling (lesson 5): one skip-gram negative-sampling
// update.
// 练习 negative_sampling（第 5 课）：一次 skip-gram 负采样更新。
//
// One step of word2vec's skip-gram with negative sampling for the centre
// word's input vector h. samples[0] is the true context word (label 1),
// samples[1...] the negatives (label 0); outputs[w] is word w's output
// vector u_w. With s_j = u_{samples[j]} · h, all computed BEFORE any
// update:
//   loss = −log σ(s_0) − Σ_{j≥1} log σ(−s_j)      σ(x) = 1 / (1 + e^(−x))
//   g_j  = alpha · (label_j − σ(s_j))
// then for j = 0, 1, …: error += g_j · u_{samples[j]} (as it is now),
// u_{samples[j]} += g_j · h. Return the loss, all output vectors after the
// step, and the error (word2vec adds it to h afterwards).
//
// word2vec 的 skip-gram 负采样，对中心词输入向量 h 的一步更新。samples[0]
// 是真实的上下文词（标签 1），samples[1...] 是负样本（标签 0）；outputs[w]
// 是词 w 的输出向量 u_w。令 s_j = u_{samples[j]} · h，全部在任何更新
// “之前”算好：
//   loss = −log σ(s_0) − Σ_{j≥1} log σ(−s_j)      σ(x) = 1 / (1 + e^(−x))
//   g_j  = alpha · (label_j − σ(s_j))
// 然后依次对 j = 0, 1, …：error += g_j · u_{samples[j]}（用它此刻的值），
// u_{samples[j]} += g_j · h。返回损失、这一步之后的全部输出向量和 error
// （word2vec 随后把它加到 h 上）。
//
// Check your work with / 检查：    lmlab exercise check negative_sampling
// Stuck? / 卡住了：                lmlab exercise hint negative_sampling
// Leave this running / 边改边查：  lmlab exercise watch negative_sampling
import Foundation

func negativeSamplingStep(h: [Double], outputs: [[Double]], samples: [Int], alpha: Double)
    -> (loss: Double, outputs: [[Double]], error: [Double]) {
    // TODO: scores, loss, gradients; then update the sampled output vectors
    // and accumulate the error.
    // 待办：得分、损失、梯度；然后更新抽到的输出向量，并累加误差。
    return (0, outputs, h.map { _ in 0 })
}
