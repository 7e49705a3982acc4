// Exercise negative_sampling (lesson 5): one skip-gram negative-sampling update.
//
// One step of word2vec's skip-gram with negative sampling for the centre word's input vector h.
// samples[0] is the true context word (label 1), samples[1...] the negatives (label 0); outputs[w] is word w's
// output vector u_w. With s_j = u_{samples[j]} · h, all computed BEFORE any update:
//   loss = −log σ(s_0) − Σ_{j≥1} log σ(−s_j)          σ(x) = 1 / (1 + e^(−x))
//   g_j  = alpha · (label_j − σ(s_j))
// then for j = 0, 1, …: error += g_j · u_{samples[j]} (as it is now), u_{samples[j]} += g_j · h.
// Return the loss, all output vectors after the step, and the error (word2vec adds it to h afterwards).
//
// Check your work with:   lmlab exercise check negative_sampling
// Stuck?                  lmlab exercise hint negative_sampling
// Leave this running:     lmlab exercise watch negative_sampling
import Foundation

func negativeSamplingStep(h: [Double], outputs: [[Double]], samples: [Int], alpha: Double)
    -> (loss: Double, outputs: [[Double]], error: [Double]) {
    // TODO: scores, loss, gradients; then update the sampled output vectors and accumulate the error.
    return (0, outputs, h.map { _ in 0 })
}
