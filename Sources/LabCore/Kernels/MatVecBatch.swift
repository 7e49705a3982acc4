// MatVecBatch — a few matrix–vector products with the same bf16 matrix: Y[b] = W·X[b] for b < B (B ≈ 2…16).
//
// Beam search decodes B beams per step; each beam's token needs y = W·x with the SAME weights. Done as B separate
// matvecs, W streams from memory B times; done as a gemm (X·Wᵀ), bf16 W must first be widened to f32 into
// scratch — for a handful of rows that copy costs more than the multiply, so 4 beams cost ≈ 4 decodes. Here each
// weight is read from memory ONCE, widened in registers, and dotted with all B vectors:
//   Y[b, r] = Σ_c float(W[r, c]) · X[b, c]         W [rows, cols] bf16, X [B, cols], Y [B, rows] (f32)
// Blocking:
//   - rows are split into one contiguous slab per thread (`parallelFor`), as in `matvecBF16`;
//   - within a slab, 8 rows per pass (8 memory streams in flight, as in `matvecBF16`); the pass runs over the
//     batch in tiles of 2 vectors and a last tile of 1 for odd B (B = 7 → 2 + 2 + 2 + 1), each tile holding
//     8 rows × 2 vectors in registers (16 SIMD16 accumulators). The second and later tiles re-read the same
//     8 rows from L1/L2 (8 · 2 · cols bytes: 16 KB at cols = 1024), so memory still sees W once. Measured on one
//     core (CPU time, 103424×1024, see docs/PERFORMANCE.md): 8 rows × 2 vectors beat 4 rows × 4 vectors at
//     B = 2 and 4 (the stalls are on W's loads, so more rows in flight matter more than fewer re-reads);
//   - widening is `matvecBF16`'s: one 64-byte load = 32 bf16 = 16 UInt32 lanes; `lane << 16` gives the even
//     columns, `lane & 0xFFFF0000` the odd ones, against each X[b] pre-split into even/odd halves per 32 columns.
// The naive twin is the definition (`matvecBF16Naive` per vector, accumulated in Double); tests hold the fast
// kernel to it. Used by ERNIE's WeightMatrix.apply for 2 ≤ B ≤ 16 (docs/PERFORMANCE.md, "Batched decode").

/// Reference batched bf16 matvec: Y[b, r] = Σ_c float(W[r, c]) · X[b, c], accumulated in Double.
///
/// - Parameters: w the bits of W [rows, cols] (any alignment), x [batch, cols], y [batch, rows].
public func matvecBF16BatchNaive(rows: Int, cols: Int, batch: Int, w: UnsafeRawPointer, x: UnsafePointer<Float>,
                                 y: UnsafeMutablePointer<Float>) {
    for b in 0..<batch { matvecBF16Naive(rows: rows, cols: cols, w: w, x: x + b * cols, y: y + b * rows) }
}

