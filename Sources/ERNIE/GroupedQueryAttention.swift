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
//                               LabCore's dotRows and weightedRowSum, a KV head's G query heads together)
//   a prompt's rows as gemms    per head and block of 48 rows:                              (prefill)
//                                 S = Q_h[r0..<r1] · K_jᵀ / √Dh   [rows, keys]   one gemm
//                                 P = softmax of each row of S over keys 0 … p0+r, zero beyond
//                                 A_h[r0..<r1] = P · V_j          [rows, Dh]     one gemm
// Each KV head's Kᵀ and V are packed for gemm once per layer and shared by its G query heads and every block
// (`GemmPackedB`); the gemms skip the tiles of S right of the causal diagonal and the zero keys of P beyond it,
// 12 rows (gemm's register tile) at a time, so the masked triangle costs about one tile per strip. Blocks are a
// multiple of those 12 rows. Work is spread over the cores by (row, KV head) or by (head, row block); each gemm runs
// on its worker's thread.

import LabCore

/// Rows per block of the prefill score matrix: 4 of gemm's 12-row strips (a [48, keys] score block per worker).
let prefillRowBlock = 48

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
        // An item is a row and G/parts query heads of one KV head: the whole group, unless that leaves cores idle.
        let parts = (1...group).first { group % $0 == 0 && N * Hkv * $0 >= labThreadCount } ?? group, G = group / parts
        parallelFor(N * Hkv * parts, minChunk: max(1, 8192 / (G * maxKeys * Dh))) { items in
            let scores = UnsafeMutablePointer<Float>.allocate(capacity: G * maxKeys)        // [G, keys]
            defer { scores.deallocate() }
            for item in items {
                let r = item / (Hkv * parts), j = item % (Hkv * parts) / parts     // KV head j serves heads h0 ..< h0+G
                let h0 = j * group + item % parts * G
                let p = layout.position[r], cache = caches[layout.sequence[r]], keys = p + 1
                let qh = q + r * qWidth + h0 * Dh, ah = a + r * qWidth + h0 * Dh   // the G heads' [G, Dh] slices
                cache.keys[layer].withUnsafeBufferPointer { kb in
                    // scores[g, s] = q_g·k_s / √Dh for s = 0…p (the causal mask: later keys are never read)
                    dotRows(qh, kb.baseAddress! + j * Dh, stride: kvWidth, count: keys, width: Dh, scale: scale,
                            into: scores, queries: G)
                }
                softmax(rows: G, cols: keys, x: scores, y: scores)
                cache.values[layer].withUnsafeBufferPointer { vb in                // a_g = Σ_s P_g(s) · v_s
                    weightedRowSum(scores, vb.baseAddress! + j * Dh, stride: kvWidth, count: keys, width: Dh,
                                   into: ah, queries: G)
                }
                for g in 0..<G {
                    probs.map { ($0 + (r * H + h0 + g) * maxKeys).update(from: scores + g * keys, count: keys) }
                }
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
    let qWidth = H * Dh, kvWidth = Hkv * Dh, group = H / Hkv, T = p0 + N
    let cache = caches[s0]
    guard cache.keys[layer].count == T * kvWidth else { return false }
    let scale = 1 / Float(Dh).squareRoot()
    let block = prefillRowBlock, blocks = (N + block - 1) / block
    // Kᵀ [Dh, T] and V [T, Dh] of every KV head, packed once for all its query heads and row blocks.
    let kFloats = GemmPackedB.floats(k: Dh, n: T), vFloats = GemmPackedB.floats(k: T, n: Dh)
    let storage = UnsafeMutablePointer<Float>.allocate(capacity: Hkv * (kFloats + vFloats))
    defer { storage.deallocate() }
    let packedK = (0..<Hkv).map { GemmPackedB(k: Dh, n: T, storage: storage + $0 * (kFloats + vFloats)) }
    let packedV = (0..<Hkv).map { GemmPackedB(k: T, n: Dh, storage: storage + $0 * (kFloats + vFloats) + kFloats) }
    cache.keys[layer].withUnsafeBufferPointer { kb in
        cache.values[layer].withUnsafeBufferPointer { vb in
            parallelFor(2 * Hkv) { items in
                for item in items {
                    let j = item / 2
                    if item % 2 == 0 { packedK[j].pack(transB: true, b: kb.baseAddress! + j * Dh, ldb: kvWidth) }
                    else { packedV[j].pack(transB: false, b: vb.baseAddress! + j * Dh, ldb: kvWidth) }
                }
            }
        }
    }
    parallelFor(H * blocks) { items in
        let scores = UnsafeMutablePointer<Float>.allocate(capacity: block * T)
        defer { scores.deallocate() }
        for item in items {
            let h = item / blocks, b = item % blocks, j = h / group
            let r0 = b * block, rows = min(block, N - r0), nk = p0 + r0 + rows
            // S = Q_h · K_jᵀ  [rows, nk]; row i needs keys 0 … p0+r0+i only
            gemmPacked(m: rows, n: nk, k: Dh, a: q + r0 * qWidth + h * Dh, lda: qWidth, packedB: packedK[j],
                       c: scores, ldc: nk, skip: .columnsAfterDiagonal(p0 + r0))
            for i in 0..<rows {
                let row = scores + i * nk, visible = p0 + r0 + i + 1
                softmaxInPlace(row, count: visible, scale: scale)        // P = softmax(S/√Dh), keys 0…p
                if visible < nk { (row + visible).update(repeating: 0, count: nk - visible) }
                probs.map { ($0 + ((r0 + i) * H + h) * T).update(from: row, count: visible) }
            }
            // A_h = P · V_j  [rows, Dh]; row i of P is zero beyond key p0+r0+i
            gemmPacked(m: rows, n: Dh, k: nk, a: scores, lda: nk, packedB: packedV[j],
                       c: a + r0 * qWidth + h * Dh, ldc: qWidth, skip: .depthAfterDiagonal(p0 + r0))
        }
    }
    return true
}
