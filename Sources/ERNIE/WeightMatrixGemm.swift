// WeightMatrixGemm — the prefill product Y = X·Wᵀ for a bf16 W and more rows than the batched matvec takes.
//
// Delegates to LabCore's `gemmBF16Weights`, which uses the CPU's AMX tile unit when present (activations
// rounded to bf16, f32 sums — what PyTorch's own bf16 run does) and otherwise widens W to f32 for the f32 gemm.
// `EngineOptions.amx` off (`--no-amx`, LMLAB_NO_AMX=1) forces the widening path; docs/PERFORMANCE.md
// ("bf16 prefill on AMX") has the numbers.

import LabCore

extension WeightMatrix {
    /// Y = X·Wᵀ for bf16 W. x [count, cols], y [count, rows].
    func applyBF16Gemm(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        precondition(storage == .bf16, "\(name): applyBF16Gemm needs bf16 storage, found \(storage.rawValue)")
        gemmBF16Weights(m: count, n: rows, k: cols, a: x, lda: cols, w: base, ldw: cols, c: y, ldc: rows)
    }
}