/// Fast batched bf16 matvec with the contract of `matvecBF16BatchNaive` (float32 accumulation).
/// Every weight is loaded from memory once for all `batch` vectors.
///
/// - Parameters: w the bits of W [rows, cols] (any alignment), x [batch, cols], y [batch, rows]; batch ≥ 1.
public func matvecBF16Batch(rows: Int, cols: Int, batch: Int, w: UnsafeRawPointer, x: UnsafePointer<Float>,
                            y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    precondition(batch >= 1, "matvecBF16Batch: batch \(batch) must be ≥ 1")
    typealias V = SIMD16<Float>
    typealias U = SIMD16<UInt32>
    let steps = cols / 32, vecCols = steps * 32
    // Each X[b] split per 32-column step: [b][step][even 16 | odd 16].
    let stride = max(32, vecCols)
    let xBytes = UnsafeMutableRawPointer.allocate(byteCount: 4 * batch * stride, alignment: 64)
    defer { xBytes.deallocate() }
    let xSplit = xBytes.bindMemory(to: Float.self, capacity: batch * stride)
    for b in 0..<batch {
        let src = x + b * cols, dst = xSplit + b * stride
        for s in 0..<steps {
            for l in 0..<16 {
                dst[s * 32 + l] = src[s * 32 + 2 * l]
                dst[s * 32 + 16 + l] = src[s * 32 + 2 * l + 1]
            }
        }
    }
    let xs = UnsafeRawPointer(xSplit)
    let xStrideBytes = 4 * stride
    let rowBytes = 2 * cols
    let high = U(repeating: 0xFFFF_0000)

    @inline(__always) func widen(_ lanes: U) -> (even: V, odd: V) {
        (unsafeBitCast(lanes &<< 16, to: V.self), unsafeBitCast(lanes & high, to: V.self))
    }
    /// Σ over the columns past the last whole 32-column step, for row r and vector b.
    @inline(__always) func tail(_ r: Int, _ b: Int) -> Float {
        var s: Float = 0
        let xb = x + b * cols
        for t in vecCols..<cols {
            s += BFloat16(bitPattern: w.loadUnaligned(fromByteOffset: r * rowBytes + 2 * t, as: UInt16.self)).float * xb[t]
        }
        return s
    }
    @inline(__always) func store(_ r: Int, _ b: Int, _ acc: V) { y[b * rows + r] = laneSum(acc) + tail(r, b) }

    // Rows r…r+7 against vectors b, b+1: 16 accumulators a[row][vector].
    @inline(__always) func tile8x2(_ r: Int, _ b: Int) {
        let w0 = w + r * rowBytes
        let x0 = xs + b * xStrideBytes, x1 = x0 + xStrideBytes
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V(), a30 = V(), a31 = V()
        var a40 = V(), a41 = V(), a50 = V(), a51 = V(), a60 = V(), a61 = V(), a70 = V(), a71 = V()
        for s in 0..<steps {
            let o = s * 128
            let e0 = x0.loadUnaligned(fromByteOffset: o, as: V.self), d0 = x0.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            let e1 = x1.loadUnaligned(fromByteOffset: o, as: V.self), d1 = x1.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            // Row k's 32 weights of this step, widened once, meet both vectors.
            @inline(__always) func row(_ k: Int, _ c0: inout V, _ c1: inout V) {
                let (even, odd) = widen((w0 + k * rowBytes).loadUnaligned(fromByteOffset: s * 64, as: U.self))
                c0.addProduct(even, e0); c0.addProduct(odd, d0)
                c1.addProduct(even, e1); c1.addProduct(odd, d1)
            }
            row(0, &a00, &a01); row(1, &a10, &a11); row(2, &a20, &a21); row(3, &a30, &a31)
            row(4, &a40, &a41); row(5, &a50, &a51); row(6, &a60, &a61); row(7, &a70, &a71)
        }
        store(r, b, a00); store(r + 1, b, a10); store(r + 2, b, a20); store(r + 3, b, a30)
        store(r + 4, b, a40); store(r + 5, b, a50); store(r + 6, b, a60); store(r + 7, b, a70)
        store(r, b + 1, a01); store(r + 1, b + 1, a11); store(r + 2, b + 1, a21); store(r + 3, b + 1, a31)
        store(r + 4, b + 1, a41); store(r + 5, b + 1, a51); store(r + 6, b + 1, a61); store(r + 7, b + 1, a71)
    }

    // Rows r…r+7 against vector b: 8 accumulators, each row's even and odd halves summed into one.
    @inline(__always) func tile8x1(_ r: Int, _ b: Int) {
        let w0 = w + r * rowBytes
        let x0 = xs + b * xStrideBytes
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        for s in 0..<steps {
            let o = s * 128
            let e0 = x0.loadUnaligned(fromByteOffset: o, as: V.self), d0 = x0.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            @inline(__always) func row(_ k: Int, _ c0: inout V) {
                let (even, odd) = widen((w0 + k * rowBytes).loadUnaligned(fromByteOffset: s * 64, as: U.self))
                c0.addProduct(even, e0); c0.addProduct(odd, d0)
            }
            row(0, &a0); row(1, &a1); row(2, &a2); row(3, &a3); row(4, &a4); row(5, &a5); row(6, &a6); row(7, &a7)
        }
        store(r, b, a0); store(r + 1, b, a1); store(r + 2, b, a2); store(r + 3, b, a3)
        store(r + 4, b, a4); store(r + 5, b, a5); store(r + 6, b, a6); store(r + 7, b, a7)
    }

    // One leftover row against every vector.
    @inline(__always) func single(_ r: Int) {
        for b in 0..<batch { store(r, b, splitBF16RowDot(w + r * rowBytes, xs + b * xStrideBytes, steps: steps)) }
    }

    parallelFor(rows, threads: threads, minChunk: max(8, 32_768 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 8 <= block.upperBound {                       // 8 rows per pass, every vector
            var b = 0
            while b + 2 <= batch { tile8x2(r, b); b += 2 }
            if b < batch { tile8x1(r, b) }
            r += 8
        }
        while r < block.upperBound { single(r); r += 1 }       // leftover rows, one at a time
    }
}
