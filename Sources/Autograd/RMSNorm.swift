// RMSNorm — root-mean-square layer normalisation with a learned gain (Zhang & Sennrich 2019,
// https://arxiv.org/abs/1910.07467), the normalisation of ERNIE 4.5 and of the lab's tiny transformer.
//
// Over the last axis (D features) of each row:
//   r = 1/√(mean(x²) + ε)       x̂ = x·r       y = x̂ ⊙ g
// Backward, with gy = ∂L/∂y:
//   ∂L/∂g = Σ_rows gy ⊙ x̂
//   ∂L/∂x̂ = gy ⊙ g
//   ∂L/∂x = r·(∂L/∂x̂ − x̂·mean(∂L/∂x̂ ⊙ x̂))
// (from ∂r/∂xᵢ = −r³xᵢ/D). Only r is stored per row; x̂ is recomputed from x in the backward step.

import LabCore

/// y = x / √(mean(x²) + ε) ⊙ g over the last axis. `x` [..., D], `weight` g [D].
public func rmsNorm(_ x: Variable, weight: Variable, eps: Float = 1e-5) -> Variable {
    let d = x.shape.last ?? 0
    precondition(weight.shape == [d], "Autograd.rmsNorm: weight \(weight.shape) must be [\(d)] for input \(x.shape)")
    let rows = d == 0 ? 0 : x.value.count / d
    let (xv, gv) = (x.value, weight.value)
    var rInv = [Float](repeating: 0, count: rows)
    var y = [Float](repeating: 0, count: xv.count)
    xv.data.withUnsafeBufferPointer { px in
        for r in 0..<rows {
            var ss = 0.0
            for j in 0..<d { ss += Double(px[r * d + j]) * Double(px[r * d + j]) }
            let rr = Float(1 / (ss / Double(d) + Double(eps)).squareRoot())
            rInv[r] = rr
            for j in 0..<d { y[r * d + j] = px[r * d + j] * rr * gv.data[j] }
        }
    }
    return makeNode(Tensor(shape: xv.shape, data: y), op: "rmsNorm", parents: [x, weight]) { gy in
        gy.data.withUnsafeBufferPointer { pg in
            xv.data.withUnsafeBufferPointer { px in
                if weight.requiresGrad {
                    weight.withGradBuffer { gw in
                        for r in 0..<rows { for j in 0..<d { gw[j] += pg[r * d + j] * px[r * d + j] * rInv[r] } }
                    }
                }
                if x.requiresGrad {
                    x.withGradBuffer { gx in
                        for r in 0..<rows {
                            let rr = rInv[r]
                            var dot = 0.0   // Σⱼ ∂L/∂x̂ⱼ · x̂ⱼ
                            for j in 0..<d { dot += Double(pg[r * d + j] * gv.data[j]) * Double(px[r * d + j] * rr) }
                            let meanDot = Float(dot / Double(d))
                            for j in 0..<d {
                                let dxhat = pg[r * d + j] * gv.data[j]
                                gx[r * d + j] += rr * (dxhat - px[r * d + j] * rr * meanDot)
                            }
                        }
                    }
                }
            }
        }
    }
}
