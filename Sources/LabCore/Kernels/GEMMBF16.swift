// GEMMBF16 — C = A·Wᵀ for f32 activations A [m, k] and a bf16 weight matrix W [n, k] read in place.
//
// This is prefill's product: every linear layer y = x Wᵀ applied to m token rows at once. Three paths:
//
//   amx         Intel AMX tiles (Sources/CKernels/gemm_bf16_amx.c): A is rounded to bf16 (nearest even) once, W's
//               rows are re-ordered 32 at a time into tiles, and the tile unit multiplies 16×32 by 32×16 bf16
//               blocks summing in f32 — the same arithmetic as PyTorch's bf16 linear on this CPU (oneDNN uses AMX).
//   avx512BF16  AVX512-BF16 dot products (Sources/CKernels/gemm_bf16_avx512.c) for CPUs without AMX (AMD Zen 4,
//               Intel Cooper Lake): the same packed, rounded A; W re-ordered 48 rows at a time into depth pairs; an
//               8×48 register tile of `vdpbf16ps`, 32 bf16 multiply-adds per instruction, f32 sums. Again what
//               oneDNN's bf16 linear does on such a CPU.
//   widenF32    portable Swift: widen a block of W's rows to f32 (exact: bf16 is the top half of a float32), then
//               the f32 `gemm`; A stays f32. The fallback on every other CPU and the naive twin of both hardware
//               paths (given A already rounded to bf16 they differ only in summation order).
//
// The hardware paths run only after runtime detection (CPUID, XCR0, and for AMX Linux's arch_prctl permission for
// tile data); `EngineOptions.amx` = false (`--no-amx`) turns both off for the whole process, and
// `BF16GemmPolicy.$forced` picks a path for one task (tests compare them in the same process).
//
// Intel AMX: https://www.intel.com/content/www/us/en/content-details/671488/ (ISA extensions reference, ch. 3);
// VDPBF16PS: Intel® 64 and IA-32 Architectures Software Developer's Manual, vol. 2C.

import CKernels
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a bf16-weight matrix product is computed.
public enum BF16GemmPath: String, Sendable, CaseIterable {
    /// AMX tiles; activations rounded to bf16, f32 sums.
    case amx
    /// AVX512-BF16 dot products (`vdpbf16ps`); activations rounded to bf16, f32 sums.
    case avx512BF16
    /// W widened to f32 block by block, then the f32 gemm; activations stay f32.
    case widenF32
}

/// Which path `gemmBF16Weights` takes when the caller does not say.
public enum BF16GemmPolicy {
    /// The CPU and OS allow AMX-BF16 (whatever `EngineOptions.amx` says).
    public static let amxSupported: Bool = ck_amx_bf16_supported()
    /// The CPU has AVX-512F, the 16-lane f32 vectors the `widenF32` path's gemm is compiled for (-march=native).
    public static let avx512Supported: Bool = ck_avx512f_supported()

    /// The CPU and OS allow AVX-512 F/BW/VL with AVX512-BF16 (implied by `amxSupported`).
    public static let avx512BF16Supported: Bool = ck_avx512bf16_supported()

    /// The fastest path this CPU has: AMX, else AVX512-BF16, else `widenF32`.
    public static let hardwarePath: BF16GemmPath = amxSupported ? .amx : avx512BF16Supported ? .avx512BF16 : .widenF32

    /// The default path for this process: `hardwarePath` while `EngineOptions.current.amx` is on (benchmarks and
    /// `--no-amx` turn it off to time the exact fallback), otherwise `widenF32`.
    public static var defaultPath: BF16GemmPath {
        EngineOptions.current.amx ? hardwarePath : .widenF32
    }

    /// Whether this CPU can take `path`.
    public static func isSupported(_ path: BF16GemmPath) -> Bool {
        switch path {
        case .amx: amxSupported
        case .avx512BF16: avx512BF16Supported
        case .widenF32: true
        }
    }

    /// Forces a path for the current task (and the model calls it makes); nil = `defaultPath`.
    /// Forcing a hardware path this CPU lacks takes `.widenF32`.
    @TaskLocal public static var forced: BF16GemmPath?
}

