// MatVecInt8Batch — a few matrix–vector products with the same int8 matrix: Y[b] = W·X[b] for b < B (B ≈ 2…16).
//
// The int8 twin of MatVecBatch.swift (beam search's beams, prompts of ≤ 16 tokens): each weight is loaded from
// memory once, widened to float in registers (`int8x16ToFloat`, MatVecInt8.swift) and dotted with every vector:
//   Y[b, r] = s[r] · Σ_c q[r, c] · X[b, c]        q [rows, cols] Int8, s [rows], X [B, cols], Y [B, rows]
// Blocking: rows split into one slab per thread; within a slab 8 rows per pass, the batch in tiles of 2 vectors
// (and a last tile of 1 for odd B), 8 rows × 2 vectors = 16 accumulators. Later tiles re-read the same 8 rows
// from L1 (8 · cols bytes), so memory still sees W once. The naive twin is `matvecInt8Naive` per vector.

/// Reference batched int8 matvec: `matvecInt8Naive` for each of the `batch` vectors.
///
/// - Parameters: w q [rows, cols] (any alignment), scales s [rows], x [batch, cols], y [batch, rows].
public func matvecInt8BatchNaive(rows: Int, cols: Int, batch: Int, w: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
                                 x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for b in 0..<batch {
        matvecInt8Naive(rows: rows, cols: cols, w: w, scales: scales, x: x + b * cols, y: y + b * rows)
    }
}

/// Fast batched int8 matvec with the contract of `matvecInt8BatchNaive` (float32 accumulation); every weight is
/// loaded from memory once for all `batch` vectors.
public func matvecInt8Batch(rows: Int, cols: Int, batch: Int, w: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
                            x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    precondition(batch >= 1, "matvecInt8Batch: batch \(batch) must be ≥ 1")
    typealias V = SIMD16<Float>
    let steps = cols / 64, vecCols = steps * 64
    let xs = UnsafeRawPointer(x)
    let xStrideBytes = 4 * cols
    let wb = UnsafeRawPointer(w)

    /// s[r] · (acc + Σ over the columns past the last whole 64-column step), for row r and vector b.
    @inline(__always) func store(_ r: Int, _ b: Int, _ acc: V) {
        var t = laneSum(acc)
        let xb = x + b * cols
        for c in vecCols..<cols { t += Float(w[r * cols + c]) * xb[c] }
        y[b * rows + r] = scales[r] * t
    }

    // Rows r…r+7 against vectors b, b+1.
    @inline(__always) func tile8x2(_ r: Int, _ b: Int) {
        let w0 = wb + r * cols
        let p0 = xs + b * xStrideBytes, p1 = p0 + xStrideBytes
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V(), a30 = V(), a31 = V()
        var a40 = V(), a41 = V(), a50 = V(), a51 = V(), a60 = V(), a61 = V(), a70 = V(), a71 = V()
        for s in 0..<steps {
            let o = s * 256
            @inline(__always) func row(_ k: Int, _ c0: inout V, _ c1: inout V) {
                let p = w0 + k * cols + s * 64
                let g0 = int8x16ToFloat(p), g1 = int8x16ToFloat(p + 16)
                let g2 = int8x16ToFloat(p + 32), g3 = int8x16ToFloat(p + 48)
                c0.addProduct(g0, p0.loadUnaligned(fromByteOffset: o, as: V.self))
                c0.addProduct(g1, p0.loadUnaligned(fromByteOffset: o + 64, as: V.self))
                c0.addProduct(g2, p0.loadUnaligned(fromByteOffset: o + 128, as: V.self))
                c0.addProduct(g3, p0.loadUnaligned(fromByteOffset: o + 192, as: V.self))
                c1.addProduct(g0, p1.loadUnaligned(fromByteOffset: o, as: V.self))
                c1.addProduct(g1, p1.loadUnaligned(fromByteOffset: o + 64, as: V.self))
                c1.addProduct(g2, p1.loadUnaligned(fromByteOffset: o + 128, as: V.self))
                c1.addProduct(g3, p1.loadUnaligned(fromByteOffset: o + 192, as: V.self))
            }
            row(0, &a00, &a01); row(1, &a10, &a11); row(2, &a20, &a21); row(3, &a30, &a31)
            row(4, &a40, &a41); row(5, &a50, &a51); row(6, &a60, &a61); row(7, &a70, &a71)
        }
        store(r, b, a00); store(r + 1, b, a10); store(r + 2, b, a20); store(r + 3, b, a30)
        store(r + 4, b, a40); store(r + 5, b, a50); store(r + 6, b, a60); store(r + 7, b, a70)
        store(r, b + 1, a01); store(r + 1, b + 1, a11); store(r + 2, b + 1, a21); store(r + 3, b + 1, a31)
        store(r + 4, b + 1, a41); store(r + 5, b + 1, a51); store(r + 6, b + 1, a61); store(r + 7, b + 1, a71)
    }

    // One row (of a pass's 8, or a leftover row) against vector b.
    @inline(__always) func single(_ r: Int, _ b: Int) {
        let wr = wb + r * cols, p = xs + b * xStrideBytes
        var a = V(), c = V()
        for s in 0..<steps {
            let o = s * 256
            let q = wr + s * 64
            let g0 = int8x16ToFloat(q), g1 = int8x16ToFloat(q + 16)
            let g2 = int8x16ToFloat(q + 32), g3 = int8x16ToFloat(q + 48)
            a.addProduct(g0, p.loadUnaligned(fromByteOffset: o, as: V.self))
            c.addProduct(g1, p.loadUnaligned(fromByteOffset: o + 64, as: V.self))
            a.addProduct(g2, p.loadUnaligned(fromByteOffset: o + 128, as: V.self))
            c.addProduct(g3, p.loadUnaligned(fromByteOffset: o + 192, as: V.self))
        }
        store(r, b, a + c)
    }

    parallelFor(rows, threads: threads, minChunk: max(8, 65_536 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 8 <= block.upperBound {                       // 8 rows per pass, every vector
            var b = 0
            while b + 2 <= batch { tile8x2(r, b); b += 2 }
            if b < batch { for k in 0..<8 { single(r + k, b) } }
            r += 8
        }
        while r < block.upperBound {                            // leftover rows, one at a time
            for b in 0..<batch { single(r, b) }
            r += 1
        }
    }
}
