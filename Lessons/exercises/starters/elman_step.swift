// Exercise elman_step (lesson 6): one step of an Elman RNN.
// 练习 elman_step（第 6 课）：Elman RNN 的一步。
//
// An Elman RNN reads one input x and its previous hidden state h and
// returns the new state
//   h′ = tanh(W_ih · x + b_ih + W_hh · h + b_hh)
// Matrices are lists of rows (PyTorch's layout): wIH is [hidden][input],
// wHH is [hidden][hidden].
//
// Elman RNN 读入一个输入 x 和上一步的隐藏状态 h，返回新的状态
//   h′ = tanh(W_ih · x + b_ih + W_hh · h + b_hh)
// 矩阵是行的列表（PyTorch 的布局）：wIH 是 [hidden][input]，wHH 是
// [hidden][hidden]。
//
// Check your work with / 检查：    lmlab exercise check elman_step
// Stuck? / 卡住了：                lmlab exercise hint elman_step
// Leave this running / 边改边查：  lmlab exercise watch elman_step
import Foundation

func elmanStep(x: [Double], h: [Double], wIH: [[Double]], wHH: [[Double]], bIH: [Double], bHH: [Double]) -> [Double] {
    // TODO: two matrix-vector products, the biases, then tanh.
    // 待办：两次矩阵乘向量，加上偏置，再取 tanh。
    return h
}
