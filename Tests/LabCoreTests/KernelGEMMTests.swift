// gemm (blocked, register-tiled, threaded) against gemmNaive (three loops in Double), over odd shapes,
// every transpose combination, padded leading dimensions, accumulate, and 1–3 threads.
import Testing
@testable import LabCore

/// Runs both kernels on the same random operands; returns the normwise relative difference of C.
private func compareGEMM(m: Int, n: Int, k: Int, transA: Bool, transB: Bool, accumulate: Bool,
                         threads: Int, seed: UInt64) -> Float {
    // Stored shapes (row-major), with leading dimensions padded by 3 to catch stride mistakes.
    let (aRows, aCols) = transA ? (k, m) : (m, k)
    let (bRows, bCols) = transB ? (n, k) : (k, n)
    let lda = aCols + 3, ldb = bCols + 3, ldc = n + 3
    let a = randomFloats(aRows * lda, seed: seed)
    let b = randomFloats(bRows * ldb, seed: seed &+ 1)
    let c0 = randomFloats(m * ldc, seed: seed &+ 2)           // existing C: kept when accumulating
    var fast = c0, naive = c0
    a.withUnsafeBufferPointer { ap in
        b.withUnsafeBufferPointer { bp in
            fast.withUnsafeMutableBufferPointer { cp in
                gemm(transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                     b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: accumulate, threads: threads)
            }
            naive.withUnsafeMutableBufferPointer { cp in
                gemmNaive(transA: transA, transB: transB, m: m, n: n, k: k, a: ap.baseAddress!, lda: lda,
                          b: bp.baseAddress!, ldb: ldb, c: cp.baseAddress!, ldc: ldc, accumulate: accumulate)
            }
        }
    }
    // The padding columns of C must be untouched.
    for i in 0..<m { for j in n..<ldc where fast[i * ldc + j] != c0[i * ldc + j] { return .infinity } }
    return relDiff(fast, naive)
}

@Test(arguments: [
    (1, 1, 1), (1, 3, 17), (3, 1, 1023), (17, 17, 17), (1023, 3, 17), (17, 1023, 3), (3, 1023, 1),
    (13, 33, 257), (25, 65, 600), (5, 100, 300), (8, 1030, 64), (9, 70, 129), (2, 300, 2000), (16, 40, 70), (4, 130, 33), (40, 1100, 40), (300, 70, 300), (12, 32, 256), (24, 64, 512),
])
func gemmEqualsNaive(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    var worst: Float = 0
    var seed = UInt64(m * 1_000_003 + n * 1009 + k)
    for transA in [false, true] {
        for transB in [false, true] {
            for accumulate in [false, true] {
                for threads in [1, 2, 3] {
                    seed &+= 7
                    let d = compareGEMM(m: m, n: n, k: k, transA: transA, transB: transB,
                                        accumulate: accumulate, threads: threads, seed: seed)
                    #expect(d <= 1e-5, "m \(m) n \(n) k \(k) transA \(transA) transB \(transB) acc \(accumulate) threads \(threads)")
                    worst = max(worst, d)
                }
            }
        }
    }
    print("gemm \(m)×\(n)×\(k) (all transposes, accumulate, 1–3 threads): max relative diff \(worst)")
}

@Test func gemmHandChecked() {
    // [1 2; 3 4]ᵀ · [5 6; 7 8] = [1·5+3·7, 1·6+3·8; 2·5+4·7, 2·6+4·8] = [26 30; 38 44], then + C = 1.
    let a: [Float] = [1, 2, 3, 4], b: [Float] = [5, 6, 7, 8]
    var c: [Float] = [1, 1, 1, 1]
    gemm(transA: true, transB: false, m: 2, n: 2, k: 2, a: a, lda: 2, b: b, ldb: 2, c: &c, ldc: 2, accumulate: true)
    #expect(c == [27, 31, 39, 45])
}

@Test func gemmWithEmptyDepthClearsOrKeeps() {
    let a: [Float] = [0], b: [Float] = [0]
    var c: [Float] = [5, 6, 7]
    gemm(transA: false, transB: false, m: 1, n: 3, k: 0, a: a, lda: 1, b: b, ldb: 3, c: &c, ldc: 3, accumulate: true)
    #expect(c == [5, 6, 7])
    gemm(transA: false, transB: false, m: 1, n: 3, k: 0, a: a, lda: 1, b: b, ldb: 3, c: &c, ldc: 3, accumulate: false)
    #expect(c == [0, 0, 0])
}
