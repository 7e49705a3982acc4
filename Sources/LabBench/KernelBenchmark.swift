// KernelBenchmark — the measurements behind `lmlab bench kernels` (docs/PERFORMANCE.md, "Kernels").
//
// Three numbers decide how fast the lab runs a model on a CPU:
//   - stream read GB/s: the memory bandwidth ceiling (StreamRead.swift);
//   - bf16 matvec GB/s: how close decoding's kernel gets to that ceiling, at ERNIE-4.5-0.3B's shapes
//     (3072×1024 is the MLP's gate/up projection, 103424×1024 the tied embedding used as lm_head);
//   - f32 matmul GFLOP/s at 512×1024×3072: prefill and training, which are compute-bound.
// Decoding reads each layer's weights once per token and nothing stays in cache between tokens, so the matvec
// is timed over a pool of distinct matrices totalling ≥ 1 GiB (like the stream read), one pass per repetition.
// Repetitions interleave the kernels; every figure is the median over repetitions, all samples kept.

import Dispatch
import LabCore

/// One kernel measurement: every repetition and their median.
public struct KernelTiming: Codable, Sendable {
    public var samples: [Double]
    public var median: Double {
        let s = samples.sorted()
        guard !s.isEmpty else { return .nan }
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    public init(samples: [Double]) { self.samples = samples }
}

/// Results of `runKernelBenchmark`.
public struct KernelBenchmarkResult: Sendable {
    public var threads: Int
    public var repetitions: Int
    /// GB/s (10⁹ bytes/s) of the bf16 matvec by shape name, e.g. "3072x1024".
    public var bf16Matvec: [(shape: String, timing: KernelTiming)]
    /// bf16 matvec GB/s ÷ stream read GB/s of the same repetition, by shape name.
    public var bf16MatvecFraction: [(shape: String, timing: KernelTiming)]
    public var streamRead: KernelTiming
    /// GFLOP/s of `gemm` at M=512, K=1024, N=3072 (2·M·N·K flops per product).
    public var matmul: KernelTiming
}

/// The bf16 matvec shapes measured: [rows, cols].
public let benchmarkMatvecShapes: [(rows: Int, cols: Int)] = [(3072, 1024), (103_424, 1024)]

/// Measures stream read, bf16 matvec and f32 matmul; `progress` receives a line before each stage.
///
/// Each repetition runs every kernel once, one after the other, so a burst of load from other processes hits
/// all of them alike; the matvec's fraction of the stream bandwidth is taken within each repetition.
/// - Parameters:
///   - threads: worker threads for every kernel.
///   - repetitions: timed repetitions (after one warm-up); medians are reported.
///   - poolBytes: bytes of distinct data per streaming measurement (default 1 GiB).
public func runKernelBenchmark(threads: Int, repetitions: Int, poolBytes: Int = 1 << 30,
                               progress: (String) -> Void = { _ in }) -> KernelBenchmarkResult {
    func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
    var sink: Float = 0                                  // keeps results alive so no work is optimised away

    // Stream-read buffer.
    progress("stream read: filling \(poolBytes >> 20) MiB")
    let buffer = StreamReadBuffer(bytes: poolBytes)

    // bf16 matvec: per shape, a pool of distinct matrices (≥ poolBytes, at least one matrix).
    struct MatvecPool {
        let rows: Int, cols: Int, copies: Int, base: UnsafeMutableRawPointer
        var matrixBytes: Int { 2 * rows * cols }
    }
    var pools: [MatvecPool] = []
    defer { for pool in pools { pool.base.deallocate() } }
    for (rows, cols) in benchmarkMatvecShapes {
        let matrixBytes = 2 * rows * cols
        let copies = max(1, (poolBytes + matrixBytes - 1) / matrixBytes)
        progress("bf16 matvec \(rows)×\(cols): filling \(copies) matrices (\(copies * matrixBytes >> 20) MiB)")
        let base = UnsafeMutableRawPointer.allocate(byteCount: copies * matrixBytes, alignment: 64)
        let bits = base.bindMemory(to: UInt16.self, capacity: copies * rows * cols)
        parallelFor(copies * rows * cols, threads: threads, minChunk: 1 << 20) { range in
            var state = UInt32(truncatingIfNeeded: range.lowerBound) | 1
            for i in range {                            // xorshift → bf16 of magnitude in [2⁻⁷, 2), never subnormal
                state ^= state << 13; state ^= state >> 17; state ^= state << 5
                bits[i] = UInt16(0x3C00 | (state & 0x3FF)) | UInt16(state & 0x8000)
            }
        }
        pools.append(MatvecPool(rows: rows, cols: cols, copies: copies, base: base))
    }
    let maxRows = benchmarkMatvecShapes.map(\.rows).max() ?? 1, maxCols = benchmarkMatvecShapes.map(\.cols).max() ?? 1
    let x = (0..<maxCols).map { Float($0 % 7) * 0.25 - 0.75 }
    var y = [Float](repeating: 0, count: maxRows)
    func matvecPass(_ pool: MatvecPool) {
        x.withUnsafeBufferPointer { xp in
            y.withUnsafeMutableBufferPointer { yp in
                for c in 0..<pool.copies {
                    matvecBF16(rows: pool.rows, cols: pool.cols, w: UnsafeRawPointer(pool.base + c * pool.matrixBytes),
                               x: xp.baseAddress!, y: yp.baseAddress!, threads: threads)
                }
            }
        }
        sink += y[0]
    }

    // f32 matmul, C[512, 3072] = A[512, 1024] · B[1024, 3072].
    let (m, k, n) = (512, 1024, 3072)
    var rng = SeededRNG(seed: 42)
    let a = (0..<(m * k)).map { _ in Float(rng.nextDouble()) - 0.5 }
    let b = (0..<(k * n)).map { _ in Float(rng.nextDouble()) - 0.5 }
    var c = [Float](repeating: 0, count: m * n)
    func product() {
        gemm(transA: false, transB: false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &c, ldc: n,
             accumulate: false, threads: threads)
        sink += c[0]
    }

    // Warm-up, then interleaved repetitions.
    progress("warm-up, then \(repetitions) repetitions of: stream read, bf16 matvec per shape, f32 matmul \(m)×\(k)×\(n)")
    sink += buffer.measure(threads: threads).sum
    for pool in pools { matvecPass(pool) }
    product()
    var stream = KernelTiming(samples: []), matmul = KernelTiming(samples: [])
    var matvec = pools.map { _ in KernelTiming(samples: []) }, fraction = matvec
    for _ in 0..<repetitions {
        let (sum, streamGBps) = buffer.measure(threads: threads)
        sink += sum
        stream.samples.append(streamGBps)
        for (i, pool) in pools.enumerated() {
            let gbps = Double(pool.copies * pool.matrixBytes) / seconds { matvecPass(pool) } / 1e9
            matvec[i].samples.append(gbps)
            fraction[i].samples.append(gbps / streamGBps)
        }
        matmul.samples.append(2 * Double(m * n * k) / seconds(product) / 1e9)
    }

    if sink.isNaN { progress("(checksum NaN)") }       // reads the sink so it cannot be discarded
    let names = pools.map { "\($0.rows)x\($0.cols)" }
    return KernelBenchmarkResult(threads: threads, repetitions: repetitions,
                                 bf16Matvec: Array(zip(names, matvec)).map { ($0.0, $0.1) },
                                 bf16MatvecFraction: Array(zip(names, fraction)).map { ($0.0, $0.1) },
                                 streamRead: stream, matmul: matmul)
}
