// Attention step by step: a hand-computed example, and multi-head / grouped-query attention equal to Autograd's
// attention (splitHeads, repeatKVHeads, scaledDotProductAttention, mergeHeads) on random tiny inputs.
import Testing
import Foundation
import LabCore
import Autograd
@testable import NeuralLMs

@Test func handComputedSingleHead() {
    // Q = K = I, V = [[1, 2], [3, 4]]: scores I, scaled I/√2, row 0 softmax([0.7071, 0]) = [0.6698, 0.3302].
    let t = attentionSteps(queries: [[1, 0], [0, 1]], keys: [[1, 0], [0, 1]], values: [[1, 2], [3, 4]], causal: false)
    #expect(t.scores == [[1, 0], [0, 1]])
    #expect(abs(t.scaled[0][0] - 0.70710677) < 1e-6)
    #expect(abs(t.weights[0][0] - 0.66976) < 1e-4 && abs(t.weights[0][1] - 0.33024) < 1e-4)
    #expect(abs(t.output[0][0] - 1.66048) < 1e-4 && abs(t.output[0][1] - 2.66048) < 1e-4)
    // Causal: token 0 sees only itself, so its output is V's first row exactly.
    let c = attentionSteps(queries: [[1, 0], [0, 1]], keys: [[1, 0], [0, 1]], values: [[1, 2], [3, 4]], causal: true)
    #expect(c.masked[0][1] == -.infinity && c.weights[0] == [1, 0] && c.output[0] == [1, 2])
    print("hand example: weights \(t.weights), output \(t.output)")
}

func randomMatrix(_ rows: Int, _ cols: Int, _ rng: inout SeededRNG) -> Matrix {
    (0..<rows).map { _ in (0..<cols).map { _ in Float(rng.nextNormal()) * 0.5 } }
}

@Test(arguments: [(4, 4), (4, 2), (4, 1)])
func multiHeadStepsEqualAutogradAttention(heads: Int, keyValueHeads: Int) {
    var rng = SeededRNG(seed: 11)
    let (t, d, dh) = (5, 8, 2)
    let x = randomMatrix(t, d, &rng)
    let wq = randomMatrix(heads * dh, d, &rng), wk = randomMatrix(keyValueHeads * dh, d, &rng)
    let wv = randomMatrix(keyValueHeads * dh, d, &rng), wo = randomMatrix(d, heads * dh, &rng)
    let trace = multiHeadAttentionSteps(x, wq: wq, wk: wk, wv: wv, wo: wo, heads: heads, keyValueHeads: keyValueHeads, causal: true)

    func variable(_ m: Matrix) -> Variable { .constant(Tensor(shape: [m.count, m[0].count], data: m.flatMap { $0 })) }
    let groups = heads / keyValueHeads
    let q = splitHeads(linear(variable(x), weight: variable(wq)), heads: heads)                                  // [H, T, Dh]
    let k = repeatKVHeads(splitHeads(linear(variable(x), weight: variable(wk)), heads: keyValueHeads), groups: groups)
    let v = repeatKVHeads(splitHeads(linear(variable(x), weight: variable(wv)), heads: keyValueHeads), groups: groups)
    let weights = causalSoftmax(matmul(q, k, transposeB: true) * Float(1 / Double(dh).squareRoot()))           // [H, T, T]
    let merged = mergeHeads(scaledDotProductAttention(q: q, k: k, v: v, causal: true))                         // [T, H·Dh]
    let output = linear(merged, weight: variable(wo))                                                          // [T, D]

    let flatWeights = trace.heads.flatMap { $0.weights.flatMap { $0 } }
    let dw = zip(flatWeights, weights.value.data).map { abs($0 - $1) }.max()!
    let dm = zip(trace.merged.flatMap { $0 }, merged.value.data).map { abs($0 - $1) }.max()!
    let dout = zip(trace.output.flatMap { $0 }, output.value.data).map { abs($0 - $1) }.max()!
    print("H = \(heads), Hkv = \(keyValueHeads): max abs diff weights \(dw), merged \(dm), output \(dout)")
    #expect(dw < 1e-5 && dm < 1e-5 && dout < 1e-5)
    #expect(trace.keyValueHeadOfQueryHead == (0..<heads).map { $0 / groups })
    #expect(trace.heads.allSatisfy { h in h.weights.allSatisfy { abs($0.reduce(0, +) - 1) < 1e-5 } })
}
