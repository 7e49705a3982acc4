// FusedProjections — the matrices of one layer that read the same input, applied together.
//
// Attention's q, k and v projections all read RMSNorm(h); SwiGLU's gate and up projections both read the
// second RMSNorm(h). For one row (a decode step) over bf16 weights they go through `matvecBF16Multi`: one
// parallel region over all their rows instead of one per matrix, which saves a start and a wait per matrix
// (18 layers × 3 per token for ERNIE-4.5-0.3B). The results are bit-identical to applying each matrix alone.
// Every other case (several rows, f32 or other storage, `EngineOptions.fusedMatvec` off for an A/B benchmark)
// applies the matrices one by one.

import LabCore

extension WeightMatrix {
    /// y_i = x W_iᵀ for every (W_i, y_i): x [count, cols], y_i [count, W_i.rows]. All W_i have the same cols.
    static func applyAll(_ x: UnsafePointer<Float>, count: Int,
                      to outputs: [(matrix: WeightMatrix, y: UnsafeMutablePointer<Float>)]) {
        let cols = outputs.first?.matrix.cols ?? 0
        if count == 1, EngineOptions.current.fusedMatvec,
           outputs.allSatisfy({ $0.matrix.storage == .bf16 && $0.matrix.cols == cols }) {
            matvecBF16Multi(outputs.map { BF16MatVecPart(w: $0.matrix.base, rows: $0.matrix.rows, y: $0.y) },
                            cols: cols, x: x)
            return
        }
        for (matrix, y) in outputs { matrix.apply(x, count: count, y) }
    }
}
