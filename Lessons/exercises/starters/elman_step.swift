// Exercise elman_step (lesson 6): one step of an Elman RNN.
//
// An Elman RNN reads one input x and its previous hidden state h and returns the new state
//   h′ = tanh(W_ih · x + b_ih + W_hh · h + b_hh)
// Matrices are lists of rows (PyTorch's layout): wIH is [hidden][input], wHH is [hidden][hidden].
//
// Check your work with:   lmlab exercise check elman_step
// Stuck?                  lmlab exercise hint elman_step
// Leave this running:     lmlab exercise watch elman_step
import Foundation

func elmanStep(x: [Double], h: [Double], wIH: [[Double]], wHH: [[Double]], bIH: [Double], bHH: [Double]) -> [Double] {
    // TODO: two matrix-vector products, the biases, then tanh.
    return h
}
