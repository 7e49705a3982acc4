// GEMMSkinny — the fast path of `gemm` for products with few rows of C (M ≤ 16): one token, or a handful.
//
// The blocked kernel (GEMM.swift) packs all of B before it multiplies; that copy pays off when every packed
// panel is reused by many rows of A, and dominates when M is tiny (M = 1 spends most of its time packing).
// With few rows the product is bandwidth-bound like a matvec, so B is read once, in place:
//   - transB (B stored as W [N, K], the layout of a linear layer's weight):
//       C[i, j] = Σₚ A[i, p] · W[j, p]          4 rows of W per pass, dotted with each row of A;
//   - no transB (B [K, N]):
//       C[i, j₀..j₀+64] = Σₚ A[i, p] · B[p, j₀..j₀+64]   a 64-column strip of B read row by row, for 4 rows
//       of A at once (16 SIMD16 accumulators).
// Work is split over threads by columns of C (rows of W, or strips of B). Rows of A come first into a
// contiguous [M, K] copy (transA or a padded lda makes no difference after that; it is at most 16·K floats).

/// The most rows of C that take the skinny path (measured on one core against the blocked kernel at
/// K = 1024, N = 3072: with W [N, K] the skinny path wins up to M = 16; with B [K, N] only up to M ≈ 4).
func gemmSkinnyMaxRows(transB: Bool) -> Int { transB ? 16 : 4 }

/// `gemm` for m ≤ `gemmSkinnyMaxRows(transB:)`; same contract.
func gemmSkinny(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int) {
    typealias V = SIMD16<Float>
    // op(A) as a contiguous [m, k] block.
    let rowsA = UnsafeMutablePointer<Float>.allocate(capacity: m * k)
    defer { rowsA.deallocate() }
    for i in 0..<m {
        for p in 0..<k { rowsA[i * k + p] = transA ? a[p * lda + i] : a[i * lda + p] }
    }
    let vecK = k / 16 * 16
    let workers = 2 * m * n * k < 1_000_000 ? 1 : threads
    @inline(__always) func write(_ i: Int, _ j: Int, _ v: Float) {
        c[i * ldc + j] = accumulate ? c[i * ldc + j] + v : v
    }

    if transB {
        // Rows of W in groups of 4; each group is read once and dotted with every row of A.
        let groups = (n + 3) / 4
        parallelFor(groups, threads: workers, minChunk: 16) { range in
            for g in range {
                let j0 = 4 * g, count = min(4, n - j0)
                // Missing rows of a ragged last group reuse row j0 (computed, never written).
                let w0 = UnsafeRawPointer(b + j0 * ldb)
                let w1 = UnsafeRawPointer(b + (j0 + min(1, count - 1)) * ldb)
                let w2 = UnsafeRawPointer(b + (j0 + min(2, count - 1)) * ldb)
                let w3 = UnsafeRawPointer(b + (j0 + min(3, count - 1)) * ldb)
                for i in 0..<m {
                    let x = UnsafeRawPointer(rowsA + i * k)
                    var s0 = V(), s1 = V(), s2 = V(), s3 = V()
                    var p = 0
                    while p < vecK {
                        let xv = x.loadUnaligned(fromByteOffset: 4 * p, as: V.self)
                        s0.addProduct(w0.loadUnaligned(fromByteOffset: 4 * p, as: V.self), xv)
                        s1.addProduct(w1.loadUnaligned(fromByteOffset: 4 * p, as: V.self), xv)
                        s2.addProduct(w2.loadUnaligned(fromByteOffset: 4 * p, as: V.self), xv)
                        s3.addProduct(w3.loadUnaligned(fromByteOffset: 4 * p, as: V.self), xv)
                        p += 16
                    }
                    var dots = SIMD4<Float>(s0.sum(), s1.sum(), s2.sum(), s3.sum())
                    for q in 0..<count {
                        let wq = b + (j0 + q) * ldb
                        for t in vecK..<k { dots[q] += rowsA[i * k + t] * wq[t] }
                        write(i, j0 + q, dots[q])
                    }
                }
            }
        }
    } else {
        // Strips of 64 columns of B, read row by row (p outer) while 4 rows of A accumulate into 4×4 SIMD16 registers.
        let strips = (n + 63) / 64
        parallelFor(strips, threads: workers, minChunk: 4) { range in
            for strip in range {
                let j0 = 64 * strip, width = min(64, n - j0)
                for i0 in stride(from: 0, to: m, by: 4) {
                    let count = min(4, m - i0)
                    if width == 64 {
                        // Missing rows of a ragged last group reuse row i0 (computed, never written).
                        let x0 = rowsA + i0 * k, x1 = rowsA + (i0 + min(1, count - 1)) * k
                        let x2 = rowsA + (i0 + min(2, count - 1)) * k, x3 = rowsA + (i0 + min(3, count - 1)) * k
                        var s00 = V(), s01 = V(), s02 = V(), s03 = V(), s10 = V(), s11 = V(), s12 = V(), s13 = V()
                        var s20 = V(), s21 = V(), s22 = V(), s23 = V(), s30 = V(), s31 = V(), s32 = V(), s33 = V()
                        for p in 0..<k {
                            let row = UnsafeRawPointer(b + p * ldb + j0)
                            let b0 = row.loadUnaligned(as: V.self), b1 = row.loadUnaligned(fromByteOffset: 64, as: V.self)
                            let b2 = row.loadUnaligned(fromByteOffset: 128, as: V.self), b3 = row.loadUnaligned(fromByteOffset: 192, as: V.self)
                            var xv = V(repeating: x0[p])
                            s00.addProduct(xv, b0); s01.addProduct(xv, b1); s02.addProduct(xv, b2); s03.addProduct(xv, b3)
                            xv = V(repeating: x1[p])
                            s10.addProduct(xv, b0); s11.addProduct(xv, b1); s12.addProduct(xv, b2); s13.addProduct(xv, b3)
                            xv = V(repeating: x2[p])
                            s20.addProduct(xv, b0); s21.addProduct(xv, b1); s22.addProduct(xv, b2); s23.addProduct(xv, b3)
                            xv = V(repeating: x3[p])
                            s30.addProduct(xv, b0); s31.addProduct(xv, b1); s32.addProduct(xv, b2); s33.addProduct(xv, b3)
                        }
                        @inline(__always) func emit(_ r: Int, _ v0: V, _ v1: V, _ v2: V, _ v3: V) {
                            guard r < count else { return }
                            for l in 0..<16 {
                                write(i0 + r, j0 + l, v0[l]); write(i0 + r, j0 + 16 + l, v1[l])
                                write(i0 + r, j0 + 32 + l, v2[l]); write(i0 + r, j0 + 48 + l, v3[l])
                            }
                        }
                        emit(0, s00, s01, s02, s03); emit(1, s10, s11, s12, s13)
                        emit(2, s20, s21, s22, s23); emit(3, s30, s31, s32, s33)
                    } else {                                 // ragged last strip, one column at a time
                        for i in i0..<(i0 + count) {
                            let x = rowsA + i * k
                            for j in j0..<(j0 + width) {
                                var s: Float = 0
                                for p in 0..<k { s += x[p] * b[p * ldb + j] }
                                write(i, j, s)
                            }
                        }
                    }
                }
            }
        }
    }
}
