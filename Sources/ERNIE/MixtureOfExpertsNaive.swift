// MixtureOfExpertsNaive — the reference twin of MixtureOfExperts: the same block written the plain way, so the fast
// one (grouped rows, gemm per expert, only the chosen experts read) can be tested against it.
//
// For every row: router logits by dot products, softmax in Double, the experts sorted by p + b (ties to the lower
// index), weights for the first k; then EVERY expert is computed on the row and multiplied by its mask weight
// (0 for an expert not chosen), element by element through `WeightMatrix.element`, and the shared experts are added.
// Slow (E times the work of the fast path, no SIMD): for tests on small shapes only.

import LabCore

/// out [N, D] = Σ_e m_e · Expert_e(x) + Shared(x), with m_e the mixing weight of expert e (0 unless chosen).
/// Also returns the chosen experts [N, k] in the order of p + b.
func mixtureOfExpertsNaive(_ x: [Float], rows N: Int, weights: MoEWeights, topK k: Int,
                           normMin: Float) -> (out: [Float], chosen: [Int]) {
    let E = weights.experts.count, D = x.count / max(N, 1)
    var out = [Float](repeating: 0, count: N * D), chosenAll: [Int] = []
    for r in 0..<N {
        let row = Array(x[(r * D)..<((r + 1) * D)])
        var logits = [Float](repeating: 0, count: E), p = [Float](repeating: 0, count: E)
        for e in 0..<E {
            logits[e] = weights.router.withUnsafeBufferPointer { w in
                row.withUnsafeBufferPointer { dotNaive(w.baseAddress! + e * D, $0.baseAddress!, count: D) }
            }
        }
        softmaxNaive(rows: 1, cols: E, x: logits, y: &p)
        let order = (0..<E).sorted { a, b in
            let sa = p[a] + weights.correctionBias[a], sb = p[b] + weights.correctionBias[b]
            return sa != sb ? sa > sb : a < b
        }
        let chosen = Array(order.prefix(k))
        chosenAll += chosen
        let total = chosen.reduce(Float(0)) { $0 + p[$1] }
        var mask = [Float](repeating: 0, count: E)
        for e in chosen { mask[e] = p[e] / max(total, normMin) }
        for e in 0..<E {                                                     // every expert, masked
            let y = swiGLUNaive(row, weights.experts[e])
            for d in 0..<D { out[r * D + d] += mask[e] * y[d] }
        }
        if let shared = weights.shared {
            let y = swiGLUNaive(row, shared)
            for d in 0..<D { out[r * D + d] += y[d] }
        }
    }
    return (out, chosenAll)
}

/// down(silu(gate·x) ⊙ up·x) for one row, element by element. x [D] → [D].
func swiGLUNaive(_ x: [Float], _ w: SwiGLUWeights) -> [Float] {
    func apply(_ m: WeightMatrix, _ v: [Float]) -> [Float] {
        (0..<m.rows).map { r in (0..<m.cols).reduce(Float(0)) { $0 + m.element(r, $1) * v[$1] } }
    }
    let gate = apply(w.gate, x), up = apply(w.up, x)
    var activated = [Float](repeating: 0, count: gate.count)
    siluNaive(count: gate.count, x: gate, y: &activated)
    return apply(w.down, zip(activated, up).map { $0 * $1 })
}
