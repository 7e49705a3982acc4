// SwiGLU — the feed-forward block of every ERNIE-4.5 layer (Shazeer 2020, https://arxiv.org/abs/2002.05202).
//
//   MLP(x) = W_down · ( silu(W_gate · x) ⊙ (W_up · x) ),   silu(z) = z · σ(z) = z / (1 + e^(−z))
// The gate decides, per hidden unit, how much of the "up" projection passes; F = 3·D in the 0.3B model.
// transformers: down_proj(act_fn(gate_proj(x)) * up_proj(x)).
// Shapes: x [N, D] → gate, up [N, F] → out [N, D].
// The same block, narrower (F = moe_intermediate_size), is each expert of an MoE layer (MixtureOfExperts.swift).

import LabCore

/// The three matrices of one gated MLP: a dense layer's `mlp.*`, an expert's `mlp.experts.{e}.*`, or the shared
/// experts' `mlp.shared_experts.*`.
public struct SwiGLUWeights: @unchecked Sendable {
    /// gate_proj.weight [F, D]
    public let gate: WeightMatrix
    /// up_proj.weight [F, D]
    public let up: WeightMatrix
    /// down_proj.weight [D, F]
    public let down: WeightMatrix

    /// The three matrices, for byte counts and conversions.
    public var matrices: [WeightMatrix] { [gate, up, down] }
}

/// The gated MLP of one decoder layer (or one expert).
struct SwiGLU {
    let weights: SwiGLUWeights

    /// out = W_down(silu(W_gate x) ⊙ W_up x) for `rows` rows. x [rows, D], out [rows, D].
    func callAsFunction(_ x: UnsafePointer<Float>, rows: Int, into out: UnsafeMutablePointer<Float>) {
        Self.applyAll(x, rows: rows, blocks: [(weights, out)])
    }

    /// out_i = SwiGLU_i(x) for several gated MLPs reading the same rows x [rows, D] (one token's chosen experts and
    /// the shared experts, MixtureOfExperts.swift). All their gate and up projections go through one
    /// `WeightMatrix.applyAll`, so a decode step starts one parallel region for all of them, not one per block.
    static func applyAll(_ x: UnsafePointer<Float>, rows: Int,
                         blocks: [(weights: SwiGLUWeights, out: UnsafeMutablePointer<Float>)]) {
        let offsets = blocks.reduce(into: [0]) { $0.append($0.last! + rows * $1.weights.gate.rows) }
        let total = offsets.last!                                                // Σ rows · F_i
        let gate = UnsafeMutablePointer<Float>.allocate(capacity: total)        // [N, F_i] per block
        let up = UnsafeMutablePointer<Float>.allocate(capacity: total)          // [N, F_i] per block
        defer { gate.deallocate(); up.deallocate() }

        // gate = x W_gateᵀ, up = x W_upᵀ (one fused matvec for a single row)
        WeightMatrix.applyAll(x, count: rows, to: blocks.indices.flatMap { i in
            [(blocks[i].weights.gate, gate + offsets[i]), (blocks[i].weights.up, up + offsets[i])]
        })
        silu(count: total, x: gate, y: gate)                     // gate = silu(gate)
        for i in 0..<total { gate[i] *= up[i] }                  // gate = silu(gate) ⊙ up
        for (i, block) in blocks.enumerated() {                  // out  = gate W_downᵀ
            block.weights.down.apply(gate + offsets[i], count: rows, block.out)
        }
    }
}
