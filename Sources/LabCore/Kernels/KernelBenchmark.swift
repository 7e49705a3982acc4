// KernelBenchmark — the measurements behind `lmlab bench kernels` (docs/PERFORMANCE.md, "Kernels").
//
// Three numbers decide how fast the lab runs a model on a CPU:
//   - stream read GB/s: the memory bandwidth ceiling (StreamRead.swift);
//   - bf16 matvec GB/s: how close decoding's kernel gets to that ceiling, at ERNIE-4.5-0.3B's shapes
//     (3072×1024 is the MLP's gate/up projection, 103424×1024 the tied embedding used as lm_head);
//   - f32 matmul GFLOP/s at 512×1024×3072: prefill and training, which are compute-bound.
// Decoding reads each layer's weights once per token and nothing stays in cache between tokens, so the matvec
// is timed over a pool of distinct matrices totalling ≥ 1 GiB (like the stream read), one pass per repetition.
// Every figure is the median of the repetitions, with all repetitions kept for the report.

import Dispatch

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
    public var streamRead: KernelTiming
    /// GFLOP/s of `gemm` at M=512, K=1024, N=3072 (2·M·N·K flops per product).
    public var matmul: KernelTiming
}

/// The bf16 matvec shapes measured: [rows, cols].
public let benchmarkMatvecShapes: [(rows: Int, cols: Int)] = [(3072, 1024), (103_424, 1024)]

/// Measures stream read, bf16 matvec and f32 matmul; `progress` receives a line before each stage.
///
/// - Parameters:
///   - threads: worker threads for every kernel.
///   - repetitions: timed repetitions per kernel (after one warm-up); medians are reported.
///   - poolBytes: bytes of distinct data per streaming repetition (default 1 GiB).
public func runKernelBenchmark(threads: Int, repetitions: Int, poolBytes: Int = 1 << 30,
                               progress: (String) -> Void = { _ in }) -> KernelBenchmarkResult {
    func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
    }
    var sink: Float = 0                                  // keeps results alive so no work is optimised away

    // 1. Streaming read.
    progress("stream read: filling \(poolBytes >> 20) MiB")
    var stream = KernelTiming(samples: [])
    do {
        let buffer = StreamReadBuffer(bytes: poolBytes)
        _ = buffer.measure(threads: threads)            // warm-up
        for _ in 0..<repetitions {
            let (sum, gbps) = buffer.measure(threads: threads)
            sink += sum
            stream.samples.append(gbps)
        }
    }

    // 2. bf16 matvec over a pool of distinct matrices (≥ poolBytes, at least one matrix).
    var matvecs: [(String, KernelTiming)] = []
    for (rows, cols) in benchmarkMatvecShapes {
        let matrixBytes = 2 * rows * cols
        let copies = max(1, (poolBytes + matrixBytes - 1) / matrixBytes)
        progress("bf16 matvec \(rows)×\(cols): filling \(copies) matrices (\(copies * matrixBytes >> 20) MiB)")
        let pool = UnsafeMutableRawPointer.allocate(byteCount: copies * matrixBytes, alignment: 64)
        defer { pool.deallocate() }
        let bits = pool.bindMemory(to: UInt16.self, capacity: copies * rows * cols)
        parallelFor(copies * rows * cols, threads: threads, minChunk: 1 << 20) { range in
            var state = UInt32(truncatingIfNeeded: range.lowerBound) | 1
            for i in range {                            // xorshift → bf16 of magnitude in [2⁻⁷, 2), never subnormal
                state ^= state << 13; state ^= state >> 17; state ^= state << 5
                bits[i] = UInt16(0x3C00 | (state & 0x3FF)) | UInt16(state & 0x8000)
            }
        }
        let x = (0..<cols).map { Float($0 % 7) * 0.25 - 0.75 }
        var y = [Float](repeating: 0, count: rows)
        func pass() {
            x.withUnsafeBufferPointer { xp in
                y.withUnsafeMutableBufferPointer { yp in
                    for c in 0..<copies {
                        matvecBF16(rows: rows, cols: cols, w: UnsafeRawPointer(pool + c * matrixBytes),
                                   x: xp.baseAddress!, y: yp.baseAddress!, threads: threads)
                    }
                }
            }
            sink += y[0]
        }
        pass()                                          // warm-up
        var timing = KernelTiming(samples: [])
        for _ in 0..<repetitions {
            let t = seconds(pass)
            timing.samples.append(Double(copies * matrixBytes) / t / 1e9)
        }
        matvecs.append(("\(rows)x\(cols)", timing))
    }

    // 3. f32 matmul, C[512, 3072] = A[512, 1024] · B[1024, 3072].
    let (m, k, n) = (512, 1024, 3072)
    progress("f32 matmul \(m)×\(k)×\(n)")
    var rng = SeededRNG(seed: 42)
    let a = (0..<(m * k)).map { _ in Float(rng.nextDouble()) - 0.5 }
    let b = (0..<(k * n)).map { _ in Float(rng.nextDouble()) - 0.5 }
    var c = [Float](repeating: 0, count: m * n)
    func product() {
        gemm(transA: false, transB: false, m: m, n: n, k: k, a: a, lda: k, b: b, ldb: n, c: &c, ldc: n,
             accumulate: false, threads: threads)
        sink += c[0]
    }
    product()                                           // warm-up
    var matmul = KernelTiming(samples: [])
    for _ in 0..<repetitions { matmul.samples.append(2 * Double(m * n * k) / seconds(product) / 1e9) }

    if sink.isNaN { progress("(checksum NaN)") }       // reads the sink so it cannot be discarded
    return KernelBenchmarkResult(threads: threads, repetitions: repetitions, bf16Matvec: matvecs,
                                 streamRead: stream, matmul: matmul)
}
