// GEMM — general matrix multiply, C = op(A) · op(B) (+ C when accumulating), row-major.
//
// op(X) is X or Xᵀ. With A [M, K] and B [K, N] (or their transposes as stored), C is [M, N].
// `gemmNaive` is the reference: three loops, the definition of the product. `gemm` is the fast kernel
// the models use; tests hold it equal to the naive twin.
//
// How the fast kernel is blocked (the Goto/BLIS scheme, https://doi.org/10.1145/1356052.1356053):
//
//   for each column block jc of `nc` = 1024 columns of C
//     for each depth block pc of `kc` = 256                  (one rank-kc update of C)
//       pack B[pc.., jc..] into panels of NR = 32 columns     [kc, 32] each, zero-padded; the block (1 MiB) stays in L2
//       in parallel, for each strip of MR = 12 rows of C      (strips split over threads)
//         pack A[strip, pc..] into one panel                  [kc, 12], zero-padded (12 KiB, stays in L1)
//         for each B panel
//           microkernel: a 12×32 tile of C in 24 SIMD16 registers, kc FMAs deep
//
// The microkernel keeps the 12×32 tile in registers (24 of AVX-512's 32 zmm registers); every step p
// loads two 16-float vectors of B and broadcasts 12 floats of A: 24 fused multiply-adds per 14 loads.
// Packing makes every operand layout (transposed or not) look the same to the microkernel and
// pads ragged edges with zeros, so odd sizes take the same path and only the final store is clipped.
// Products with only a few rows (a token or a handful) skip packing: see GEMMSkinny.swift.

import CKernels

/// Reference matrix product: c[i, j] (+)= Σₚ op(A)[i, p] · op(B)[p, j], accumulated in Double.
///
/// - Parameters:
///   - transA: A is stored as Aᵀ, i.e. [K, M] with leading dimension `lda`.
///   - transB: B is stored as Bᵀ, i.e. [N, K] with leading dimension `ldb`.
///   - accumulate: add the product to the existing C instead of overwriting it.
public func gemmNaive(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    for i in 0..<m {
        for j in 0..<n {
            var s = 0.0
            for p in 0..<k {
                let av = transA ? a[p * lda + i] : a[i * lda + p]
                let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                s += Double(av) * Double(bv)
            }
            c[i * ldc + j] = accumulate ? c[i * ldc + j] + Float(s) : Float(s)
        }
    }
}

/// Rows of C in one microkernel tile.
let gemmMR = 12
/// Columns of C in one microkernel tile (two SIMD16 vectors).
let gemmNR = 32
/// Depth of one packed block: the [kc, 12] A panel (12 KiB) stays in L1 while B panels stream past it.
let gemmKC = 256
/// Columns of B packed at once: the [kc, nc] block (1 MiB) stays in each core's L2.
let gemmNC = 1024

