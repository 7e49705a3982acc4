// Exercise swiglu (lesson 8): the SwiGLU feed-forward block.
// 练习 swiglu（第 8 课）：SwiGLU 前馈块。
//
// ERNIE 4.5's MLP:
//   out = W_down · (silu(W_gate · x) ⊙ (W_up · x))
//   silu(z) = z / (1 + e^(−z))
// Matrices are lists of rows: wGate and wUp are [F][D], wDown is [D][F].
//
// ERNIE 4.5 的 MLP：
//   out = W_down · (silu(W_gate · x) ⊙ (W_up · x))
//   silu(z) = z / (1 + e^(−z))
// 矩阵是行的列表：wGate 和 wUp 是 [F][D]，wDown 是 [D][F]。
//
// Check your work with / 检查：    lmlab exercise check swiglu
// Stuck? / 卡住了：                lmlab exercise hint swiglu
// Leave this running / 边改边查：  lmlab exercise watch swiglu
import Foundation

func swiglu(_ x: [Double], wGate: [[Double]], wUp: [[Double]], wDown: [[Double]]) -> [Double] {
    // TODO: gate and up projections, silu on the gate, multiply, down
    // projection.
    // 待办：gate 与 up 两个投影，gate 过 silu，逐元素相乘，再做 down 投影。
    return x
}
