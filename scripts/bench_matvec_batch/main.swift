// Kernel-level measurement behind WeightMatrix.apply's choice for a few rows (docs/PERFORMANCE.md, "Batched
// decode"): for B rows of X against one weight matrix, on ONE thread, by the thread's CPU time (which discounts
// time descheduled by other processes on a shared machine), best of 3 passes over a pool of ≥ 512 MiB of
// distinct matrices (nothing served from cache):
//   bf16 W: matvecBF16Batch vs B × matvecBF16 vs widening W to f32 in blocks + gemm (the path before batching);
//   f32 W:  gemm (its skinny path reads W once for all rows) vs B × matvec.
// Built by scripts/bench_matvec_batch.sh together with Sources/LabCore (one module, so internals are visible).
import Foundation
#if canImport(Glibc)
import Glibc
#endif

func cpuSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    return (0..<count).map { _ in Float(rng.nextNormal()) }
}
/// Best of `passes` of `body(copy)` over every copy; seconds per call.
func best(_ passes: Int, copies: Int, _ body: (Int) -> Void) -> Double {
    var s = Double.infinity
    for _ in 0..<passes {
        let t = cpuSeconds()
        for c in 0..<copies { body(c) }
        s = min(s, (cpuSeconds() - t) / Double(copies))
    }
    return s
}

print("bf16 W [rows, cols], B rows of X, 1 thread, ms per product (CPU time)")
print("shape          B   batched   B×matvec   widen+gemm   batched/(1 matvec)")
for (rows, cols) in [(3072, 1024), (1024, 3072), (103_424, 1024)] {
    let matrixBytes = 2 * rows * cols, copies = max(1, (512 << 20) / matrixBytes)
    let pool = UnsafeMutableRawPointer.allocate(byteCount: copies * matrixBytes, alignment: 64)
    defer { pool.deallocate() }
    let bits = pool.bindMemory(to: UInt16.self, capacity: copies * rows * cols)
    var state: UInt32 = 12345
    for i in 0..<(copies * rows * cols) {               // xorshift → bf16 of magnitude in [2⁻⁷, 2)
        state ^= state << 13; state ^= state >> 17; state ^= state << 5
        bits[i] = UInt16(0x3C00 | (state & 0x3FF)) | UInt16(state & 0x8000)
    }
    let scratch = UnsafeMutablePointer<Float>.allocate(capacity: (1 << 20) + cols)
    defer { scratch.deallocate() }
    var single = 0.0
    for b in [1, 2, 4, 8, 16] {
        let x = randomFloats(b * cols, seed: 1)
        var y = [Float](repeating: 0, count: b * rows)
        let batched = best(3, copies: copies) { c in
            y.withUnsafeMutableBufferPointer {
                matvecBF16Batch(rows: rows, cols: cols, batch: b, w: pool + c * matrixBytes, x: x, y: $0.baseAddress!, threads: 1)
            }
        }
        let separate = best(3, copies: copies) { c in
            y.withUnsafeMutableBufferPointer { yb in
                x.withUnsafeBufferPointer { xb in
                    for i in 0..<b {
                        matvecBF16(rows: rows, cols: cols, w: pool + c * matrixBytes, x: xb.baseAddress! + i * cols,
                                   y: yb.baseAddress! + i * rows, threads: 1)
                    }
                }
            }
        }
        if b == 1 { single = separate }
        let widened = best(3, copies: copies) { c in       // the path WeightMatrix.apply took before batching
            let w = UnsafeRawPointer(pool + c * matrixBytes)
            let block = max(1, min(rows, (1 << 20) / cols))
            y.withUnsafeMutableBufferPointer { yb in
                for r0 in stride(from: 0, to: rows, by: block) {
                    let n = min(block, rows - r0), src = w + 2 * r0 * cols
                    for i in 0..<(n * cols) {
                        scratch[i] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
                    }
                    gemm(transA: false, transB: true, m: b, n: n, k: cols, a: x, lda: cols, b: scratch, ldb: cols,
                         c: yb.baseAddress! + r0, ldc: rows, accumulate: false, threads: 1)
                }
            }
        }
        print(String(format: "%6dx%-5d %3d %8.3f %10.3f %12.3f %12.2f×", rows, cols, b, batched * 1e3, separate * 1e3,
                     widened * 1e3, batched / single))
    }
}

print("\nf32 W [rows, cols], B rows of X, 1 thread, ms per product (CPU time)")
print("shape          B   gemm      B×matvec")
for (rows, cols) in [(3072, 1024), (512, 192), (3072, 192)] {
    let floats = rows * cols, copies = max(1, (256 << 20) / (4 * floats))
    let w = randomFloats(copies * floats, seed: 3)
    for b in [1, 2, 4, 8] {
        let x = randomFloats(b * cols, seed: 1)
        var y = [Float](repeating: 0, count: b * rows)
        let g = best(3, copies: copies) { c in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer {
                    gemm(transA: false, transB: true, m: b, n: rows, k: cols, a: x, lda: cols, b: wb.baseAddress! + c * floats,
                         ldb: cols, c: $0.baseAddress!, ldc: rows, accumulate: false, threads: 1)
                }
            }
        }
        let m = best(3, copies: copies) { c in
            w.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    x.withUnsafeBufferPointer { xb in
                        for i in 0..<b {
                            matvec(rows: rows, cols: cols, w: wb.baseAddress! + c * floats, x: xb.baseAddress! + i * cols,
                                   y: yb.baseAddress! + i * rows, threads: 1)
                        }
                    }
                }
            }
        }
        print(String(format: "%6dx%-5d %3d %8.3f %10.3f", rows, cols, b, g * 1e3, m * 1e3))
    }
}
