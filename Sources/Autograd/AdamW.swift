// AdamW — Adam with decoupled weight decay (Loshchilov & Hutter 2019, https://arxiv.org/abs/1711.05101), in the
// same order of operations as torch.optim.AdamW (amsgrad off, maximize off):
//
//   θ ← θ·(1 − ηλ)                                          decoupled decay (not added to the gradient)
//   m ← β₁m + (1 − β₁)g                                      first moment
//   v ← β₂v + (1 − β₂)g²                                     second moment
//   θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)      bias-corrected step, t = 1, 2, …
//
// Defaults are PyTorch's: η = 1e-3, β = (0.9, 0.999), ε = 1e-8, λ = 0.01.

import Foundation
import LabCore

public final class AdamW: Optimizer {
    public let parameters: [Variable]
    public var learningRate: Float
    public let beta1: Float, beta2: Float
    public let eps: Float
    public let weightDecay: Float
    /// Steps taken so far (t of the bias correction); the next `step()` is number `stepCount + 1`.
    public private(set) var stepCount = 0
    private var m: [[Float]]
    private var v: [[Float]]

    public init(_ parameters: [Variable], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0.01) {
        precondition(learningRate >= 0 && eps >= 0 && weightDecay >= 0, "AdamW: learningRate, eps and weightDecay must be ≥ 0")
        precondition((0..<1).contains(betas.0) && (0..<1).contains(betas.1), "AdamW: betas must lie in [0, 1), got \(betas)")
        self.parameters = parameters
        self.learningRate = learningRate
        (beta1, beta2) = betas
        self.eps = eps
        self.weightDecay = weightDecay
        m = parameters.map { [Float](repeating: 0, count: $0.value.count) }
        v = m
    }

    /// The moments m and v per parameter (in `parameters` order) and t, for checkpoints that resume exactly.
    public var state: (step: Int, m: [[Float]], v: [[Float]]) { (stepCount, m, v) }

    /// Puts back a `state` saved from an optimizer over parameters of the same shapes.
    public func restore(step: Int, m: [[Float]], v: [[Float]]) {
        precondition(m.map(\.count) == self.m.map(\.count) && v.map(\.count) == self.v.map(\.count),
                     "AdamW.restore: moment sizes do not match the parameters")
        stepCount = step
        self.m = m
        self.v = v
    }

    public func step() {
        stepCount += 1
        let t = Double(stepCount)
        let bias1 = 1 - Foundation.pow(Double(beta1), t)
        let bias2Sqrt = Float((1 - Foundation.pow(Double(beta2), t)).squareRoot())
        let stepSize = Float(Double(learningRate) / bias1)
        let decay = 1 - learningRate * weightDecay
        let (b1, b2, eps) = (beta1, beta2, eps)
        for (k, p) in parameters.enumerated() {
            guard let grad = p.grad else { continue }
            grad.data.withUnsafeBufferPointer { g in
                m[k].withUnsafeMutableBufferPointer { m in
                    v[k].withUnsafeMutableBufferPointer { v in
                        p.value.data.withUnsafeMutableBufferPointer { theta in
                            // Element-wise: large tensors are cut into contiguous ranges, one per thread.
                            parallelFor(theta.count, minChunk: 4_096) { range in
                                for i in range {
                                    theta[i] *= decay
                                    m[i] += (g[i] - m[i]) * (1 - b1)
                                    v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
                                    theta[i] -= stepSize * m[i] / (v[i].squareRoot() / bias2Sqrt + eps)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