/// Fast matrix product with the same contract as `gemmNaive` (accumulates in Float, blocked as described above).
///
/// - Parameter threads: workers for the row strips (defaults to `labThreadCount`); small products run on the caller.
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool,
                 threads: Int = labThreadCount) {
    guard m > 0, n > 0 else { return }
    if k == 0 {                                      // empty sum: C = 0 (or unchanged when accumulating)
        if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        return
    }
    if m <= gemmSkinnyMaxRows(transB: transB) {      // a few rows: packing B would cost more than it saves
        gemmSkinny(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
                   c: c, ldc: ldc, accumulate: accumulate, threads: threads)
        return
    }
    let mr = gemmMR, nr = gemmNR
    let ncMax = min(gemmNC, (n + nr - 1) / nr * nr)
    let kcMax = min(gemmKC, k)
    let packedB = UnsafeMutablePointer<Float>.allocate(capacity: kcMax * ncMax)
    defer { packedB.deallocate() }

    // Only spread over threads when there is enough work to pay for waking them (a few µs each).
    let workers = 2 * m * n * k < 4_000_000 ? 1 : max(1, threads)

    for jc in stride(from: 0, to: n, by: ncMax) {
        let nc = min(ncMax, n - jc)
        let panelsB = (nc + nr - 1) / nr
        for pc in stride(from: 0, to: k, by: kcMax) {
            let kc = min(kcMax, k - pc)
            let addToC = accumulate || pc > 0         // the first depth block overwrites C unless accumulating

            // Pack B[pc..<pc+kc, jc..<jc+nc] → panels [kc, NR], panel q holding columns jc+q·NR ..< jc+(q+1)·NR.
            parallelFor(panelsB, threads: workers, minChunk: 2) { panels in
                for q in panels {
                    packPanelB(transB: transB, b: b, ldb: ldb, row0: pc, col0: jc + q * nr,
                               rows: kc, cols: min(nr, nc - q * nr), into: packedB + q * kc * nr)
                }
            }

            // Work items: A panels (MR-row strips of C). When there are too few strips to keep every worker
            // busy, each strip is also split into column groups of B panels.
            let panelsA = (m + mr - 1) / mr
            let columnGroups = panelsA >= 4 * workers ? 1 : min(panelsB, workers)
            parallelFor(panelsA * columnGroups, threads: workers) { items in
                let packedA = UnsafeMutablePointer<Float>.allocate(capacity: kc * mr)
                defer { packedA.deallocate() }
                var packedPanel = -1
                for item in items {
                    let r = item / columnGroups, group = item % columnGroups
                    let i0 = r * mr, rows = min(mr, m - i0)
                    if packedPanel != r {
                        packPanelA(transA: transA, a: a, lda: lda, row0: i0, col0: pc, rows: rows, depth: kc, into: packedA)
                        packedPanel = r
                    }
                    let q0 = group * panelsB / columnGroups, q1 = (group + 1) * panelsB / columnGroups
                    for q in q0..<q1 {
                        let j0 = jc + q * nr
                        microkernel12x32(kc: kc, a: packedA, b: packedB + q * kc * nr, c: c + i0 * ldc + j0, ldc: ldc,
                                         rows: rows, cols: min(nr, n - j0), addToC: addToC)
                    }
                }
            }
        }
    }
}

