// MatVecMulti — several bf16 matrix–vector products with the same input, as one parallel region.
//
// A decode step multiplies one normalised vector x by several matrices in a row: W_q, W_k, W_v (attention) and
// W_gate, W_up (SwiGLU). Separately that is five parallel regions, each splitting its rows over the cores and
// waiting for the slowest; the small ones (ERNIE-4.5-0.3B's W_k and W_v are 256×1024 = 0.5 MB, ~25 µs of
// streaming) are mostly start-up and wait. Fused, the matrices' rows are laid end to end —
//   combined rows = [W₀ rows | W₁ rows | …],   y_i[r] = Σ_c W_i[r, c] · x[c]
// — and that combined range is split into one contiguous block per thread, so every core streams an equal
// share of all the bytes, x is split into even/odd halves once, and there is one wait instead of five.
// Each part's rows go through the same per-row kernel as `matvecBF16`, so results are bit-identical to it.

/// One matrix of a fused matvec: W [rows, cols] as bf16 bits (any alignment) and its output y [rows].
public struct BF16MatVecPart {
    public let w: UnsafeRawPointer
    public let rows: Int
    public let y: UnsafeMutablePointer<Float>

    public init(w: UnsafeRawPointer, rows: Int, y: UnsafeMutablePointer<Float>) {
        self.w = w; self.rows = rows; self.y = y
    }
}

/// y_i = W_i·x for every part, in one parallel region over all parts' rows. All W_i have `cols` columns.
/// Contract: each y_i equals `matvecBF16Naive(rows: W_i.rows, cols:, w: W_i, x:)` to float32 accumulation.
public func matvecBF16Multi(_ parts: [BF16MatVecPart], cols: Int, x: UnsafePointer<Float>,
                            threads: Int = labThreadCount) {
    let total = parts.reduce(0) { $0 + $1.rows }
    guard total > 0 else { return }
    let split = SplitBF16Input(x, cols: cols)
    defer { split.deallocate() }
    parallelFor(total, threads: threads, minChunk: max(1, 32_768 / max(cols, 1))) { block in
        var offset = 0                                          // first combined row of part i
        for part in parts {
            let lo = max(block.lowerBound, offset), hi = min(block.upperBound, offset + part.rows)
            if lo < hi { matvecBF16Rows((lo - offset)..<(hi - offset), cols: cols, w: part.w, input: split, y: part.y) }
            offset += part.rows
        }
    }
}
