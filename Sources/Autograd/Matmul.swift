// Matmul — C = op(A)·op(B) with op(X) = X or Xᵀ, single or batched, forward and backward through LabCore's `gemm`.
//
// Backward of C = A·B (the rule every case below is a transposed reading of):
//   ∂L/∂A = ∂L/∂C · Bᵀ        ∂L/∂B = Aᵀ · ∂L/∂C
// The transposes are never materialised: `gemm(transA:transB:)` reads the stored matrices transposed, and
// accumulates straight into the gradient buffers (`accumulate: true`).
//
// A linear layer with a PyTorch-style weight W [out, in] is `matmul(x, W, transposeB: true)`: y = x·Wᵀ.
// Attention scores for heads laid out [H, T, Dh] are `matmul(q, k, transposeB: true)` → [H, T, T].

import LabCore

/// Matrix product of the last two axes.
///
/// Shapes: `a` [..., M, K] (stored [..., K, M] when `transposeA`), `b` [K, N] (stored [N, K] when `transposeB`) or
/// [..., K, N] with the same leading (batch) axes as `a`. Output [..., M, N]. A rank-2 `b` is shared by every batch
/// entry (its gradient sums over them).
///
/// ∂L/∂op(A) = ∂L/∂C · op(B)ᵀ,  ∂L/∂op(B) = op(A)ᵀ · ∂L/∂C.
/// - Precondition: inner extents agree and batch axes match.
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    precondition(a.value.rank >= 2 && b.value.rank >= 2, "Autograd.matmul: needs matrices, got \(a.shape) · \(b.shape)")
    let batchA = Array(a.shape.dropLast(2))
    let batchB = Array(b.shape.dropLast(2))
    precondition(batchB.isEmpty || batchB == batchA,
                 "Autograd.matmul: batch axes \(batchA) and \(batchB) differ (b may also be a plain matrix)")
    // Stored extents of one matrix of each operand (rows × cols, row-major; the cols are the leading dimension).
    let (aRows, aCols) = (a.shape[a.value.rank - 2], a.shape[a.value.rank - 1])
    let (bRows, bCols) = (b.shape[b.value.rank - 2], b.shape[b.value.rank - 1])
    let (m, k) = transposeA ? (aCols, aRows) : (aRows, aCols)
    let (kb, n) = transposeB ? (bCols, bRows) : (bRows, bCols)
    precondition(k == kb, "Autograd.matmul: inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")

    let batch = batchA.reduce(1, *)
    let sharedB = batchB.isEmpty
    // With a shared B and an untransposed A, all batch rows form one tall matrix: one gemm instead of `batch`.
    let folded = sharedB && !transposeA
    let (calls, rows) = folded ? (1, batch * m) : (batch, m)
    let aStep = folded ? 0 : aRows * aCols
    let bStep = sharedB ? 0 : bRows * bCols
    let cStep = rows * n

    var out = [Float](unsafeUninitializedCapacity: batch * m * n) { _, c in c = batch * m * n }   // gemm stores every element
    a.value.data.withUnsafeBufferPointer { pa in
        b.value.data.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { pc in
                for i in 0..<calls {
                    gemm(transA: transposeA, transB: transposeB, m: rows, n: n, k: k,
                         a: pa.baseAddress! + i * aStep, lda: aCols,
                         b: pb.baseAddress! + i * bStep, ldb: bCols,
                         c: pc.baseAddress! + i * cStep, ldc: n, accumulate: false)
                }
            }
        }
    }
    let (av, bv) = (a.value, b.value)
    return makeNode(Tensor(shape: batchA + [m, n], data: out), op: "matmul", parents: [a, b]) { g in
        g.data.withUnsafeBufferPointer { pg in
            let dC = pg.baseAddress!
            if a.requiresGrad {
                bv.data.withUnsafeBufferPointer { pb in
                    a.withGradBuffer(overwriting: { ga, overwrite in
                        for i in 0..<calls {                          // disjoint slices of ∂L/∂A: each stores or adds
                            let dCi = dC + i * cStep, B = pb.baseAddress! + i * bStep, dA = ga.baseAddress! + i * aStep
                            if !transposeA {
                                // dA [M, K] = dC · op(B)ᵀ
                                gemm(transA: false, transB: !transposeB, m: rows, n: k, k: n,
                                     a: dCi, lda: n, b: B, ldb: bCols, c: dA, ldc: aCols, accumulate: !overwrite)
                            } else {
                                // dA stored [K, M] = (dC · op(B)ᵀ)ᵀ = op(B) · dCᵀ
                                gemm(transA: transposeB, transB: true, m: k, n: m, k: n,
                                     a: B, lda: bCols, b: dCi, ldb: n, c: dA, ldc: aCols, accumulate: !overwrite)
                            }
                        }
                    })
                }
            }
            if b.requiresGrad {
                av.data.withUnsafeBufferPointer { pa in
                    b.withGradBuffer(overwriting: { gb, overwrite in
                        for i in 0..<calls {
                            // A shared B sums every call's product: only the first may store into a fresh buffer.
                            let add = !overwrite || (sharedB && i > 0)
                            let dCi = dC + i * cStep, A = pa.baseAddress! + i * aStep, dB = gb.baseAddress! + i * bStep
                            if !transposeB {
                                // dB [K, N] = op(A)ᵀ · dC
                                gemm(transA: !transposeA, transB: false, m: k, n: n, k: rows,
                                     a: A, lda: aCols, b: dCi, ldb: n, c: dB, ldc: bCols, accumulate: add)
                            } else {
                                // dB stored [N, K] = (op(A)ᵀ · dC)ᵀ = dCᵀ · op(A)
                                gemm(transA: true, transB: transposeA, m: n, n: k, k: rows,
                                     a: dCi, lda: n, b: A, ldb: aCols, c: dB, ldc: bCols, accumulate: add)
                            }
                        }
                    })
                }
            }
        }
    }
}

/// y = x·Wᵀ (+ bias): a linear layer with a PyTorch-layout weight W [out, in] and optional bias [out].
/// x may be [..., in]; the result is [..., out].
public func linear(_ x: Variable, weight: Variable, bias: Variable? = nil) -> Variable {
    precondition(weight.value.rank == 2 && x.shape.last == weight.shape[1],
                 "Autograd.linear: input \(x.shape) does not match weight [out, in] = \(weight.shape)")
    var y = matmul(x, weight, transposeB: true)   // a batched x folds into one tall gemm
    if let bias { y = y + bias }
    return y
}
