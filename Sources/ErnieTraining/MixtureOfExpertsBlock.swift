// MixtureOfExpertsBlock — ERNIE-4.5's routed feed-forward block as Autograd nodes, so the tiny ERNIE MoE trains with
// the same routing the engine runs (Sources/ERNIE/ExpertRouter.swift, MixtureOfExperts.swift; transformers'
// Ernie4_5_MoeSparseMoeBlock):
//
//   z = x W_routerᵀ                     [N, E]   router logits, float32
//   p = softmax(z)                      [N, E]
//   chosen = top-k of p + b             [N, k]   b = e_score_correction_bias: it moves the CHOICE only (no gradient)
//   w_e = p_e / max(Σ_chosen p, ε)      [N, E]   0 for experts not chosen; gradients reach the router through p
//   y = Σ_{e ∈ chosen} w_e · Expert_e(x) + Shared(x)       Expert_e, Shared: SwiGLU (SwiGLU.swift)
//
// Each expert runs only on the rows that chose it (gathered with `embedding`, whose backward scatter-adds), so a
// step costs k + shared expert-widths per token, as inference does. The choice itself is a discrete function of p:
// like argmax it has no gradient; the gradient reaches the router through the weights w of the chosen experts.
// Shapes: N rows (B·T tokens), D hidden, E experts, k chosen, Fe expert width.

import Autograd
import LabCore

/// One SwiGLU's weights as Autograd parameters: gate, up [F, D], down [D, F].
struct SwiGLUParameters {
    let gate: Variable, up: Variable, down: Variable

    /// down(silu(x gateᵀ) ⊙ x upᵀ): x [n, D] → [n, D].
    func callAsFunction(_ x: Variable) -> Variable {
        linear(swiGLU(gate: linear(x, weight: gate), up: linear(x, weight: up)), weight: down)
    }
}

/// The routed block of one MoE layer.
struct MixtureOfExpertsBlock {
    /// mlp.gate.weight [E, D].
    let router: Variable
    /// mlp.moe_statics.e_score_correction_bias as [E] (not trained by gradients).
    let correctionBias: [Float]
    /// mlp.experts.{e}.*, e = 0…E−1.
    let experts: [SwiGLUParameters]
    /// mlp.shared_experts.* (width S·Fe), nil when there are none.
    let shared: SwiGLUParameters?
    let topK: Int
    let normMin: Float

    /// y [N, D] for x [N, D], and the number of rows each expert received (its load) [E].
    func callAsFunction(_ x: Variable) -> (out: Variable, load: [Int]) {
        let (N, E, k) = (x.shape[0], experts.count, topK)
        let p = softmax(linear(x, weight: router))                              // [N, E]
        let chosen = chooseExperts(p.value.data, rows: N, bias: correctionBias, topK: k)   // [N, k]
        let mix = routingWeights(p, chosen: chosen, topK: k, normMin: normMin) // [N, E], zero off the chosen
        var rows = [[Int]](repeating: [], count: E)                             // R_e: the rows that chose e
        for r in 0..<N { for j in 0..<k { rows[chosen[r * k + j]].append(r) } }
        var outputs: [Variable?] = []                                           // Expert_e(x[R_e]) [n_e, D]
        for e in 0..<E { outputs.append(rows[e].isEmpty ? nil : experts[e](embedding(x, ids: rows[e]))) }
        var y = combineExperts(outputs, rows: rows, weights: mix)               // [N, D]
        if let shared { y = y + shared(x) }                                     // unweighted, every row
        return (y, rows.map(\.count))
    }
}

/// The k experts of each row with the largest p + b, largest first, ties to the lower index (the engine's
/// `ExpertRouter.route`). p [N, E], b [E] → [N, k].
func chooseExperts(_ p: [Float], rows N: Int, bias: [Float], topK k: Int) -> [Int] {
    let E = bias.count
    var chosen = [Int](repeating: 0, count: N * k)
    var score = [Float](repeating: 0, count: E)
    for r in 0..<N {
        for e in 0..<E { score[e] = p[r * E + e] + bias[e] }
        for j in 0..<k {
            var best = -1
            for e in 0..<E where best < 0 || score[e] > score[best] { best = e }
            chosen[r * k + j] = best
            score[best] = -.infinity
        }
    }
    return chosen
}

