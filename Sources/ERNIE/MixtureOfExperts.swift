// MixtureOfExperts — the feed-forward block of an ERNIE-4.5 MoE layer: E narrow SwiGLU experts, of which a router
// picks k per token, plus shared experts that every token passes through (Shazeer et al. 2017,
// https://arxiv.org/abs/1701.06538; Fedus et al. 2021 for top-k routing at scale; DeepSeekMoE, Dai et al. 2024,
// https://arxiv.org/abs/2401.06066, for shared experts).
//
//   MoE(x) = Σ_{e ∈ chosen(x)} w_e(x) · Expert_e(x)  +  Shared(x)          Expert_e, Shared: SwiGLU (DecoderLayer.swift)
// The router (ExpertRouter.swift) gives chosen(x) and w(x). transformers' Ernie4_5_MoeSparseMoeBlock adds the experts
// in ascending expert order, then the shared output; so does this.
// ERNIE-4.5-21B-A3B: E = 64, k = 6, Fe = 1536, shared width 2·1536: a token reads 6 + 2 of 66 expert-widths of FFN
// weights, which is how a 21B-parameter model costs about 3B parameters per token.
//
// Compute grouped by expert, never per (token, expert) pair (one row, a decode step, fuses the chosen experts' and
// the shared experts' gate/up projections into one parallel matvec instead):
//   1. route the N rows                              → for each expert e, the rows that chose it (R_e) and their w
//   2. for each expert with R_e non-empty: gather X[R_e] [n_e, D], Y = Expert_e(X[R_e]) [n_e, D], out[R_e] += w·Y
//   3. out += Shared(X) over all N rows
// A decode step (N = 1) therefore reads only the k chosen experts' weights (matrix–vector products); beams read
// each chosen expert once for all beams that chose it (batched matvec); a prompt runs one gemm per expert over its
// n_e rows. The naive twin (MixtureOfExpertsNaive.swift) computes every expert on every row and masks.

import LabCore

/// The weights of one MoE layer's feed-forward block.
public struct MoEWeights: @unchecked Sendable {
    /// model.layers.{i}.mlp.gate.weight [E, D]: the router, widened to Float once (it is small).
    public let router: [Float]
    /// model.layers.{i}.mlp.moe_statics.e_score_correction_bias [1, E], as [E].
    public let correctionBias: [Float]
    /// model.layers.{i}.mlp.experts.{e}.* for e = 0…E−1 ([Fe, D], [Fe, D], [D, Fe]).
    public let experts: [SwiGLUWeights]
    /// model.layers.{i}.mlp.shared_experts.* ([S·Fe, D], …), nil when moe_num_shared_experts is 0.
    public let shared: SwiGLUWeights?

    public init(router: [Float], correctionBias: [Float], experts: [SwiGLUWeights], shared: SwiGLUWeights?) {
        precondition(router.count == correctionBias.count * (experts.first?.gate.cols ?? 0)
                     && experts.count == correctionBias.count, "MoEWeights: router, bias and experts disagree")
        self.router = router; self.correctionBias = correctionBias; self.experts = experts; self.shared = shared
    }
}

/// The feed-forward weights of one decoder layer.
public enum FeedForwardWeights: @unchecked Sendable {
    /// model.layers.{i}.mlp.{gate,up,down}_proj: one SwiGLU of width F.
    case dense(SwiGLUWeights)
    /// A router, its correction bias, E experts and the shared experts.
    case routed(MoEWeights)

    /// The SwiGLU of a dense layer; nil for an MoE layer.
    public var dense: SwiGLUWeights? {
        if case .dense(let w) = self { return w } else { return nil }
    }

    /// Every matrix of the block (for sizes and conversions).
    public var matrices: [WeightMatrix] {
        switch self {
        case .dense(let w): return w.matrices
        case .routed(let m): return m.experts.flatMap(\.matrices) + (m.shared?.matrices ?? [])
        }
    }

