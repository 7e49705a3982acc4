// Every op's backward step against central finite differences (Gradcheck.swift): L = Σ w ⊙ f(x) with a seeded
// random w, analytic ∂L/∂x from `backward(seed: w)` vs (L(x+h) − L(x−h))/2h with h = 10⁻². f runs in Float32, so
// the numeric side carries ~10⁻⁴ of rounding; a wrong derivative shows up as an error of order 1. Each check prints
// its max abs and relative error (relative to the largest gradient entry of each input) and must stay below 1e-3 (observed: ≤ 2·10⁻⁴).

import Autograd
import LabCore
import Testing

private let gradcheckTolerance = 1e-3

/// A parameter with N(offset, scale²) entries; `minMagnitude` pushes entries away from 0 (kinks, poles).
private func param(_ shape: [Int], seed: UInt64, scale: Float = 1, offset: Float = 0, minMagnitude: Float = 0) -> Variable {
    var rng = SeededRNG(seed: seed)
    var t = Tensor.randn(shape, std: scale, rng: &rng)
    for i in t.data.indices {
        t.data[i] += offset
        if abs(t.data[i]) < minMagnitude { t.data[i] = t.data[i] < 0 ? -minMagnitude : minMagnitude }
    }
    return Variable.parameter(t)
}

private func check(_ name: String, _ inputs: [Variable], _ f: () -> Variable) {
    let report = gradcheck(inputs, f)
    print("gradcheck \(name): \(report)")
    #expect(report.maxRelError < gradcheckTolerance, "gradcheck \(name): \(report)")
}

@Test func gradcheckElementwiseWithBroadcasting() {
    let a = param([3, 4], seed: 1), row = param([4], seed: 2), column = param([3, 1], seed: 3), s = param([], seed: 4)
    let b = param([3, 4], seed: 5), positive = param([3, 4], seed: 6, scale: 0.3, offset: 1.5)
    let rowAwayFromZero = param([4], seed: 7, scale: 0.3, offset: 1.2)
    check("add same shape", [a, b]) { a + b }
    check("add row vector [3,4]+[4]", [a, row]) { a + row }
    check("add column [3,4]+[3,1]", [a, column]) { a + column }
    check("add scalar tensor [3,4]+[]", [a, s]) { a + s }
    check("sub row vector [4]-[3,4]", [row, a]) { row - a }
    check("mul row vector", [a, row]) { a * row }
    check("mul column", [column, a]) { column * a }
    check("div by matrix", [a, positive]) { a / positive }
    check("div by row vector", [a, rowAwayFromZero]) { a / rowAwayFromZero }
    check("scalar forms 2·a − 1, 3 − a, a/4, 1/x", [a, positive]) { (2 * a - 1) + (3 - a) + a / 4 + 1 / positive }
    check("negation", [a]) { -a }
}

@Test func gradcheckMatmul() {
    let a = param([3, 4], seed: 11), b = param([4, 5], seed: 12)
    let at = param([4, 3], seed: 13), bt = param([5, 4], seed: 14)
    check("matmul A·B", [a, b]) { matmul(a, b) }
    check("matmul Aᵀ·B", [at, b]) { matmul(at, b, transposeA: true) }
    check("matmul A·Bᵀ", [a, bt]) { matmul(a, bt, transposeB: true) }
    check("matmul Aᵀ·Bᵀ", [at, bt]) { matmul(at, bt, transposeA: true, transposeB: true) }
    let qa = param([2, 3, 4], seed: 15), qb = param([2, 4, 5], seed: 16), qbt = param([2, 5, 4], seed: 17)
    check("batched matmul [2,3,4]·[2,4,5]", [qa, qb]) { matmul(qa, qb) }
    check("batched matmul [2,3,4]·[2,5,4]ᵀ", [qa, qbt]) { matmul(qa, qbt, transposeB: true) }
    check("batched × shared matrix [2,3,4]·[4,5]", [qa, b]) { matmul(qa, b) }
    let qat = param([2, 4, 3], seed: 18)
    check("batched transposed × shared [2,4,3]ᵀ·[5,4]ᵀ", [qat, bt]) { matmul(qat, bt, transposeA: true, transposeB: true) }
    let w = param([5, 4], seed: 19), bias = param([5], seed: 20)
    check("linear [2,3,4]·Wᵀ + b", [qa, w, bias]) { linear(qa, weight: w, bias: bias) }
}

