// SwiGLU's gating as one Autograd node — the middle of ERNIE's MLP (Shazeer 2020, "GLU Variants Improve
// Transformer", https://arxiv.org/abs/2002.05202):
//
//   y = silu(g) ⊙ u,   silu(g) = g·σ(g)
//   ∂L/∂u = gy ⊙ silu(g)
//   ∂L/∂g = gy ⊙ u ⊙ σ(g)·(1 + g·(1 − σ(g)))
//
// `silu(gate) * up` from Autograd's elementwise ops computes the same thing in two nodes with a closure per
// element; the trainer calls this once per layer on [B·T, F], so it is fused into one loop (the composed ops are
// its naive twin in the tests).

import Autograd
import Foundation
import LabCore

/// silu(gate) ⊙ up for `gate`, `up` of the same shape (e.g. [B·T, F]).
public func swiGLU(gate: Variable, up: Variable) -> Variable {
    precondition(gate.shape == up.shape, "swiGLU: gate \(gate.shape) and up \(up.shape) differ")
    let n = gate.value.count
    var y = [Float](repeating: 0, count: n)
    gate.value.data.withUnsafeBufferPointer { g in
        up.value.data.withUnsafeBufferPointer { u in
            for i in 0..<n { y[i] = g[i] / (1 + Foundation.exp(-g[i])) * u[i] }
        }
    }
    let (gv, uv) = (gate.value, up.value)
    return makeNode(Tensor(shape: gv.shape, data: y), op: "swiGLU", parents: [gate, up]) { gy in
        gy.data.withUnsafeBufferPointer { dy in
            gv.data.withUnsafeBufferPointer { g in
                uv.data.withUnsafeBufferPointer { u in
                    if up.requiresGrad {
                        up.withGradBuffer { du in
                            for i in 0..<n { du[i] += dy[i] * g[i] / (1 + Foundation.exp(-g[i])) }
                        }
                    }
                    if gate.requiresGrad {
                        gate.withGradBuffer { dg in
                            for i in 0..<n {
                                let s = 1 / (1 + Foundation.exp(-g[i]))
                                dg[i] += dy[i] * u[i] * s * (1 + g[i] * (1 - s))
                            }
                        }
                    }
                }
            }
        }
    }
}
