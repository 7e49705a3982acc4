// gemmPacked (B packed once, used in part, causal skips) against gemmNaive on the unpacked B, and against gemm bit
// for bit: the same packing, depth blocks and microkernel. Shapes include prefill attention's (Q·Kᵀ over a prefix of
// the keys, P·V over a prefix of the depth), ragged strips and panels, both stored layouts of B, padded strides.
import Testing
@testable import LabCore

/// One packed product against its references; returns the normwise relative difference from gemmNaive.
private func comparePacked(m: Int, kFull: Int, nFull: Int, k: Int, n: Int, transB: Bool, skip: GemmCausalSkip,
                           seed: UInt64) -> Float {
    let (bRows, bCols) = transB ? (nFull, kFull) : (kFull, nFull)
    let lda = k + 3, ldb = bCols + 3, ldc = n + 3
    var a = randomFloats(m * lda, seed: seed)
    let b = randomFloats(bRows * ldb, seed: seed &+ 1)
    if case .depthAfterDiagonal(let o) = skip {               // the contract: A is zero beyond the diagonal
        for i in 0..<m { for p in 0..<k where p > i + o { a[i * lda + p] = 0 } }
    }
    let sentinel: Float = 12345
    var fast = [Float](repeating: sentinel, count: m * ldc), naive = fast, blocked = fast
    let storage = UnsafeMutablePointer<Float>.allocate(capacity: GemmPackedB.floats(k: kFull, n: nFull))
    defer { storage.deallocate() }
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            let packed = GemmPackedB(k: kFull, n: nFull, storage: storage)
            packed.pack(transB: transB, b: bp.baseAddress!, ldb: ldb)
            fast.withUnsafeMutableBufferPointer { cp in
                gemmPacked(m: m, n: n, k: k, a: ap.baseAddress!, lda: lda, packedB: packed, c: cp.baseAddress!, ldc: ldc,
                           skip: skip)
            }
            naive.withUnsafeMutableBufferPointer { cp in
                gemmNaive(transA: false, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                          b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: false)
            }
            blocked.withUnsafeMutableBufferPointer { cp in
                gemm(transA: false, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                     b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: false, threads: 1)
            }
        }
    }
    // Entries the product must hold; the padding columns of C are never written.
    var got: [Float] = [], want: [Float] = [], same = true
    for i in 0..<m {
        for j in n..<ldc where fast[i * ldc + j] != sentinel { return .infinity }
        for j in 0..<n {
            if case .columnsAfterDiagonal(let o) = skip, j > i + o { continue }
            got.append(fast[i * ldc + j])
            want.append(naive[i * ldc + j])
            same = same && fast[i * ldc + j] == blocked[i * ldc + j]
        }
    }
    // Above the skinny bound gemm runs the same blocked kernel: equal bit for bit.
    if m > gemmSkinnyMaxRows(transB: transB) && !same { return .infinity }
    return relDiff(got, want)
}

@Test(arguments: [
    // (m, packed k, packed n, used k, used n)
    (1, 1, 1, 1, 1), (5, 17, 40, 17, 33), (13, 300, 70, 257, 70), (25, 600, 100, 600, 65), (12, 256, 32, 256, 32),
    (37, 1, 33, 1, 33), (48, 128, 512, 128, 300), (48, 512, 128, 300, 128), (20, 520, 128, 520, 128), (30, 128, 45, 128, 45),
])
func gemmPackedEqualsNaive(shape: (Int, Int, Int, Int, Int)) {
    let (m, kFull, nFull, k, n) = shape
    var worst: Float = 0
    var seed = UInt64(m * 1_000_003 + nFull * 1009 + kFull)
    for transB in [false, true] {
        for skip in [GemmCausalSkip.none, .columnsAfterDiagonal(0), .columnsAfterDiagonal(n - m), .columnsAfterDiagonal(-2),
                     .depthAfterDiagonal(0), .depthAfterDiagonal(k - m), .depthAfterDiagonal(-2)] {
            seed &+= 7
            let d = comparePacked(m: m, kFull: kFull, nFull: nFull, k: k, n: n, transB: transB, skip: skip, seed: seed)
            #expect(d <= 1e-5, "m \(m) packed [\(kFull), \(nFull)] used [\(k), \(n)] transB \(transB) skip \(skip)")
            worst = max(worst, d)
        }
    }
    print("gemmPacked \(m)×[\(k) of \(kFull)]×[\(n) of \(nFull)] (both B layouts, causal skips): max relative diff \(worst)")
}
