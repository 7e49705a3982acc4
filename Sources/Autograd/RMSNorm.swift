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
/// Rows are spread over the threads; sums run in 16 float lanes (`dot`), gain gradients in per-thread partials.
public func rmsNorm(_ x: Variable, weight: Variable, eps: Float = 1e-5) -> Variable {
    let d = x.shape.last ?? 0
    precondition(weight.shape == [d], "Autograd.rmsNorm: weight \(weight.shape) must be [\(d)] for input \(x.shape)")
    let rows = d == 0 ? 0 : x.value.count / d
    let (xv, gv) = (x.value, weight.value)
    var rInv = [Float](repeating: 0, count: rows)
    var y = [Float](unsafeUninitializedCapacity: xv.count) { _, n in n = xv.count }
    xv.data.withUnsafeBufferPointer { px in gv.data.withUnsafeBufferPointer { pw in
    y.withUnsafeMutableBufferPointer { py in rInv.withUnsafeMutableBufferPointer { pr in
        let (X, W, Y, R) = (px.baseAddress!, pw.baseAddress!, py.baseAddress!, pr.baseAddress!)
        parallelFor(rows, minChunk: 64) { range in
            for r in range {
                let row = X + r * d, out = Y + r * d
                let rr = 1 / (dot(row, row, count: d) / Float(d) + eps).squareRoot()
                R[r] = rr
                for j in 0..<d { out[j] = row[j] * rr * W[j] }
            }
        }
    }}}}
    return makeNode(Tensor(shape: xv.shape, data: y), op: "rmsNorm", parents: [x, weight]) { gy in
        gy.data.withUnsafeBufferPointer { pg in xv.data.withUnsafeBufferPointer { px in
        gv.data.withUnsafeBufferPointer { pw in rInv.withUnsafeBufferPointer { pr in
            let (G, X, W, R) = (pg.baseAddress!, px.baseAddress!, pw.baseAddress!, pr.baseAddress!)
            if weight.requiresGrad {
                // ∂L/∂g = Σ_rows gy ⊙ x̂: one partial sum per chunk of rows, added up in chunk order.
                let chunks = min(rows, 8 * max(1, labThreadCount))
                var partial = [Float](repeating: 0, count: chunks * d)
                partial.withUnsafeMutableBufferPointer { pp in
                    let P = pp.baseAddress!
                    parallelFor(chunks) { range in
                        for c in range {
                            let acc = P + c * d
                            for r in (c * rows / chunks)..<((c + 1) * rows / chunks) {
                                let (g, xr, rr) = (G + r * d, X + r * d, R[r])
                                for j in 0..<d { acc[j] += g[j] * xr[j] * rr }
                            }
                        }
                    }
                }
                weight.withGradBuffer { gw in
                    for c in 0..<chunks { for j in 0..<d { gw[j] += partial[c * d + j] } }
                }
            }
            if x.requiresGrad {
                x.withGradBuffer(overwriting: { gx, overwrite in
                    let DX = gx.baseAddress!
                    parallelFor(rows, minChunk: 64) { range in
                        for r in range {
                            let (g, xr, dx, rr) = (G + r * d, X + r * d, DX + r * d, R[r])
                            // Σⱼ ∂L/∂x̂ⱼ · x̂ⱼ = rr · Σⱼ gⱼ wⱼ xⱼ
                            let meanDot = dot3(g, W, xr, count: d) * rr / Float(d)
                            for j in 0..<d {
                                let v = rr * (g[j] * W[j] - xr[j] * rr * meanDot)
                                dx[j] = overwrite ? v : dx[j] + v
                            }
                        }
                    }
                })
            }
        }}}}
    }
}
