// GroupedQueryAttention — step 5 of DecoderLayer: causal self-attention in which H query heads share Hkv ≤ H
// key/value heads, over the keys and values already in the KV cache.
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
// Two ways, same arithmetic summed in another order (tests hold both to transformers at 1e-4):
//   one (row, head) at a time   scores = q·k_s/√Dh for s = 0…p, softmax, a = Σ_s P(s)·v_s   (decode, beams;
//                               LabCore's dotRows and weightedRowSum)
//   a prompt's rows as gemms    per head and block of 64 rows:                              (prefill)
//                                 S = Q_h[r0..<r1] · K_jᵀ / √Dh   [rows, keys]   one gemm
//                                 P = softmax of each row of S over keys 0 … p0+r, zero beyond
//                                 A_h[r0..<r1] = P · V_j          [rows, Dh]     one gemm
// Blocks of 64 rows keep the wasted upper triangle small. Work is spread over the cores by (row, head) or by
// (head, row block); each gemm runs on its worker's thread.

import LabCore

/// Rows per block of the prefill score matrix.
let prefillRowBlock = 64

/// a [N, H·Dh] = attention of the queries q [N, H·Dh] (RoPE applied) over `caches`, which already hold this pass's
/// keys and values for `layer`. With a recorder, P(key | row, head) [N, H, keys] is appended to it.
func groupedQueryAttention(_ q: UnsafePointer<Float>, layout: BatchLayout, layer: Int, caches: [KVCache],
                           heads H: Int, kvHeads Hkv: Int, headDim Dh: Int, recorder: ErnieRecorder?,
                           into a: UnsafeMutablePointer<Float>) {
    let N = layout.rows, qWidth = H * Dh, kvWidth = Hkv * Dh, group = H / Hkv
    let maxKeys = (layout.position.max() ?? 0) + 1
    let scale = 1 / Float(Dh).squareRoot()                                     // 1/√Dh
    // Only with a recorder: P(key | row, head) kept for it, [N, H, maxKeys], zero for masked keys.
    let probs: UnsafeMutablePointer<Float>? = recorder == nil ? nil : .allocate(capacity: N * H * maxKeys)
    probs?.initialize(repeating: 0, count: N * H * maxKeys)
    defer { probs?.deallocate() }

    if !prefillAttention(q, layout: layout, layer: layer, caches: caches, heads: H, kvHeads: Hkv, headDim: Dh,
                         probs: probs, into: a) {
        parallelFor(N * H, minChunk: max(1, 8192 / (maxKeys * Dh))) { items in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: maxKeys)
            defer { scores.deallocate() }
            for item in items {
                let r = item / H, h = item % H, j = h / group                    // KV head j serves query head h
                let p = layout.position[r], cache = caches[layout.sequence[r]]
                let qh = q + r * qWidth + h * Dh, ah = a + r * qWidth + h * Dh
                cache.keys[layer].withUnsafeBufferPointer { kb in
                    // scores[s] = q·k_s / √Dh for s = 0…p (the causal mask: later keys are never read)
                    dotRows(qh, kb.baseAddress! + j * Dh, stride: kvWidth, count: p + 1, width: Dh, scale: scale,
                            into: scores)
                }
                softmax(rows: 1, cols: p + 1, x: scores, y: scores)
                cache.values[layer].withUnsafeBufferPointer { vb in                // a_h = Σ_s P(s) · v_s
                    weightedRowSum(scores, vb.baseAddress! + j * Dh, stride: kvWidth, count: p + 1, width: Dh, into: ah)
                }
                probs.map { ($0 + item * maxKeys).update(from: scores, count: p + 1) }
            }
        }
    }
    if let recorder, let probs {
        recorder.attention.append(AttentionWeights(
            rows: N, heads: H, keys: maxKeys, data: Array(UnsafeBufferPointer(start: probs, count: N * H * maxKeys))))
    }
}

/// The prefill way: writes a [N, H·Dh] when the rows are N > 16 consecutive positions p0, p0+1, … of one sequence
/// whose keys and values (this pass's included) are in `caches`; returns false, writing nothing, otherwise.
/// With `probs` (the recorder's [N, H, p0+N], zero-filled) the attention weights P are copied there too.
private func prefillAttention(_ q: UnsafePointer<Float>, layout: BatchLayout, layer: Int, caches: [KVCache],
                              heads H: Int, kvHeads Hkv: Int, headDim Dh: Int,
                              probs: UnsafeMutablePointer<Float>?, into a: UnsafeMutablePointer<Float>) -> Bool {
    let N = layout.rows
    guard N > WeightMatrix.batchedMatvecMaxRows, let s0 = layout.sequence.first else { return false }
    let p0 = layout.position[0]
    for r in 0..<N where layout.sequence[r] != s0 || layout.position[r] != p0 + r { return false }
    let qWidth = H * Dh, kvWidth = Hkv * Dh, group = H / Hkv
    let cache = caches[s0]
    guard cache.keys[layer].count == (p0 + N) * kvWidth else { return false }
    let scale = 1 / Float(Dh).squareRoot()
    let block = prefillRowBlock, blocks = (N + block - 1) / block
    cache.keys[layer].withUnsafeBufferPointer { kb in
        cache.values[layer].withUnsafeBufferPointer { vb in
            let keys = kb.baseAddress!, values = vb.baseAddress!
            parallelFor(H * blocks) { items in
                let scores = UnsafeMutablePointer<Float>.allocate(capacity: block * (p0 + N))
                defer { scores.deallocate() }
                for item in items {
                    let h = item / blocks, b = item % blocks, j = h / group
                    let r0 = b * block, rows = min(block, N - r0), nk = p0 + r0 + rows
                    // S = Q_h · K_jᵀ  [rows, nk]
                    gemm(transA: false, transB: true, m: rows, n: nk, k: Dh, a: q + r0 * qWidth + h * Dh,
                         lda: qWidth, b: keys + j * Dh, ldb: kvWidth, c: scores, ldc: nk, accumulate: false,
                         threads: 1)
                    for i in 0..<rows {
                        let row = scores + i * nk, visible = p0 + r0 + i + 1
                        softmaxInPlace(row, count: visible, scale: scale)    // P = softmax(S/√Dh), keys 0…p
                        if visible < nk { (row + visible).update(repeating: 0, count: nk - visible) }
                        probs.map { ($0 + ((r0 + i) * H + h) * (p0 + N)).update(from: row, count: visible) }
                    }
                    // A_h = P · V_j  [rows, Dh]
                    gemm(transA: false, transB: false, m: rows, n: Dh, k: nk, a: scores, lda: nk,
                         b: values + j * Dh, ldb: kvWidth, c: a + r0 * qWidth + h * Dh, ldc: qWidth,
                         accumulate: false, threads: 1)
                }
            }
        }
    }
    return true
}
