// KernelBenchReport — `lmlab bench kernels`: streaming-read bandwidth, the bf16 matvec at ERNIE-4.5-0.3B's
// shapes (and its fraction of the stream bandwidth) and the f32 matmul, measured by LabCore's
// `runKernelBenchmark` (KernelBenchmark.swift), with the machine's load beside them.
import Foundation
import Lab
import LabCore

/// What `bench kernels` prints, JSON keys as written.
public struct KernelBenchReport: Encodable, Sendable {
    /// Every repetition's figure, for the JSON.
    public struct Samples: Encodable, Sendable {
        public let stream_read_gbps: [Double]
        public let bf16_matvec_gbps: [String: [Double]]
        public let matmul_gflops: [Double]
    }
    public let build: String
    public let threads: Int
    public let repetitions: Int
    public let cpu: String
    public let cores: Int
    public let load_average_before: [Double]
    public let load_average_after: [Double]
    public let stream_read_gbps: Double
    public let bf16_matvec_gbps: [String: Double]
    public let bf16_matvec_fraction_of_stream: [String: Double]
    public let matmul_gflops: Double
    public let samples: Samples
    /// MiB streamed per repetition (shown in the text only).
    let poolMiB: Int
    /// The shapes in the order measured (the dictionaries above have none).
    let shapes: [String]

    enum CodingKeys: String, CodingKey {
        case build, threads, repetitions, cpu, cores, load_average_before, load_average_after, stream_read_gbps,
             bf16_matvec_gbps, bf16_matvec_fraction_of_stream, matmul_gflops, samples
    }

    /// A pool above half of this machine's memory would be swapped out, timing the disk instead of the kernels.
    /// - Throws: `OptionError` naming --pool-mib.
    public static func checkPool(mib: Int, physicalMemory: UInt64 = ProcessInfo.processInfo.physicalMemory) throws {
        guard UInt64(mib) << 20 <= physicalMemory / 2 else {
            throw OptionError("--pool-mib \(mib) is more than half of this machine's memory "
                + "(\(physicalMemory >> 20) MiB). HINT: use --pool-mib 1024.")
        }
    }

    /// Runs the kernel benchmark; `progress` hears a line before each stage.
    public static func measure(threads: Int, repetitions: Int, poolMiB: Int,
                               progress: (String) -> Void) -> KernelBenchReport {
        let loadBefore = BenchClock.loadAverage()
        let result = runKernelBenchmark(threads: threads, repetitions: repetitions, poolBytes: poolMiB << 20,
                                        progress: progress)
        let loadAfter = BenchClock.loadAverage()
        var matvec: [String: Double] = [:], fraction: [String: Double] = [:], matvecSamples: [String: [Double]] = [:]
        for (shape, timing) in result.bf16Matvec {
            matvec[shape] = timing.median
            matvecSamples[shape] = timing.samples
        }
        for (shape, timing) in result.bf16MatvecFraction { fraction[shape] = timing.median }
        return KernelBenchReport(
            build: BenchClock.build, threads: result.threads, repetitions: result.repetitions,
            cpu: BenchClock.cpuModel(), cores: ProcessInfo.processInfo.activeProcessorCount,
            load_average_before: loadBefore, load_average_after: loadAfter,
            stream_read_gbps: result.streamRead.median, bf16_matvec_gbps: matvec,
            bf16_matvec_fraction_of_stream: fraction, matmul_gflops: result.matmul.median,
            samples: Samples(stream_read_gbps: result.streamRead.samples, bf16_matvec_gbps: matvecSamples,
                             matmul_gflops: result.matmul.samples),
            poolMiB: poolMiB, shapes: result.bf16Matvec.map(\.shape))
    }

    /// The report as a few readable lines.
    public var text: String {
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        var lines = [
            "LMLab kernel benchmark — \(threads) thread\(threads == 1 ? "" : "s"), \(build) build, median of \(repetitions)",
            "CPU: \(cpu) (\(cores) cores) · load average \(BenchClock.format(load: load_average_before)) before, "
                + "\(BenchClock.format(load: load_average_after)) after",
            "  \(pad("stream read (\(poolMiB) MiB)", 28)) \(pad(fixed(stream_read_gbps) + " GB/s", 14))",
        ]
        for shape in shapes {
            let name = "bf16 matvec " + shape.replacingOccurrences(of: "x", with: "×")
            lines.append("  \(pad(name, 28)) \(pad(fixed(bf16_matvec_gbps[shape] ?? .nan) + " GB/s", 14)) "
                         + "\(fixed(100 * (bf16_matvec_fraction_of_stream[shape] ?? .nan), 0)) % of stream read")
        }
        lines.append("  \(pad("f32 matmul 512×1024×3072", 28)) \(fixed(matmul_gflops)) GFLOP/s")
        if build == "debug" { lines.append("(debug build: re-run with `swift run -c release lmlab bench kernels`)") }
        return lines.joined(separator: "\n")
    }
}
