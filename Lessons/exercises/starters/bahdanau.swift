// Exercise bahdanau (lesson 6): Bahdanau attention: scores, weights, context.
//
// Additive attention for one decoder step. `query` is the decoder's previous state s, `annotations[j]` the
// encoder's state h_j at source position j. With W [A][Hq], b [A], U [A][Hk], v [A]:
//   e_j = v · tanh(W·s + b + U·h_j)      weights = softmax(e)      context = Σ_j weights[j] · h_j
// Return the weights [S] and the context [Hk].
//
// Check your work with:   lmlab exercise check bahdanau
// Stuck?                  lmlab exercise hint bahdanau
// Leave this running:     lmlab exercise watch bahdanau
import Foundation

func bahdanau(query: [Double], annotations: [[Double]], w: [[Double]], b: [Double], u: [[Double]], v: [Double])
    -> (weights: [Double], context: [Double]) {
    // TODO: score every source position, softmax the scores, and mix the annotations.
    let s = annotations.count
    return (Array(repeating: 1.0 / Double(s), count: s), annotations[0])
}
