// GroupedQueryAttention — causal self-attention in which H query heads share Hkv ≤ H key/value heads.
//
// Scaled dot-product attention (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762) per query head h:
//   a_h = softmax( q_h K_jᵀ / √Dh  + causal mask ) V_j,      j = ⌊h / (H/Hkv)⌋
// Grouped-query attention (Ainslie et al. 2023, https://arxiv.org/abs/2305.13245) stores only Hkv key/value
// heads: query heads 0…G−1 read KV head 0, G…2G−1 read KV head 1, and so on (G = H/Hkv; transformers'
// repeat_kv). The 0.3B model has H = 16, Hkv = 2, Dh = 128, so its KV cache is 8× smaller than with full
// multi-head attention. With Hkv = 1 this is multi-query attention; with Hkv = H, ordinary multi-head.
// The causal mask lets the token at position p see positions 0…p only; here it is the loop bound, not −∞ entries.
// Softmax is computed in float32, as transformers' eager path does.
//
// Steps for N rows (see BatchLayout):
//   1. q = x W_qᵀ [N, H·Dh],  k = x W_kᵀ [N, Hkv·Dh],  v = x W_vᵀ [N, Hkv·Dh]
//   2. rotate q and k by their positions (RoPE.swift)
//   3. append k, v to each row's KV cache
//   4. for each row and head: scores over the cached keys 0…p, softmax, weighted sum of values
//   5. out = a W_oᵀ [N, D]

import LabCore

/// The attention block of one decoder layer.
struct GroupedQueryAttention {
    let weights: ErnieLayerWeights
    /// H, Hkv, Dh.
    let heads: Int, kvHeads: Int, headDim: Int
    let rope: RotaryEmbedding

    /// Runs attention for the rows of `layout` on the normalised input x [N, D], writing out [N, D].
    func callAsFunction(_ x: UnsafePointer<Float>, layout: BatchLayout, layer: Int, caches: inout [KVCache],
                        recorder: ErnieRecorder?, into out: UnsafeMutablePointer<Float>) {
        let N = layout.rows, H = heads, Hkv = kvHeads, Dh = headDim
        let qWidth = H * Dh, kvWidth = Hkv * Dh, group = H / Hkv
        let q = UnsafeMutablePointer<Float>.allocate(capacity: N * qWidth)     // [N, H, Dh]
        let k = UnsafeMutablePointer<Float>.allocate(capacity: N * kvWidth)    // [N, Hkv, Dh]
        let v = UnsafeMutablePointer<Float>.allocate(capacity: N * kvWidth)    // [N, Hkv, Dh]
        let a = UnsafeMutablePointer<Float>.allocate(capacity: N * qWidth)     // [N, H, Dh] attention output
        defer { q.deallocate(); k.deallocate(); v.deallocate(); a.deallocate() }

        // 1. Projections (gemm for several rows; for one row, one fused matvec over all three matrices).
        WeightMatrix.applyAll(x, count: N, to: [(weights.q, q), (weights.k, k), (weights.v, v)])

        // 2. RoPE on queries and keys, each row at its own position.
        for r in 0..<N {
            rope.apply(q + r * qWidth, heads: H, position: layout.position[r])
            rope.apply(k + r * kvWidth, heads: Hkv, position: layout.position[r])
        }

        // 3. Append this pass's keys and values to the caches, in row order (so positions line up).
        for r in 0..<N {
            let s = layout.sequence[r]
            precondition(caches[s].keys[layer].count == layout.position[r] * kvWidth,
                         "attention: row \(r) at position \(layout.position[r]) does not follow its cache")
            caches[s].append(layer: layer, key: UnsafeBufferPointer(start: k + r * kvWidth, count: kvWidth),
                             value: UnsafeBufferPointer(start: v + r * kvWidth, count: kvWidth))
        }

        // 4. Scores, softmax and weighted values for every (row, head), spread over the cores.
        let maxKeys = (layout.position.max() ?? 0) + 1
        let scale = 1 / Float(Dh).squareRoot()                                 // 1/√Dh
        // Only with a recorder: P(key | row, head) kept for it, [N, H, maxKeys], zero for masked keys.
        let probs: UnsafeMutablePointer<Float>? = recorder == nil ? nil : .allocate(capacity: N * H * maxKeys)
        probs?.initialize(repeating: 0, count: N * H * maxKeys)
        defer { probs?.deallocate() }
        let caches = caches                                                    // read-only from here (no copy)
        // A prompt's rows go through gemms (PrefillAttention.swift); otherwise (decode, beams) one (row, head) at a time.
        if !prefillAttention(q, layout: layout, layer: layer, caches: caches, probs: probs, into: a) {
            parallelFor(N * H, minChunk: max(1, 8192 / (maxKeys * Dh))) { items in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: maxKeys)
                defer { scores.deallocate() }
                for item in items {
                    let r = item / H, h = item % H, j = h / group                // KV head j serves query head h
                    let p = layout.position[r], cache = caches[layout.sequence[r]]
                    let qh = q + r * qWidth + h * Dh, ah = a + r * qWidth + h * Dh
                    cache.keys[layer].withUnsafeBufferPointer { kb in
                        let keys = kb.baseAddress! + j * Dh
                        // scores[s] = q·k_s / √Dh for s = 0…p (the causal mask: later keys are never read)
                        for s in 0...p { scores[s] = dot(qh, keys + s * kvWidth, count: Dh) * scale }
                    }
                    softmax(rows: 1, cols: p + 1, x: scores, y: scores)
                    // a_h = Σ_s P(s) · v_s
                    ah.update(repeating: 0, count: Dh)
                    cache.values[layer].withUnsafeBufferPointer { vb in
                        let values = vb.baseAddress! + j * Dh
                        for s in 0...p { axpy(scores[s], values + s * kvWidth, into: ah, count: Dh) }
                    }
                    probs.map { ($0 + item * maxKeys).update(from: scores, count: p + 1) }
                }
            }
        }
        if let recorder, let probs {
            recorder.attention.append(AttentionWeights(
                rows: N, heads: H, keys: maxKeys, data: Array(UnsafeBufferPointer(start: probs, count: N * H * maxKeys))))
        }

        // 5. Output projection back to the residual width.
        weights.o.apply(a, count: N, out)
    }
}
