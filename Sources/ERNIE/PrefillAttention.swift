// PrefillAttention — attention step 4 (scores, softmax, weighted values) for a prompt: N consecutive rows of
// one sequence, done as matrix products instead of one dot product per (row, key).
//
// For query head h reading KV head j and a block of rows r0 ..< r1 (positions p0+r0 …), with the keys the last
// row of the block may see (0 ..< p0+r1):
//   S = Q_h[r0..<r1] · K_jᵀ / √Dh        [rows, keys]   one gemm
//   P = softmax of each row of S over keys 0 … p0+r (the causal mask), zero beyond
//   A_h[r0..<r1] = P · V_j               [rows, Dh]     one gemm
// Blocks of 64 rows keep the wasted upper triangle small. Same arithmetic as the per-row loop in
// GroupedQueryAttention (f32, softmax in f32), summed in another order: tests hold both to transformers at 1e-4.
// Heads × row blocks are spread over the cores; each gemm runs on its worker's thread.

import LabCore

extension GroupedQueryAttention {
    /// Rows per block of the score matrix.
    static let prefillRowBlock = 64

    /// Writes a [N, H·Dh] for the rows of `layout` when they are N > 16 consecutive positions of one sequence
    /// whose keys and values (this pass's included) are in `caches`; returns false, writing nothing, otherwise.
    /// With `probs` (the recorder's [N, H, p0+N], zero-filled) the attention weights P are copied there too.
    func prefillAttention(_ q: UnsafePointer<Float>, layout: BatchLayout, layer: Int, caches: [KVCache],
                          probs: UnsafeMutablePointer<Float>?, into a: UnsafeMutablePointer<Float>) -> Bool {
        let N = layout.rows, H = heads, Dh = headDim
        guard N > WeightMatrix.batchedMatvecMaxRows, let s0 = layout.sequence.first else { return false }
        let p0 = layout.position[0]
        for r in 0..<N where layout.sequence[r] != s0 || layout.position[r] != p0 + r { return false }
        let qWidth = H * Dh, kvWidth = kvHeads * Dh, group = H / kvHeads
        let cache = caches[s0]
        guard cache.keys[layer].count == (p0 + N) * kvWidth else { return false }
        let scale = 1 / Float(Dh).squareRoot()
        let block = Self.prefillRowBlock, blocks = (N + block - 1) / block
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
                            for s in 0..<visible { row[s] *= scale }
                            softmax(rows: 1, cols: visible, x: row, y: row)
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
}
