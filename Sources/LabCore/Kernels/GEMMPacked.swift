// GEMMPacked — gemm with B packed once and reused by many products, and a causal shortcut.
//
// `gemm` packs its B operand on every call (GEMM.swift). Prefill attention multiplies the same B many times: one
// KV head's Kᵀ (for S = Q·Kᵀ) and V (for A = P·V) serve every query head of its group (8 in the 0.3B) and every
// row block of the prompt, so packing them inside each call repeated the same copy dozens of times per layer.
// `GemmPackedB` is op(B) [k, n] in exactly the layout `gemm` builds — depth blocks of `gemmKC` starting at 0,
// each a run of [kc, NR] column panels — and `gemmPacked` runs gemm's own A packing and 12×32 microkernel over it,
// one 12-row strip of C at a time on the calling thread. A product may use a leading part of the packing (the first
// n′ ≤ n columns, the first k′ ≤ k depth steps); the depth blocks start where gemm's would, so for m above the skinny
// bound the result equals `gemm`'s bit for bit.
//
// Causal products skip work by strip: with `.columnsAfterDiagonal(o)` row i of C is needed only for columns
// j ≤ i + o (scores of a causal mask), so column panels wholly right of a strip's last diagonal are not computed;
// with `.depthAfterDiagonal(o)` row i of op(A) is zero beyond depth i + o (probabilities of masked keys), so a
// strip's depth stops at its last row's diagonal. Either way only whole 12×32 tiles or depth steps of exact
// zeros are dropped.

/// op(B) [k, n] packed into gemm's B panels, for products that share it. The storage is the caller's
/// (`GemmPackedB.floats(k:n:)` floats) and must outlive every use.
public struct GemmPackedB {
    /// Depth (rows of op(B)) and columns of the packed matrix.
    public let k: Int, n: Int
    let base: UnsafeMutablePointer<Float>

    /// Floats the packing of a [k, n] op(B) needs (n rounded up to whole panels).
    public static func floats(k: Int, n: Int) -> Int { k * ((n + gemmNR - 1) / gemmNR * gemmNR) }

    /// The layout of a [k, n] op(B) in `storage` (≥ `floats(k:n:)` floats); `pack` fills it.
    public init(k: Int, n: Int, storage: UnsafeMutablePointer<Float>) {
        self.k = k
        self.n = n
        base = storage
    }

    /// Packs op(B) (B stored as Bᵀ [n, k] when `transB`, as in `gemm`) into the storage.
    public func pack(transB: Bool, b: UnsafePointer<Float>, ldb: Int) {
        let nr = gemmNR
        for pc in stride(from: 0, to: k, by: depthBlock) {
            for q in 0..<(n + nr - 1) / nr {
                packPanelB(transB: transB, b: b, ldb: ldb, row0: pc, col0: q * nr, rows: min(depthBlock, k - pc),
                           cols: min(nr, n - q * nr), into: panel(depth: pc, column: q))
            }
        }
    }

    /// gemm's depth block for this k: blocks start at multiples of it.
    var depthBlock: Int { min(gemmKC, k) }

    /// The [kc, NR] panel of column panel q in the depth block starting at pc (every earlier block is full).
    func panel(depth pc: Int, column q: Int) -> UnsafeMutablePointer<Float> {
        base + pc * ((n + gemmNR - 1) / gemmNR * gemmNR) + q * min(depthBlock, k - pc) * gemmNR
    }
}

/// Which part of a causal product `gemmPacked` may skip (offset o: row i's diagonal is column or depth i + o).
public enum GemmCausalSkip: Sendable {
    /// Every entry of C is computed.
    case none
    /// Only C[i, j] for j ≤ i + o is needed; tiles wholly beyond are not written (the rest of C is unspecified).
    case columnsAfterDiagonal(Int)
    /// op(A)[i, p] = 0 for p > i + o, so those depth steps are skipped (C is the full product).
    case depthAfterDiagonal(Int)
}

/// C [m, n] = A [m, k] · op(B)[0..<k, 0..<n] for B packed once (n ≤ packedB.n, k ≤ packedB.k), A row-major with
/// leading dimension lda, C overwritten; on the calling thread. The naive twin is `gemmNaive` on the unpacked B.
public func gemmPacked(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, packedB: GemmPackedB,
                       c: UnsafeMutablePointer<Float>, ldc: Int, skip: GemmCausalSkip = .none) {
    precondition(n <= packedB.n && k <= packedB.k, "gemmPacked: [\(k), \(n)] exceeds the packed [\(packedB.k), \(packedB.n)]")
    guard m > 0, n > 0 else { return }
    let mr = gemmMR, nr = gemmNR, kcMax = packedB.depthBlock
    let packedA = UnsafeMutablePointer<Float>.allocate(capacity: max(1, min(kcMax, k)) * mr)
    defer { packedA.deallocate() }
    for i0 in stride(from: 0, to: m, by: mr) {
        let rows = min(mr, m - i0)
        var columns = n, depth = k                        // what this strip needs
        switch skip {
        case .none: break
        case .columnsAfterDiagonal(let o): columns = max(0, min(n, i0 + rows + o))
        case .depthAfterDiagonal(let o): depth = max(0, min(k, i0 + rows + o))
        }
        if depth == 0 {                                   // an empty sum (k = 0, or A's strip is all zeros)
            for r in 0..<rows { (c + (i0 + r) * ldc).update(repeating: 0, count: columns) }
            continue
        }
        for pc in stride(from: 0, to: depth, by: kcMax) {
            let kc = min(kcMax, depth - pc)
            packPanelA(transA: false, a: a, lda: lda, row0: i0, col0: pc, rows: rows, depth: kc, into: packedA)
            for q in 0..<(columns + nr - 1) / nr {
                microkernel12x32(kc: kc, a: packedA, b: packedB.panel(depth: pc, column: q), c: c + i0 * ldc + q * nr,
                                 ldc: ldc, rows: rows, cols: min(nr, columns - q * nr), addToC: pc > 0)
            }
        }
    }
}
