// Gradient clipping by global norm (Pascanu et al. 2013, https://arxiv.org/abs/1211.5063), as
// torch.nn.utils.clip_grad_norm_: when the gradients of all parameters, seen as one long vector, are longer than
// `maxNorm`, scale them all down by the same factor.
//
//   ‖g‖ = √(Σ_params Σᵢ gᵢ²)        c = min(1, maxNorm / (‖g‖ + 10⁻⁶))        g ← c·g

import LabCore

/// Scales all gradients so that their global L2 norm is at most `maxNorm`; returns the norm before clipping.
/// Parameters without a gradient are skipped.
@discardableResult
public func clipGradNorm(_ parameters: [Variable], maxNorm: Float) -> Float {
    var squares = 0.0
    for p in parameters {
        guard let g = p.grad else { continue }
        g.data.withUnsafeBufferPointer { x in      // 16-lane float sums over blocks of 4096, added up in Double
            for start in stride(from: 0, to: x.count, by: 4096) {
                squares += Double(dot(x.baseAddress! + start, x.baseAddress! + start, count: min(4096, x.count - start)))
            }
        }
    }
    let norm = squares.squareRoot()
    let coefficient = min(1, Double(maxNorm) / (norm + 1e-6))
    if coefficient < 1 {
        for p in parameters where p.grad != nil {
            p.grad!.data.withUnsafeMutableBufferPointer { g in
                for i in 0..<g.count { g[i] = Float(Double(g[i]) * coefficient) }
            }
        }
    }
    return Float(norm)
}