@Test func gradcheckShapeOps() {
    let x = param([2, 3, 4], seed: 21), m = param([3, 4], seed: 22), n = param([3, 2], seed: 23)
    check("reshape", [x]) { reshape(x, [6, -1]) }
    check("transpose of a matrix", [m]) { transpose(m) }
    check("transpose axes 0,1 of [2,3,4]", [x]) { transpose(x, 0, 1) }
    check("permute [2,0,1]", [x]) { permute(x, [2, 0, 1]) }
    check("slice axis 0", [x]) { slice(x, axis: 0, 1..<2) }
    check("slice axis 1", [x]) { slice(x, axis: 1, 1..<3) }
    check("slice last axis", [x]) { slice(x, axis: -1, 0..<3) }
    check("concat axis 1 of [3,4],[3,2],[3,4]", [m, n]) { concat([m, n, m], axis: 1) }
    check("concat axis 0", [m]) { concat([m, m], axis: 0) }
}

@Test func gradcheckReductions() {
    let x = param([2, 3, 4], seed: 31)
    check("sum", [x]) { sum(x) }
    check("mean", [x]) { mean(x) }
    check("sum axis 0", [x]) { sum(x, axis: 0) }
    check("sum axis 1 keepDims", [x]) { sum(x, axis: 1, keepDims: true) }
    check("mean axis -1", [x]) { mean(x, axis: -1) }
}

@Test func gradcheckEmbedding() {
    let table = param([5, 3], seed: 41)
    check("embedding with a repeated id", [table]) { embedding(table, ids: [2, 0, 2, 4]) }
}

@Test func gradcheckActivations() {
    let x = param([3, 5], seed: 51, scale: 1.5)
    let awayFromZero = param([3, 5], seed: 52, scale: 1.5, minMagnitude: 0.05)
    let positive = param([3, 5], seed: 53, scale: 0.3, offset: 1.5, minMagnitude: 0.2)
    check("tanh", [x]) { tanh(x) }
    check("sigmoid", [x]) { sigmoid(x) }
    check("relu (inputs ≥ 0.05 from the kink)", [awayFromZero]) { relu(awayFromZero) }
    check("silu", [x]) { silu(x) }
    check("logSigmoid", [x]) { logSigmoid(x) }
    check("exp", [x]) { exp(x) }
    check("log", [positive]) { log(positive) }
}

@Test func gradcheckSoftmaxAndCrossEntropy() {
    let x = param([3, 6], seed: 61, scale: 2)
    check("softmax", [x]) { softmax(x) }
    check("logSoftmax", [x]) { logSoftmax(x) }
    check("crossEntropy", [x]) { crossEntropy(x, targets: [1, 5, 0]) }
    check("crossEntropy ignoring row 1", [x]) { crossEntropy(x, targets: [1, -100, 0], ignoreIndex: -100) }
}

@Test func gradcheckRMSNormAndRoPE() {
    let x = param([4, 6], seed: 71), g = param([6], seed: 72, scale: 0.2, offset: 1)
    check("rmsNorm (x and weight)", [x, g]) { rmsNorm(x, weight: g) }
    let q = param([2, 3, 8], seed: 73)
    check("rope [H,T,Dh] at positions 0,1,2", [q]) { rope(q, positions: [0, 1, 2]) }
    check("rope at positions 7,3,100 with θ = 500000", [q]) { rope(q, positions: [7, 3, 100], theta: 500000) }
}

@Test func gradcheckAttention() {
    let scores = param([2, 4, 4], seed: 81), wide = param([2, 2, 5], seed: 82)
    check("softmax(causalMask(s))", [scores]) { softmax(causalMask(scores)) }
    check("causalSoftmax", [scores]) { causalSoftmax(scores) }
    check("causalSoftmax with cached keys (Tq 2, Tk 5)", [wide]) { causalSoftmax(wide) }
    let x = param([3, 8], seed: 83)
    let kv = param([2, 3, 4], seed: 87)
    check("repeatKVHeads groups 3", [kv]) { repeatKVHeads(kv, groups: 3) }
    check("splitHeads then mergeHeads of a product", [x]) { mergeHeads(splitHeads(x, heads: 2) * splitHeads(x, heads: 2)) }
    let q = param([2, 4, 3], seed: 84), k = param([2, 4, 3], seed: 85), v = param([2, 4, 3], seed: 86)
    check("scaledDotProductAttention causal", [q, k, v]) { scaledDotProductAttention(q: q, k: k, v: v, causal: true) }
    check("scaledDotProductAttention full", [q, k, v]) { scaledDotProductAttention(q: q, k: k, v: v, causal: false) }
}