/// C = A·Wᵀ: c[i, j] = Σₚ a[i, p] · W[j, p], W bf16 [n, k] with row stride `ldw` elements at any 2-byte alignment.
///
/// - Parameters:
///   - a: [m, k] f32, row stride `lda`.   - c: [m, n] f32, row stride `ldc` (overwritten).
///   - path: nil = `BF16GemmPolicy.forced ?? defaultPath`; a hardware path this CPU lacks falls back to `widenF32`.
/// - Returns: the path actually taken.
@discardableResult
public func gemmBF16Weights(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                            w: UnsafeRawPointer, ldw: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
                            threads: Int = labThreadCount, path: BF16GemmPath? = nil) -> BF16GemmPath {
    guard m > 0, n > 0 else { return path ?? BF16GemmPolicy.defaultPath }
    var chosen = path ?? BF16GemmPolicy.forced ?? BF16GemmPolicy.defaultPath
    if !BF16GemmPolicy.isSupported(chosen) { chosen = .widenF32 }
    switch chosen {
    case .amx, .avx512BF16:
        gemmBF16Packed(chosen, m: m, n: n, k: k, a: a, lda: lda, w: w, ldw: ldw, c: c, ldc: ldc, threads: threads)
    case .widenF32: gemmBF16Widened(m: m, n: n, k: k, a: a, lda: lda, w: w, ldw: ldw, c: c, ldc: ldc, threads: threads)
    }
    return chosen
}

/// The hardware paths: pack A once as bf16 (threads split its 32-row blocks), then threads split W's rows in the
/// kernel's panels (32 rows for AMX, 48 for AVX512-BF16); each worker re-orders its own panels (and configures its
/// own tiles) inside the C kernel.
private func gemmBF16Packed(_ path: BF16GemmPath, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int,
                            w: UnsafeRawPointer, ldw: Int, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
    precondition(m <= Int(Int32.max) && n <= Int(Int32.max) && k <= Int(Int32.max) && ldw <= Int(Int32.max)
                 && lda <= Int(Int32.max) && ldc <= Int(Int32.max), "gemmBF16Weights: sizes must fit in Int32")
    let bytes = ck_packed_activations_bytes(Int32(m), Int32(k))
    let packed = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 64), alignment: 64)
    defer { packed.deallocate() }
    let packedA = packed.bindMemory(to: UInt16.self, capacity: max(bytes, 64) / 2)
    let workers = 2 * m * n * k < 4_000_000 ? 1 : max(1, threads)
    let mBlocks = (m + 31) / 32
    parallelFor(mBlocks, threads: workers, minChunk: 4) { blocks in
        let ok = ck_pack_activations_bf16(a, Int32(lda), Int32(m), Int32(k), Int32(blocks.lowerBound * 32),
                                          Int32(min(blocks.upperBound * 32, m)), packedA)
        precondition(ok, "gemmBF16Weights: bf16 packing refused after detection said yes")
    }
    let panel = path == .amx ? 32 : 48
    parallelFor((n + panel - 1) / panel, threads: workers) { blocks in
        let n0 = Int32(blocks.lowerBound * panel), n1 = Int32(min(blocks.upperBound * panel, n))
        let ok = path == .amx
            ? ck_gemm_bf16_amx(packedA, Int32(m), Int32(k), w, Int32(ldw), n0, n1, c, Int32(ldc))
            : ck_gemm_bf16_avx512(packedA, Int32(m), Int32(k), w, Int32(ldw), n0, n1, c, Int32(ldc))
        precondition(ok, "gemmBF16Weights: \(path) kernel refused after detection said yes")
    }
}

/// The portable path: widen ≤ 4 MB of W's rows at a time to f32 and multiply that block with `gemm`.
private func gemmBF16Widened(m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, w: UnsafeRawPointer, ldw: Int,
                             c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int) {
    let block = max(1, min(n, (1 << 20) / max(k, 1)))              // ≤ 1 Mi floats = 4 MB of scratch
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * k)
    defer { scratch.deallocate() }
    for r0 in stride(from: 0, to: n, by: block) {
        let rows = min(block, n - r0)
        for r in 0..<rows {                                         // bf16 → f32 is a shift left by 16
            let src = w + (r0 + r) * ldw * 2, dst = scratch + r * k
            for p in 0..<k {
                dst[p] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: 2 * p, as: UInt16.self)) << 16)
            }
        }
        gemm(transA: false, transB: true, m: m, n: rows, k: k, a: a, lda: lda, b: scratch, ldb: k,
             c: c + r0, ldc: ldc, accumulate: false, threads: threads)
    }
}
