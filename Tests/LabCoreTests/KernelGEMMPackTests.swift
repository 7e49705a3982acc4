// gemm's panel packing in C (16×16 AVX-512 register transposes) against its definition: A panels
// (ck_pack_rows12_f32), dst[p·12 + r] = r < rows ? a[r·lda + p] : 0, and B panels of a transposed B
// (ck_pack_cols32_f32), dst[p·32 + j] = j < cols ? b[j·ldb + p] : 0 — over depths with and without a tail
// (depth mod 16), padded row strides, full and ragged strips (the rows past `rows`/`cols` are not even allocated).
// gemmEqualsNaive (KernelGEMMTests) covers the same code inside whole products.
import CKernels
import Foundation
import Testing
@testable import LabCore

@Test func packRows12EqualsTranspose() {
    var worst: Float = 0
    var checked = 0
    for depth in [1, 5, 15, 16, 17, 31, 32, 48, 63, 96, 192, 257] {
        for (pad, rows) in [(0, 12), (3, 12), (3, 8), (0, 1)] {
            let lda = depth + pad
            let a = randomFloats((rows - 1) * lda + depth, seed: UInt64(depth * 10 + pad + rows))
            var dst = [Float](repeating: .nan, count: depth * 12 + 16)   // 16 sentinels past the panel
            let packed = a.withUnsafeBufferPointer { ap in
                dst.withUnsafeMutableBufferPointer { ck_pack_rows12_f32(ap.baseAddress!, lda, rows, depth, $0.baseAddress!) }
            }
            #if arch(x86_64)
            // The lab's kernels are built for this CPU (-target-cpu native); the C path must be the one taken here.
            #expect(packed == ckHasAVX512F(), "depth \(depth): packing declined on a CPU with AVX-512F")
            #endif
            guard packed else { continue }
            for p in 0..<depth {
                for r in 0..<12 { worst = max(worst, abs(dst[p * 12 + r] - (r < rows ? a[r * lda + p] : 0))) }
            }
            #expect(dst[(depth * 12)...].allSatisfy { $0.isNaN }, "depth \(depth): wrote past the panel")
            checked += 1
        }
    }
    #expect(worst == 0)
    print("ck_pack_rows12_f32: \(checked) panels checked, max abs diff \(worst)")
}

@Test func packCols32EqualsTranspose() {
    var worst: Float = 0
    var checked = 0
    for depth in [1, 5, 15, 16, 17, 31, 32, 48, 63, 128, 257] {
        for (pad, cols) in [(0, 32), (3, 32), (3, 17), (0, 16), (5, 9), (0, 1)] {
            let ldb = depth + pad
            let b = randomFloats((cols - 1) * ldb + depth, seed: UInt64(depth * 100 + pad * 40 + cols))
            var dst = [Float](repeating: .nan, count: depth * 32 + 16)   // 16 sentinels past the panel
            let packed = b.withUnsafeBufferPointer { bp in
                dst.withUnsafeMutableBufferPointer { ck_pack_cols32_f32(bp.baseAddress!, ldb, cols, depth, $0.baseAddress!) }
            }
            #if arch(x86_64)
            #expect(packed == ckHasAVX512F(), "depth \(depth): packing declined on a CPU with AVX-512F")
            #endif
            guard packed else { continue }
            for p in 0..<depth {
                for j in 0..<32 { worst = max(worst, abs(dst[p * 32 + j] - (j < cols ? b[j * ldb + p] : 0))) }
            }
            #expect(dst[(depth * 32)...].allSatisfy { $0.isNaN }, "depth \(depth): wrote past the panel")
            checked += 1
        }
    }
    #expect(worst == 0)
    print("ck_pack_cols32_f32: \(checked) panels checked, max abs diff \(worst)")
}

/// AVX-512F per CPUID leaf 7 (EBX bit 16), read from /proc/cpuinfo so the test does not share the kernel's check.
private func ckHasAVX512F() -> Bool {
    guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return false }
    return info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").contains("avx512f") ?? false
}
