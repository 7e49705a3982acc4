// DecoderLayer — one of ERNIE-4.5's pre-norm transformer blocks (18 in the 0.3B model, 28 in 21B-A3B), top to
// bottom in one function, as llama2.c's forward() (shared/ERNIE45.md §2; transformers' Ernie4_5DecoderLayer):
//
//    1. x = RMSNorm(h) ⊙ g_in                      y = x / √(mean(x²) + ε) ⊙ g      (Zhang & Sennrich 2019)
//    2. q = x W_qᵀ, k = x W_kᵀ, v = x W_vᵀ          [N, H·Dh], [N, Hkv·Dh], [N, Hkv·Dh]
//    3. rotate q and k by their positions          RoPE, interleaved pairs (2i, 2i+1)    (Su et al. 2021)
//    4. append k, v to each row's KV cache         (KVCache.swift)
//    5. a = softmax(q Kᵀ / √Dh + causal mask) V    grouped-query attention (GroupedQueryAttention.swift)
//    6. y = a W_oᵀ                                 [N, D]
//    7. h = h + y                                  the residual
//    8. x = RMSNorm(h) ⊙ g_post
//    9. y = SwiGLU(x) = W_down(silu(W_gate x) ⊙ W_up x)             a dense layer        (Shazeer 2020)
//       y = Σ_chosen w_e·SwiGLU_e(x) + Shared(x)                      an MoE layer (MixtureOfExperts.swift)
//   10. h = h + y
//
// Each sub-block reads a normalised copy of the residual stream h and adds its result back (pre-norm, as in
// Llama; the residual path itself is never normalised, which keeps deep stacks trainable). An MoE checkpoint mixes
// both kinds of layer: ERNIE-4.5-21B-A3B keeps layer 0 dense (ERNIEMoEConfig.isMoELayer).
// Every step is a LabCore kernel: `rmsNorm`, the weight products of WeightMatrix.swift (one fused matvec for the
// matrices that read the same row), `ropeInterleaved`, `softmax`/`dot`/`axpy`, `silu`. All arithmetic is float32
// from weights kept as stored, which is what transformers computes in float32 on the same weights.
//
// Shape legend: N rows in this pass (BatchLayout.swift: a prompt's tokens, or one token per beam), D hidden,
// H/Hkv query/KV heads, Dh head dim, F FFN width.

import LabCore
import ModelFiles

/// The feed-forward sub-block of a layer (step 9).
enum FeedForward {
    /// One SwiGLU that every token passes through: model.layers.{i}.mlp.{gate,up,down}_proj.
    case dense(SwiGLUWeights)
    /// k of E SwiGLU experts per token, chosen by a router, plus the shared experts.
    case routed(MixtureOfExperts)
}

/// One decoder block: attention then the feed-forward block, each with its own RMSNorm and residual connection.
struct DecoderLayer {
    let index: Int
    let weights: ErnieLayerWeights
    /// H, Hkv, Dh: config.json's num_attention_heads, num_key_value_heads, head_dim.
    let heads: Int, kvHeads: Int, headDim: Int
    /// ε: rms_norm_eps.
    let epsilon: Float
    /// θ: rope_theta (500 000 for ERNIE-4.5).
    let ropeTheta: Float
    let feedForward: FeedForward

