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
                            // Element-wise: large tensors are cut into contiguous ranges, one per thread, 16 lanes
                            // at a time (the scalar loop was not vectorised: a divide and a square root per element).
                            let (pt, pm, pv, pg) = (theta.baseAddress!, m.baseAddress!, v.baseAddress!, g.baseAddress!)
                            parallelFor(theta.count, minChunk: 4_096) { range in
                                var i = range.lowerBound
                                while i + 16 <= range.upperBound {
                                    adamWUpdate16(pt + i, pm + i, pv + i, pg + i, decay: decay, b1: b1, b2: b2,
                                                  stepSize: stepSize, bias2Sqrt: bias2Sqrt, eps: eps)
                                    i += 16
                                }
                                while i < range.upperBound {
                                    pt[i] *= decay
                                    pm[i] += (pg[i] - pm[i]) * (1 - b1)
                                    pv[i] = b2 * pv[i] + (1 - b2) * pg[i] * pg[i]
                                    pt[i] -= stepSize * pm[i] / (pv[i].squareRoot() / bias2Sqrt + eps)
                                    i += 1
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The AdamW update of 16 consecutive elements: the scalar tail's operations in the same order, lane by lane, so
/// results are bit-identical (no fused multiply-adds; IEEE square root and division are exact-rounded in both).
@inline(__always)
private func adamWUpdate16(_ theta: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                           _ v: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>,
                           decay: Float, b1: Float, b2: Float, stepSize: Float, bias2Sqrt: Float, eps: Float) {
    typealias V = SIMD16<Float>
    let (rt, rm, rv) = (UnsafeMutableRawPointer(theta), UnsafeMutableRawPointer(m), UnsafeMutableRawPointer(v))
    let gv = UnsafeRawPointer(g).loadUnaligned(as: V.self)
    var t = rt.loadUnaligned(as: V.self) * decay
    var mv = rm.loadUnaligned(as: V.self)
    mv += (gv - mv) * (1 - b1)
    let vv = b2 * rv.loadUnaligned(as: V.self) + (1 - b2) * gv * gv
    t -= stepSize * mv / (vv.squareRoot() / bias2Sqrt + eps)
    rt.storeBytes(of: t, as: V.self)
    rm.storeBytes(of: mv, as: V.self)
    rv.storeBytes(of: vv, as: V.self)
}