/// w [N, E]: p of the chosen experts divided by max(S, ε) with S = Σ_chosen p, zero elsewhere.
///   ∂L/∂p_c = (g_c − Σ_{e ∈ chosen} g_e w_e) / S   for chosen c when S > ε (the quotient rule); g_c / ε otherwise.
func routingWeights(_ p: Variable, chosen: [Int], topK k: Int, normMin: Float) -> Variable {
    let (N, E) = (p.shape[0], p.shape[1])
    var w = [Float](repeating: 0, count: N * E)
    var denominators = [Float](repeating: 0, count: N)
    let pv = p.value.data
    for r in 0..<N {
        let picks = chosen[(r * k)..<((r + 1) * k)]
        let sum = picks.reduce(Float(0)) { $0 + pv[r * E + $1] }
        denominators[r] = max(sum, normMin)
        for e in picks { w[r * E + e] = pv[r * E + e] / denominators[r] }
    }
    let out = Tensor(shape: [N, E], data: w)
    return makeNode(out, op: "routingWeights", parents: [p]) { gt in
        let g = gt.data
        p.withGradBuffer { gp in
            for r in 0..<N {
                let picks = chosen[(r * k)..<((r + 1) * k)], den = denominators[r]
                let normalised = den > normMin                                  // S > ε: w depends on every chosen p
                let dot = normalised ? picks.reduce(Float(0)) { $0 + g[r * E + $1] * w[r * E + $1] } : 0
                for c in picks { gp[r * E + c] += (g[r * E + c] - dot) / den }
            }
        }
    }
}

/// y [N, D] = Σ_e w[r, e] · Y_e[i] over the rows r = R_e[i] of each expert, experts in ascending order (as the
/// engine adds them). Y_e [n_e, D] (nil when no row chose e), w [N, E].
///   ∂L/∂Y_e[i] = w[r, e] · g[r]      ∂L/∂w[r, e] = g[r] · Y_e[i]
func combineExperts(_ outputs: [Variable?], rows: [[Int]], weights w: Variable) -> Variable {
    let (N, E) = (w.shape[0], w.shape[1])
    let D = outputs.compactMap { $0 }.first?.shape[1] ?? 0
    var y = [Float](repeating: 0, count: N * D)
    let wv = w.value.data
    for e in 0..<E {
        guard let yv = outputs[e]?.value.data else { continue }
        for (i, r) in rows[e].enumerated() {
            let we = wv[r * E + e]
            for d in 0..<D { y[r * D + d] += we * yv[i * D + d] }
        }
    }
    let parents = outputs.compactMap { $0 } + [w]
    return makeNode(Tensor(shape: [N, D], data: y), op: "combineExperts", parents: parents) { gt in
        let g = gt.data
        for e in 0..<E {
            guard let ye = outputs[e] else { continue }
            let (expertRows, yv) = (rows[e], ye.value.data)
            if ye.requiresGrad {
                ye.withGradBuffer { gy in
                    for (i, r) in expertRows.enumerated() {
                        let we = wv[r * E + e]
                        for d in 0..<D { gy[i * D + d] += we * g[r * D + d] }
                    }
                }
            }
            if w.requiresGrad {
                w.withGradBuffer { gw in
                    for (i, r) in expertRows.enumerated() {
                        var dot: Float = 0
                        for d in 0..<D { dot += g[r * D + d] * yv[i * D + d] }
                        gw[r * E + e] += dot
                    }
                }
            }
        }
    }
}

/// The auxiliary-loss-free balancing of Wang et al. 2024 (https://arxiv.org/abs/2408.15664), as DeepSeek-V3 and
/// ERNIE-4.5 train with it: after each step, b_e ← b_e + γ·sign(mean load − load_e), so an expert that got fewer
/// tokens than the average is chosen more often next time and a busy one less, without a loss term that would pull
/// the router's probabilities (and so the mixing weights) away from what the model needs.
func balancedCorrectionBias(_ bias: [Float], load: [Int], rate γ: Float) -> [Float] {
    let mean = Float(load.reduce(0, +)) / Float(max(1, load.count))
    return zip(bias, load).map { b, n in
        let gap = mean - Float(n)
        return b + (gap > 0 ? γ : gap < 0 ? -γ : 0)
    }
}
