// ExpertRouter — which k of the E experts each token is sent to, and with what weight: the routing of ERNIE-4.5's
// MoE layers, as transformers' Ernie4_5_MoeSparseMoeBlock computes it.
//
//   z = x · W_routerᵀ                          [N, E]  router logits, float32 (transformers keeps the router in f32)
//   p = softmax(z)                             [N, E]  the router's probability for each expert
//   chosen = the k largest of p + b            [N, k]  b = e_score_correction_bias, used ONLY to choose
//   w_e = p_e / max(Σ_{c ∈ chosen} p_c, norm_min)      the uncorrected probabilities of the chosen, renormalised
// The bias is the auxiliary-loss-free load balancing of Wang et al. 2024 (https://arxiv.org/abs/2408.15664): during
// training it is raised for experts that get too few tokens and lowered for busy ones, which moves the choice
// without distorting the mixing weights. Ties in p + b go to the lower expert index (as argmax does).
// Shapes: N rows, D hidden, E experts, k chosen per row.

import LabCore

/// The routing decision for the rows of one forward pass through one MoE layer.
public struct ExpertRouting: Sendable, Equatable {
    /// N rows, k experts chosen per row, E experts.
    public let rows: Int, k: Int, experts: Int
    /// p [N, E]: softmax of the router logits.
    public let probabilities: [Float]
    /// [N, k]: the chosen experts of each row, the largest p + b first.
    public let chosen: [Int]
    /// [N, k]: their mixing weights w (sum 1 per row unless Σp < norm_min).
    public let weights: [Float]

    /// The chosen experts of row r.
    public func chosen(row r: Int) -> ArraySlice<Int> { chosen[(r * k)..<((r + 1) * k)] }
    /// The weights of row r's chosen experts.
    public func weights(row r: Int) -> ArraySlice<Float> { weights[(r * k)..<((r + 1) * k)] }

    /// The k experts row r would have chosen without the correction bias: the k largest p, largest first.
    public func unbiasedChoice(row r: Int) -> [Int] {
        let p = probabilities[(r * experts)..<((r + 1) * experts)]
        return Array(p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(k).map { $0 - r * experts })
    }

    /// Tokens per expert: how many rows chose each of the E experts.
    public var load: [Int] {
        var counts = [Int](repeating: 0, count: experts)
        for e in chosen { counts[e] += 1 }
        return counts
    }
}

enum ExpertRouter {
    /// Routes the rows of x [N, D] through `weights`' router.
    static func route(_ x: UnsafePointer<Float>, rows N: Int, width D: Int, weights: MoEWeights,
                      topK k: Int, normMin: Float) -> ExpertRouting {
        let E = weights.correctionBias.count
        var p = [Float](repeating: 0, count: N * E)                          // [N, E]
        var chosen = [Int](repeating: 0, count: N * k)                       // [N, k]
        var mix = [Float](repeating: 0, count: N * k)                        // [N, k]
        p.withUnsafeMutableBufferPointer { pb in
            let p = pb.baseAddress!
            weights.router.withUnsafeBufferPointer { w in                    // z = x W_routerᵀ
                gemm(transA: false, transB: true, m: N, n: E, k: D, a: x, lda: D, b: w.baseAddress!, ldb: D,
                     c: p, ldc: E, accumulate: false)
            }
            softmax(rows: N, cols: E, x: p, y: p)                            // p = softmax(z)
            var score = [Float](repeating: 0, count: E)
            for r in 0..<N {
                let row = p + r * E
                for e in 0..<E { score[e] = row[e] + weights.correctionBias[e] }      // p + b, for choosing only
                var sum: Float = 0
                for j in 0..<k {                                              // k rounds of argmax (k ≤ E is small)
                    var best = -1
                    for e in 0..<E where best < 0 || score[e] > score[best] { best = e }
                    chosen[r * k + j] = best
                    score[best] = -.infinity
                    sum += row[best]
                }
                let denominator = max(sum, normMin)                           // w = p / max(Σ p_chosen, norm_min)
                for j in 0..<k { mix[r * k + j] = row[chosen[r * k + j]] / denominator }
            }
        }
        return ExpertRouting(rows: N, k: k, experts: E, probabilities: p, chosen: chosen, weights: mix)
    }
}