    /// Bytes a one-token step reads: the whole dense block, or the router, the shared experts and `topK` experts.
    public func bytesPerToken(topK: Int) -> Int {
        switch self {
        case .dense(let w): return w.matrices.reduce(0) { $0 + $1.byteCount }
        case .routed(let m):
            let expert = m.experts.first.map { $0.matrices.reduce(0) { $0 + $1.byteCount } } ?? 0
            return 4 * m.router.count + topK * expert + (m.shared?.matrices.reduce(0) { $0 + $1.byteCount } ?? 0)
        }
    }
}

/// The routed feed-forward block of one MoE layer.
struct MixtureOfExperts {
    let weights: MoEWeights
    /// k: `moe_k`.
    let topK: Int
    /// `moe_norm_min`.
    let normMin: Float

    /// out = Σ_chosen w_e · Expert_e(x) + Shared(x) for `rows` rows; x [N, D], out [N, D]. Returns the routing.
    /// `scratch` (the layer pass's buffers) lends the experts' gate and up buffers.
    @discardableResult
    func callAsFunction(_ x: UnsafePointer<Float>, rows N: Int, into out: UnsafeMutablePointer<Float>,
                        scratch: LayerScratch? = nil) -> ExpertRouting {
        let D = weights.experts[0].down.rows, k = topK
        // 1. Route, then list each expert's rows (in row order) with their weights.
        let routing = ExpertRouter.route(x, rows: N, width: D, weights: weights, topK: k, normMin: normMin)
        if N == 1 { decodeStep(x, routing: routing, into: out); return routing }
        var members = [[(row: Int, weight: Float)]](repeating: [], count: weights.experts.count)
        for r in 0..<N {
            for j in 0..<k { members[routing.chosen[r * k + j]].append((r, routing.weights[r * k + j])) }
        }

        let xs = UnsafeMutablePointer<Float>.allocate(capacity: N * D)      // [n_e, D] the rows of one expert
        let ys = UnsafeMutablePointer<Float>.allocate(capacity: N * D)      // [n_e, D] its outputs
        defer { xs.deallocate(); ys.deallocate() }
        out.update(repeating: 0, count: N * D)
        // 2. Expert by expert, ascending: gather its rows, one pass over its weights, out[R_e] += w · Expert_e(X[R_e]).
        for (e, rows) in members.enumerated() where !rows.isEmpty {
            for (i, member) in rows.enumerated() { (xs + i * D).update(from: x + member.row * D, count: D) }
            swiGLU(xs, rows: rows.count, blocks: [(weights.experts[e], ys)], scratch: scratch)
            for (i, member) in rows.enumerated() { axpy(member.weight, ys + i * D, into: out + member.row * D, count: D) }
        }
        // 3. The shared experts, unweighted, on every row.
        if let shared = weights.shared {
            swiGLU(x, rows: N, blocks: [(shared, ys)], scratch: scratch)
            for i in 0..<(N * D) { out[i] += ys[i] }
        }
        return routing
    }

    /// One row (a decode step): the k chosen experts and the shared experts read the same x, so their gate and up
    /// projections run as one fused matvec (`swiGLU`); then out = Σ w_e·y_e (ascending e) + shared.
    private func decodeStep(_ x: UnsafePointer<Float>, routing: ExpertRouting, into out: UnsafeMutablePointer<Float>) {
        let D = weights.experts[0].down.rows
        let chosen = zip(routing.chosen(row: 0), routing.weights(row: 0)).sorted { $0.0 < $1.0 }
        let blocks = chosen.map { weights.experts[$0.0] } + (weights.shared.map { [$0] } ?? [])
        let ys = UnsafeMutablePointer<Float>.allocate(capacity: blocks.count * D)   // [blocks, D]
        defer { ys.deallocate() }
        swiGLU(x, rows: 1, blocks: blocks.enumerated().map { ($1, ys + $0 * D) })
        out.update(repeating: 0, count: D)
        for (j, (_, w)) in chosen.enumerated() { axpy(w, ys + j * D, into: out, count: D) }
        if weights.shared != nil { for d in 0..<D { out[d] += ys[chosen.count * D + d] } }
    }
}
