// `lmlab bench …`: how fast this machine runs the lab. `bench kernels` measures the numerical kernels
// (LabCore/Kernels/KernelBenchmark.swift); other benches (decode, prefill) join as further subcommands.
import ArgumentParser
import Foundation
import LabCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure how fast this machine runs the lab (use a release build).",
        subcommands: [BenchKernels.self, BenchTokenize.self, BenchDecode.self, BenchPrefill.self, BenchExplorers.self,
                      BenchBeam.self])
}

struct BenchKernels: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kernels",
        abstract: "Memory bandwidth, bf16 matvec and f32 matmul speed of the lab's kernels.",
        discussion: """
        Reports the streaming-read bandwidth (sum over 1 GiB), the bf16 matrix-vector product at \
        ERNIE-4.5-0.3B's shapes 3072×1024 and 103424×1024 (GB/s and its fraction of the stream bandwidth), \
        and the f32 matrix product 512×1024×3072 (GFLOP/s). Each repetition runs every kernel once; each figure \
        is the median over --repetitions (the fraction is taken within each repetition). \
        Numbers depend on what else the machine is doing: the load average is printed with them.

        Examples:
          swift run -c release lmlab bench kernels
          swift run -c release lmlab bench kernels --threads 1 --json
        """)

    @Flag(name: .long, help: "Print JSON (keys: stream_read_gbps, bf16_matvec_gbps, matmul_gflops, …).")
    var json = false

    @Option(name: .long, parsing: .unconditional, help: "Worker threads (1…256; default: LMLAB_THREADS or the number of cores).")
    var threads: Int = labThreadCount

    @Option(name: .long, parsing: .unconditional, help: "Timed repetitions per kernel (1…1000); the median is reported.")
    var repetitions: Int = 7

    @Option(name: .customLong("pool-mib"), parsing: .unconditional, help: "MiB streamed per repetition (stream read and matvec pool; 16…65536, and within the machine's memory).")
    var poolMiB: Int = 1024

    func validate() throws {
        try checkRange("--threads", threads, 1...256)
        try checkRange("--repetitions", repetitions, 1...1000)
        try checkRange("--pool-mib", poolMiB, 16...65536, hint: "use --pool-mib 1024 or more, so the data cannot sit in a cache.")
        guard UInt64(poolMiB) << 20 <= ProcessInfo.processInfo.physicalMemory / 2 else {
            throw ValidationError("--pool-mib \(poolMiB) is more than half of this machine's memory "
                + "(\(ProcessInfo.processInfo.physicalMemory >> 20) MiB). HINT: use --pool-mib 1024.")
        }
    }

    /// The build configuration of this binary: kernels are optimised in both, but the harness is not.
    static var buildConfiguration: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    func run() throws {
        let build = Self.buildConfiguration
        if build == "debug" {
            FileHandleOutput.standardError(
                "warning: this is a debug build; numbers may be low. HINT: swift run -c release lmlab bench kernels")
        }
        let loadBefore = Self.loadAverage()
        let result = runKernelBenchmark(threads: threads, repetitions: repetitions, poolBytes: poolMiB << 20) { line in
            if !json { FileHandleOutput.standardError("… \(line)") }
        }
        let loadAfter = Self.loadAverage()
        let stream = result.streamRead.median

        if json {
            var matvec: [String: Double] = [:], fraction: [String: Double] = [:], matvecSamples: [String: [Double]] = [:]
            for (shape, timing) in result.bf16Matvec {
                matvec[shape] = timing.median
                matvecSamples[shape] = timing.samples
            }
            for (shape, timing) in result.bf16MatvecFraction { fraction[shape] = timing.median }
            let report = Report(
                build: build, threads: result.threads, repetitions: result.repetitions, cpu: Self.cpuModel(),
                cores: ProcessInfo.processInfo.activeProcessorCount,
                load_average_before: loadBefore, load_average_after: loadAfter,
                stream_read_gbps: stream, bf16_matvec_gbps: matvec, bf16_matvec_fraction_of_stream: fraction,
                matmul_gflops: result.matmul.median,
                samples: Samples(stream_read_gbps: result.streamRead.samples, bf16_matvec_gbps: matvecSamples,
                                 matmul_gflops: result.matmul.samples))
            print(try jsonString(report))
            return
        }
        func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
        func pad(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }
        print("LMLab kernel benchmark — \(result.threads) thread\(result.threads == 1 ? "" : "s"), \(build) build, median of \(result.repetitions)")
        print("CPU: \(Self.cpuModel()) (\(ProcessInfo.processInfo.activeProcessorCount) cores) · load average \(Self.format(loadBefore)) before, \(Self.format(loadAfter)) after")
        print("  \(pad("stream read (\(poolMiB) MiB)", 28)) \(pad(f(stream) + " GB/s", 14))")
        for ((shape, timing), (_, fraction)) in zip(result.bf16Matvec, result.bf16MatvecFraction) {
            let name = "bf16 matvec " + shape.replacingOccurrences(of: "x", with: "×")
            print("  \(pad(name, 28)) \(pad(f(timing.median) + " GB/s", 14)) \(f(100 * fraction.median, 0)) % of stream read")
        }
        print("  \(pad("f32 matmul 512×1024×3072", 28)) \(f(result.matmul.median)) GFLOP/s")
        if build == "debug" { print("(debug build: re-run with `swift run -c release lmlab bench kernels`)") }
    }

    struct Samples: Encodable {
        let stream_read_gbps: [Double]
        let bf16_matvec_gbps: [String: [Double]]
        let matmul_gflops: [Double]
    }
    struct Report: Encodable {
        let build: String
        let threads: Int
        let repetitions: Int
        let cpu: String
        let cores: Int
        let load_average_before: [Double]
        let load_average_after: [Double]
        let stream_read_gbps: Double
        let bf16_matvec_gbps: [String: Double]
        let bf16_matvec_fraction_of_stream: [String: Double]
        let matmul_gflops: Double
        let samples: Samples
    }

    /// The 1, 5 and 15-minute load averages from /proc/loadavg (empty where that file does not exist).
    static func loadAverage() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }
    static func format(_ load: [Double]) -> String {
        load.isEmpty ? "unknown" : load.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }
    /// "model name" from /proc/cpuinfo, or "unknown CPU".
    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
