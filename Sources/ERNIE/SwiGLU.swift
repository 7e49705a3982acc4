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
        let F = weights.gate.rows
        let gate = UnsafeMutablePointer<Float>.allocate(capacity: rows * F)     // [N, F]
        let up = UnsafeMutablePointer<Float>.allocate(capacity: rows * F)       // [N, F]
        defer { gate.deallocate(); up.deallocate() }

        // gate = x W_gateᵀ, up = x W_upᵀ (one fused matvec for a single row)
        WeightMatrix.applyAll(x, count: rows, to: [(weights.gate, gate), (weights.up, up)])
        silu(count: rows * F, x: gate, y: gate)                  // gate = silu(gate)
        for i in 0..<(rows * F) { gate[i] *= up[i] }             // gate = silu(gate) ⊙ up
        weights.down.apply(gate, count: rows, out)               // out  = gate W_downᵀ
    }
}
