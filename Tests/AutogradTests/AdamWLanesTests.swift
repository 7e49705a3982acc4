// AdamW's 16-lane, threaded update against a scalar twin written from the formula (the torch.optim.AdamW order of
// operations), on tensors whose sizes exercise the lane loop, its scalar tail and the split over threads.
// Bit-identical results are expected: the same IEEE operations in the same order, no fused multiply-adds.
// (MLPParityTests holds the same optimizer to PyTorch itself.)

import Autograd
import Foundation
import LabCore
import Testing

@Test func adamWLanesEqualScalarTwin() {
    let (lr, b1, b2, eps, wd): (Float, Float, Float, Float, Float) = (3e-3, 0.9, 0.95, 1e-8, 0.1)
    var rng = SeededRNG(seed: 11)
    let sizes = [5, 16, 37, 10_007]                       // tail only, one lane block, both, several threads' ranges
    let params = sizes.map { Variable.parameter(Tensor.randn([$0], std: 1, rng: &rng)) }
    var theta = params.map { $0.value.data }
    var m = sizes.map { [Float](repeating: 0, count: $0) }
    var v = m
    let opt = AdamW(params, learningRate: lr, betas: (b1, b2), eps: eps, weightDecay: wd)
    var worst: Float = 0
    for step in 1...3 {
        for (k, p) in params.enumerated() { p.grad = Tensor.randn([sizes[k]], std: 0.5, rng: &rng) }
        opt.step()
        // The twin: θ ← θ(1 − ηλ); m ← m + (g − m)(1 − β₁); v ← β₂v + (1 − β₂)g²; θ ← θ − η/(1 − β₁ᵗ)·m/(√v/√(1 − β₂ᵗ) + ε)
        let bias1 = 1 - pow(Double(b1), Double(step))
        let bias2Sqrt = Float((1 - pow(Double(b2), Double(step))).squareRoot())
        let stepSize = Float(Double(lr) / bias1)
        for k in sizes.indices {
            let g = params[k].grad!.data
            for i in 0..<sizes[k] {
                theta[k][i] *= 1 - lr * wd
                m[k][i] += (g[i] - m[k][i]) * (1 - b1)
                v[k][i] = b2 * v[k][i] + (1 - b2) * g[i] * g[i]
                theta[k][i] -= stepSize * m[k][i] / (v[k][i].squareRoot() / bias2Sqrt + eps)
            }
            for i in 0..<sizes[k] { worst = max(worst, abs(params[k].value.data[i] - theta[k][i])) }
        }
    }
    #expect(worst == 0)
    print("AdamW 16-lane update vs scalar twin (3 steps, sizes \(sizes)): max abs diff \(worst)")
}
