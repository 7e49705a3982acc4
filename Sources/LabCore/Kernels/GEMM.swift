// GEMM — general matrix multiply, C = op(A) · op(B) (+ C when accumulating), row-major.
//
// op(X) is X or Xᵀ. With A [M, K] and B [K, N] (or their transposes as stored), C is [M, N].
// `gemmNaive` is the reference: three loops, the definition of the product. `gemm` is the fast kernel
// the models use; tests hold it equal to the naive twin.

/// Reference matrix product: c[i, j] (+)= Σₚ op(A)[i, p] · op(B)[p, j], accumulated in Double.
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

/// Fast matrix product with the same contract as `gemmNaive`.
public func gemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                 a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                 c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool) {
    gemmNaive(transA: transA, transB: transB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb,
              c: c, ldc: ldc, accumulate: accumulate)
}
