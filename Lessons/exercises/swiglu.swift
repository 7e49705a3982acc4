// Exercise swiglu (lesson 8): the SwiGLU feed-forward block.
//
// ERNIE 4.5's MLP:  out = W_down · (silu(W_gate · x) ⊙ (W_up · x)),   silu(z) = z / (1 + e^(−z)).
// Matrices are lists of rows: wGate and wUp are [F][D], wDown is [D][F].
//
// Check your work with:   lmlab exercise check swiglu
// Stuck?                  lmlab exercise hint swiglu
// Leave this running:     lmlab exercise watch swiglu
import Foundation

func swiglu(_ x: [Double], wGate: [[Double]], wUp: [[Double]], wDown: [[Double]]) -> [Double] {
    // TODO: gate and up projections, silu on the gate, multiply, down projection.
    return x
}
