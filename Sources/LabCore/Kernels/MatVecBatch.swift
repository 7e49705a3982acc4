// MatVecBatch — a few matrix–vector products with the same bf16 matrix: Y[b] = W·X[b] for b < B (B ≈ 2…8).
//
// Beam search decodes B beams per step; each beam's token needs y = W·x with the SAME weights. Done as B separate
// matvecs, W streams from memory B times; done as a gemm (X·Wᵀ), bf16 W must first be widened to f32 into
// scratch — for a handful of rows that copy costs more than the multiply, so 4 beams cost ≈ 4 decodes. Here each
// weight is read from memory ONCE, widened in registers, and dotted with all B vectors:
//   Y[b, r] = Σ_c float(W[r, c]) · X[b, c]         W [rows, cols] bf16, X [B, cols], Y [B, rows] (f32)
// Blocking:
//   - rows are split into one contiguous slab per thread (`parallelFor`), as in `matvecBF16`;
//   - within a slab, 4 rows per pass; the pass runs over the batch in tiles of 4, 2 and 1 vectors
//     (B = 7 → 4 + 2 + 1), each tile holding 4 rows × its vectors in registers (at most 16 SIMD16 accumulators).
//     The second and later tiles re-read the same 4 rows from L1 (4 · 2 · cols bytes: 8 KB at cols = 1024), so
//     memory still sees W once;
//   - widening is `matvecBF16`'s: one 64-byte load = 32 bf16 = 16 UInt32 lanes; `lane << 16` gives the even
//     columns, `lane & 0xFFFF0000` the odd ones, against each X[b] pre-split into even/odd halves per 32 columns.
// The naive twin is the definition (`matvecBF16Naive` per vector, accumulated in Double); tests hold the fast
// kernel to it. Used by ERNIE's WeightMatrix.apply for 2 ≤ B ≤ 8 (docs/PERFORMANCE.md, "Batched decode").

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
    @inline(__always) func store(_ r: Int, _ b: Int, _ acc: V) { y[b * rows + r] = acc.sum() + tail(r, b) }

    // Rows r…r+3 against vectors b…b+3: 16 accumulators a[row][vector].
    @inline(__always) func tile4x4(_ r: Int, _ b: Int) {
        let w0 = w + r * rowBytes
        let x0 = xs + b * xStrideBytes, x1 = x0 + xStrideBytes, x2 = x1 + xStrideBytes, x3 = x2 + xStrideBytes
        var a00 = V(), a01 = V(), a02 = V(), a03 = V(), a10 = V(), a11 = V(), a12 = V(), a13 = V()
        var a20 = V(), a21 = V(), a22 = V(), a23 = V(), a30 = V(), a31 = V(), a32 = V(), a33 = V()
        for s in 0..<steps {
            let o = s * 128
            let e0 = x0.loadUnaligned(fromByteOffset: o, as: V.self), d0 = x0.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            let e1 = x1.loadUnaligned(fromByteOffset: o, as: V.self), d1 = x1.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            let e2 = x2.loadUnaligned(fromByteOffset: o, as: V.self), d2 = x2.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            let e3 = x3.loadUnaligned(fromByteOffset: o, as: V.self), d3 = x3.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            // Row k's 32 weights of this step, widened once, meet all four vectors.
            @inline(__always) func row(_ k: Int, _ c0: inout V, _ c1: inout V, _ c2: inout V, _ c3: inout V) {
                let (even, odd) = widen((w0 + k * rowBytes).loadUnaligned(fromByteOffset: s * 64, as: U.self))
                c0.addProduct(even, e0); c0.addProduct(odd, d0)
                c1.addProduct(even, e1); c1.addProduct(odd, d1)
                c2.addProduct(even, e2); c2.addProduct(odd, d2)
                c3.addProduct(even, e3); c3.addProduct(odd, d3)
            }
            row(0, &a00, &a01, &a02, &a03); row(1, &a10, &a11, &a12, &a13)
            row(2, &a20, &a21, &a22, &a23); row(3, &a30, &a31, &a32, &a33)
        }
        store(r, b, a00); store(r, b + 1, a01); store(r, b + 2, a02); store(r, b + 3, a03)
        store(r + 1, b, a10); store(r + 1, b + 1, a11); store(r + 1, b + 2, a12); store(r + 1, b + 3, a13)
        store(r + 2, b, a20); store(r + 2, b + 1, a21); store(r + 2, b + 2, a22); store(r + 2, b + 3, a23)
        store(r + 3, b, a30); store(r + 3, b + 1, a31); store(r + 3, b + 2, a32); store(r + 3, b + 3, a33)
    }

    // Rows r…r+3 against vectors b, b+1: 8 accumulators.
    @inline(__always) func tile4x2(_ r: Int, _ b: Int) {
        let w0 = w + r * rowBytes
        let x0 = xs + b * xStrideBytes, x1 = x0 + xStrideBytes
        var a00 = V(), a01 = V(), a10 = V(), a11 = V(), a20 = V(), a21 = V(), a30 = V(), a31 = V()
        for s in 0..<steps {
            let o = s * 128
            let e0 = x0.loadUnaligned(fromByteOffset: o, as: V.self), d0 = x0.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            let e1 = x1.loadUnaligned(fromByteOffset: o, as: V.self), d1 = x1.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            @inline(__always) func row(_ k: Int, _ c0: inout V, _ c1: inout V) {
                let (even, odd) = widen((w0 + k * rowBytes).loadUnaligned(fromByteOffset: s * 64, as: U.self))
                c0.addProduct(even, e0); c0.addProduct(odd, d0)
                c1.addProduct(even, e1); c1.addProduct(odd, d1)
            }
            row(0, &a00, &a01); row(1, &a10, &a11); row(2, &a20, &a21); row(3, &a30, &a31)
        }
        store(r, b, a00); store(r, b + 1, a01); store(r + 1, b, a10); store(r + 1, b + 1, a11)
        store(r + 2, b, a20); store(r + 2, b + 1, a21); store(r + 3, b, a30); store(r + 3, b + 1, a31)
    }

    // Rows r…r+3 against vector b: 4 accumulators, each row's even and odd halves summed into one.
    @inline(__always) func tile4x1(_ r: Int, _ b: Int) {
        let w0 = w + r * rowBytes
        let x0 = xs + b * xStrideBytes
        var a0 = V(), a1 = V(), a2 = V(), a3 = V()
        for s in 0..<steps {
            let o = s * 128
            let e0 = x0.loadUnaligned(fromByteOffset: o, as: V.self), d0 = x0.loadUnaligned(fromByteOffset: o + 64, as: V.self)
            @inline(__always) func row(_ k: Int, _ c0: inout V) {
                let (even, odd) = widen((w0 + k * rowBytes).loadUnaligned(fromByteOffset: s * 64, as: U.self))
                c0.addProduct(even, e0); c0.addProduct(odd, d0)
            }
            row(0, &a0); row(1, &a1); row(2, &a2); row(3, &a3)
        }
        store(r, b, a0); store(r + 1, b, a1); store(r + 2, b, a2); store(r + 3, b, a3)
    }

    // One leftover row against every vector.
    @inline(__always) func single(_ r: Int) {
        let wr = w + r * rowBytes
        for b in 0..<batch {
            let xb = xs + b * xStrideBytes
            var e = V(), o = V()
            for s in 0..<steps {
                let (p, q) = widen(wr.loadUnaligned(fromByteOffset: s * 64, as: U.self))
                e.addProduct(p, xb.loadUnaligned(fromByteOffset: s * 128, as: V.self))
                o.addProduct(q, xb.loadUnaligned(fromByteOffset: s * 128 + 64, as: V.self))
            }
            store(r, b, e + o)
        }
    }

    parallelFor(rows, threads: threads, minChunk: max(4, 32_768 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 4 <= block.upperBound {                       // 4 rows per pass, every vector
            var b = 0
            while b + 4 <= batch { tile4x4(r, b); b += 4 }
            if b + 2 <= batch { tile4x2(r, b); b += 2 }
            if b < batch { tile4x1(r, b) }
            r += 4
        }
        while r < block.upperBound { single(r); r += 1 }       // leftover rows, one at a time
    }
}