    /// Updates the residual stream h [N, D] in place for the rows of `layout`, appending their keys and values to
    /// `caches` (the caller commits them once every layer has run). `scratch` holds this pass's buffers (N rows).
    func callAsFunction(_ h: UnsafeMutablePointer<Float>, width D: Int, layout: BatchLayout,
                        caches: inout [KVCache], scratch: LayerScratch, recorder: ErnieRecorder?) {
        let N = layout.rows, H = heads, Hkv = kvHeads, Dh = headDim
        let qWidth = H * Dh, kvWidth = Hkv * Dh
        precondition(N <= scratch.rows, "layer \(index): \(N) rows in a scratch of \(scratch.rows)")
        let x = scratch.x                                                    // [N, D] normalised residual
        let y = scratch.y                                                    // [N, D] a sub-block's output

        // ---- attention ----
        // 1. x = RMSNorm(h) with model.layers.{i}.input_layernorm.weight
        weights.inputNorm.withUnsafeBufferPointer { g in
            rmsNorm(rows: N, cols: D, x: h, gain: g.baseAddress!, epsilon: epsilon, y: x)
        }

        let q = scratch.q                                                    // [N, H, Dh]
        let k = scratch.k                                                    // [N, Hkv, Dh]
        let v = scratch.v                                                    // [N, Hkv, Dh]
        let a = scratch.a                                                    // [N, H, Dh] attention output

        // 2. q = x W_qᵀ, k = x W_kᵀ, v = x W_vᵀ: a gemm each for several rows; for one row, one fused matvec over
        //    all three matrices (WeightMatrix.applyAll).
        WeightMatrix.applyAll(x, count: N, to: [(weights.q, q), (weights.k, k), (weights.v, v)])

        // 3. RoPE on queries and keys, each row at its own position. ERNIE rotates ADJACENT pairs (2i, 2i+1) by
        //    p·θ^(−2i/Dh) — GPT-J style, not Llama's halves (i, i + Dh/2); the half-split version runs but writes
        //    nonsense (shared/ERNIE45.md §3). The loop is LabCore's `ropeInterleaved` (naive twin beside it).
        for r in 0..<N {
            let p = layout.position[r]
            ropeInterleaved(q + r * qWidth, tokens: 1, heads: H, headDim: Dh, startPosition: p, theta: ropeTheta)
            ropeInterleaved(k + r * kvWidth, tokens: 1, heads: Hkv, headDim: Dh, startPosition: p, theta: ropeTheta)
        }

        // 4. Append this pass's keys and values to the caches, in row order (so positions line up).
        for r in 0..<N {
            let s = layout.sequence[r]
            precondition(caches[s].keys[index].count == layout.position[r] * kvWidth,
                         "attention: row \(r) at position \(layout.position[r]) does not follow its cache")
            caches[s].append(layer: index, key: UnsafeBufferPointer(start: k + r * kvWidth, count: kvWidth),
                             value: UnsafeBufferPointer(start: v + r * kvWidth, count: kvWidth))
        }

        // 5. a = softmax(q Kᵀ/√Dh) V per query head over the keys 0…p its row may see; query head h reads KV head
        //    ⌊h / (H/Hkv)⌋. A prompt's rows go through gemms, a decode step one (row, head) at a time.
        groupedQueryAttention(q, layout: layout, layer: index, caches: caches,
                              heads: H, kvHeads: Hkv, headDim: Dh, recorder: recorder, into: a)

        // 6. y = a W_oᵀ, back to the residual width.
        weights.o.apply(a, count: N, y)

        // 7. h = h + Attention(x)
        for i in 0..<(N * D) { h[i] += y[i] }

        // ---- feed-forward ----
        // 8. x = RMSNorm(h) with model.layers.{i}.post_attention_layernorm.weight
        weights.postAttentionNorm.withUnsafeBufferPointer { g in
            rmsNorm(rows: N, cols: D, x: h, gain: g.baseAddress!, epsilon: epsilon, y: x)
        }

        // 9. y = SwiGLU(x), or the routed experts.
        switch feedForward {
        case .dense(let mlp):
            swiGLU(x, rows: N, blocks: [(mlp, y)], scratch: scratch)
            recorder?.routing.append(nil)
        case .routed(let experts):
            let routing = experts(x, rows: N, into: y, scratch: scratch)     // y = Σ_chosen w_e·Expert_e(x) + Shared(x)
            recorder?.routing.append(routing)
        }

        // 10. h = h + FFN(x)
        for i in 0..<(N * D) { h[i] += y[i] }
    }
}

/// Step 9, SwiGLU (Shazeer 2020, https://arxiv.org/abs/2002.05202), for one or several gated MLPs reading the same
/// rows x [rows, D]:
///   out_i = W_down,i · ( silu(W_gate,i · x) ⊙ (W_up,i · x) ),   silu(z) = z · σ(z) = z / (1 + e^(−z))
/// The gate decides, per hidden unit, how much of the "up" projection passes; F = 3·D in the 0.3B model.
/// transformers: down_proj(act_fn(gate_proj(x)) * up_proj(x)). Shapes: x [rows, D] → gate, up [rows, F_i] → out_i
/// [rows, D]. A dense layer passes one block; an MoE decode step passes its chosen experts and the shared experts
/// (MixtureOfExperts.swift), whose gate and up projections then share one fused matvec (one parallel region).
/// `scratch`, when given and large enough, holds gate and up; otherwise they are allocated for this call.
func swiGLU(_ x: UnsafePointer<Float>, rows: Int,
            blocks: [(weights: SwiGLUWeights, out: UnsafeMutablePointer<Float>)], scratch: LayerScratch? = nil) {
    let offsets = blocks.reduce(into: [0]) { $0.append($0.last! + rows * $1.weights.gate.rows) }
    let total = offsets.last!                                                // Σ rows · F_i
    let borrowed = scratch.flatMap { total <= $0.ffnCapacity ? $0 : nil }
    let gate = borrowed?.gate ?? .allocate(capacity: total)                 // [rows, F_i] per block
    let up = borrowed?.up ?? .allocate(capacity: total)                     // [rows, F_i] per block
    defer { if borrowed == nil { gate.deallocate(); up.deallocate() } }

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

/// The buffers a layer pass writes (x, y, q, k, v, a and a dense FFN's gate and up), allocated once per forward
/// pass for its N rows and used by every layer in turn. Allocating them per layer cost prefill ~9 %: each buffer of a
/// 512-token pass is megabytes, which malloc maps from the kernel and unmaps at every free, so every layer faulted
/// its pages in again (`bench prefill --random-0.3b`, docs/PERFORMANCE.md).
final class LayerScratch {
    let rows: Int
    let x, y, q, k, v, a, gate, up: UnsafeMutablePointer<Float>
    /// Floats in `gate` and in `up`: rows × the dense FFN width.
    let ffnCapacity: Int

    init(rows N: Int, config: ERNIEConfig) {
        let D = config.hiddenSize, qWidth = config.numAttentionHeads * config.headDim
        let kvWidth = config.numKeyValueHeads * config.headDim
        rows = N
        ffnCapacity = N * config.intermediateSize
        x = .allocate(capacity: N * D); y = .allocate(capacity: N * D)
        q = .allocate(capacity: N * qWidth); a = .allocate(capacity: N * qWidth)
        k = .allocate(capacity: N * kvWidth); v = .allocate(capacity: N * kvWidth)
        gate = .allocate(capacity: ffnCapacity); up = .allocate(capacity: ffnCapacity)
    }

    deinit {
        for p in [x, y, q, k, v, a, gate, up] { p.deallocate() }
    }
}
