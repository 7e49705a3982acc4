// RMSNorm as ERNIE-4.5 uses it: before attention, before the MLP, and once more before the output projection.
//
//   y = x / √(mean(x²) + ε) ⊙ g          (Zhang & Sennrich 2019, https://arxiv.org/abs/1910.07467)
// ε is config.json's rms_norm_eps (1e-5). transformers computes the statistic in float32 and, for a bf16 model,
// rounds x/rms to bf16 before the gain multiply; this engine keeps activations in float32 throughout, which is
// what transformers computes on the same weights in float32 (the fixtures' reference).
// The arithmetic is LabCore's `rmsNorm` kernel (tested against `rmsNormNaive`).

import LabCore

/// RMSNorm with a learned gain g [D].
struct RMSNorm {
    /// g [D]: the checkpoint's `…layernorm.weight` / `model.norm.weight`, widened to Float.
    let gain: [Float]
    let epsilon: Float

    /// y[r] = x[r] / rms(x[r]) ⊙ g for each of `rows` rows. x, y [rows, D]; y may be x.
    func callAsFunction(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        gain.withUnsafeBufferPointer { g in
            rmsNorm(rows: rows, cols: g.count, x: x, gain: g.baseAddress!, epsilon: epsilon, y: y)
        }
    }
}