/// Copies B[row0..<row0+rows, col0..<col0+cols] (of op(B)) into a [rows, NR] panel, zero-padding columns ≥ cols.
@inline(__always)
func packPanelB(transB: Bool, b: UnsafePointer<Float>, ldb: Int, row0: Int, col0: Int,
                        rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>) {
    let nr = gemmNR
    if !transB {
        for p in 0..<rows {
            let src = UnsafeRawPointer(b + (row0 + p) * ldb + col0), out = UnsafeMutableRawPointer(dst + p * nr)
            if cols == nr {
                out.storeBytes(of: src.loadUnaligned(as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                out.storeBytes(of: src.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self), toByteOffset: 64,
                               as: SIMD16<Float>.self)
            } else {
                let s = b + (row0 + p) * ldb + col0, d = dst + p * nr
                for j in 0..<cols { d[j] = s[j] }
                for j in cols..<nr { d[j] = 0 }
            }
        }
    } else {
        // op(B)[p, j] = b[j·ldb + p]: a transpose of ≤ 32 stored rows. In C with AVX-512 register transposes
        // (attention's Q·Kᵀ packs K this way); otherwise walk each stored row j and scatter it into column j (the twin).
        if ck_pack_cols32_f32(b + col0 * ldb + row0, ldb, cols, rows, dst) { return }
        for j in 0..<cols {
            let src = b + (col0 + j) * ldb + row0
            for p in 0..<rows { dst[p * nr + j] = src[p] }
        }
        if cols < nr { for p in 0..<rows { for j in cols..<nr { dst[p * nr + j] = 0 } } }
    }
}

/// Copies A[row0..<row0+rows, col0..<col0+depth] (of op(A)) into a [depth, MR] panel, zero-padding rows ≥ rows.
@inline(__always)
func packPanelA(transA: Bool, a: UnsafePointer<Float>, lda: Int, row0: Int, col0: Int,
                        rows: Int, depth: Int, into dst: UnsafeMutablePointer<Float>) {
    let mr = gemmMR
    if !transA {
        // A strip is a ≤ 12-row transpose: 16×16 register transposes in C (AVX-512 shuffles, zero-padded; Swift's
        // loop here compiled to a scatter per depth step). Without AVX-512 the loop below is the path (and the twin).
        if ck_pack_rows12_f32(a + row0 * lda + col0, lda, rows, depth, dst) { return }
        for r in 0..<rows {
            let src = a + (row0 + r) * lda + col0
            for p in 0..<depth { dst[p * mr + r] = src[p] }
        }
    } else {
        // op(A)[i, p] = a[p·lda + i]: each stored row p holds MR consecutive values of the panel. Full panels move
        // them as one 8- and one 4-lane vector (a plain loop here became a memmove call per row).
        if rows == mr {
            for p in 0..<depth {
                let src = UnsafeRawPointer(a + (col0 + p) * lda + row0), out = UnsafeMutableRawPointer(dst + p * mr)
                out.storeBytes(of: src.loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                out.storeBytes(of: src.loadUnaligned(fromByteOffset: 32, as: SIMD4<Float>.self), toByteOffset: 32,
                               as: SIMD4<Float>.self)
            }
        } else {
            for p in 0..<depth {
                let src = a + (col0 + p) * lda + row0
                for r in 0..<rows { dst[p * mr + r] = src[r] }
            }
        }
    }
    if rows < mr { for p in 0..<depth { for r in rows..<mr { dst[p * mr + r] = 0 } } }
}

/// C[0..<rows, 0..<cols] (+)= Σₚ a[p, 0..<12] ⊗ b[p, 0..<32] over packed panels: the 12×32 register tile.
///
/// Accumulators `cRh` hold row R (hex digit), half h (columns 16h ..< 16h+16).
@inline(__always)
func microkernel12x32(kc: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                              c: UnsafeMutablePointer<Float>, ldc: Int, rows: Int, cols: Int, addToC: Bool) {
    typealias V = SIMD16<Float>
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V(), c30 = V(), c31 = V()
    var c40 = V(), c41 = V(), c50 = V(), c51 = V(), c60 = V(), c61 = V(), c70 = V(), c71 = V()
    var c80 = V(), c81 = V(), c90 = V(), c91 = V(), cA0 = V(), cA1 = V(), cB0 = V(), cB1 = V()
    let bRaw = UnsafeRawPointer(b)
    var ap = a
    for p in 0..<kc {
        let b0 = bRaw.loadUnaligned(fromByteOffset: p * 128, as: V.self)
        let b1 = bRaw.loadUnaligned(fromByteOffset: p * 128 + 64, as: V.self)
        var x = V(repeating: ap[0]); c00.addProduct(x, b0); c01.addProduct(x, b1)
        x = V(repeating: ap[1]); c10.addProduct(x, b0); c11.addProduct(x, b1)
        x = V(repeating: ap[2]); c20.addProduct(x, b0); c21.addProduct(x, b1)
        x = V(repeating: ap[3]); c30.addProduct(x, b0); c31.addProduct(x, b1)
        x = V(repeating: ap[4]); c40.addProduct(x, b0); c41.addProduct(x, b1)
        x = V(repeating: ap[5]); c50.addProduct(x, b0); c51.addProduct(x, b1)
        x = V(repeating: ap[6]); c60.addProduct(x, b0); c61.addProduct(x, b1)
        x = V(repeating: ap[7]); c70.addProduct(x, b0); c71.addProduct(x, b1)
        x = V(repeating: ap[8]); c80.addProduct(x, b0); c81.addProduct(x, b1)
        x = V(repeating: ap[9]); c90.addProduct(x, b0); c91.addProduct(x, b1)
        x = V(repeating: ap[10]); cA0.addProduct(x, b0); cA1.addProduct(x, b1)
        x = V(repeating: ap[11]); cB0.addProduct(x, b0); cB1.addProduct(x, b1)
        ap += 12
    }
    // Write back row by row; full tiles take the vector path, ragged edge tiles only their valid part.
    @inline(__always) func emit(_ r: Int, _ lo: V, _ hi: V) {
        guard r < rows else { return }
        let out = c + r * ldc
        if cols == gemmNR {
            let raw = UnsafeMutableRawPointer(out)
            var lo = lo, hi = hi
            if addToC {
                lo += raw.loadUnaligned(as: V.self)
                hi += raw.loadUnaligned(fromByteOffset: 64, as: V.self)
            }
            raw.storeBytes(of: lo, as: V.self)
            raw.storeBytes(of: hi, toByteOffset: 64, as: V.self)
        } else {
            for j in 0..<cols {
                let v = j < 16 ? lo[j] : hi[j - 16]
                out[j] = addToC ? out[j] + v : v
            }
        }
    }
    emit(0, c00, c01); emit(1, c10, c11); emit(2, c20, c21); emit(3, c30, c31)
    emit(4, c40, c41); emit(5, c50, c51); emit(6, c60, c61); emit(7, c70, c71)
    emit(8, c80, c81); emit(9, c90, c91); emit(10, cA0, cA1); emit(11, cB0, cB1)
}
