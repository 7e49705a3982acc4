// BenchClock — what every benchmark records beside its own figures: wall time, the median of samples, the
// peak resident set, the build configuration, the machine (CPU model, load average) and the checkpoint's size.
// Numbers on a shared machine mean little without the load they were taken under, so every report carries it.
import ERNIE
import Foundation
import LabCore
#if canImport(Glibc)
import Glibc
#endif

/// Timing, load and memory facts common to the benchmarks.
public enum BenchClock {
    /// Nanoseconds on the monotonic clock.
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    public static func seconds(since t0: UInt64) -> Double { Double(now() - t0) / 1e9 }

    /// Milliseconds `body` takes.
    public static func milliseconds(_ body: () throws -> Void) rethrows -> Double {
        let t0 = now()
        try body()
        return 1000 * seconds(since: t0)
    }

    /// Peak resident set size of this process in MB (ru_maxrss is in KiB on Linux).
    public static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// "debug" or "release": kernels are optimised in both, but the harness and the model code around them
    /// are not in a debug build.
    public static var build: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// The warning a debug build prints before `lmlab bench <command>` measures, nil in a release build.
    public static func debugWarning(_ command: String) -> String? {
        build == "debug" ? "warning: this is a debug build; numbers may be low. "
            + "HINT: swift run -c release lmlab bench \(command) …" : nil
    }

    /// Size of the checkpoint's safetensors file(s) in bytes.
    public static func weightFileBytes(_ folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }

    /// Bytes of weight matrices a single-token step reads: every layer's attention projections and feed-forward
    /// block (an MoE layer: its router, shared experts and `topK` experts) and the output projection (the
    /// embedding lookup reads one row only); int8 counts its per-row scales too.
    public static func streamedBytesPerToken(_ weights: ErnieWeights, topK: Int = 1) -> Int {
        weights.layers.reduce(weights.lmHead.byteCount) { total, l in
            total + [l.q, l.k, l.v, l.o].reduce(0) { $0 + $1.byteCount } + l.feedForward.bytesPerToken(topK: topK)
        }
    }

    /// `count` token ids drawn from the seed (no tokenizer needed: speed does not depend on which ids).
    public static func promptIDs(count: Int, vocabulary: Int, seed: UInt64) -> [Int] {
        var rng = SeededRNG(seed: seed)
        return (0..<count).map { _ in rng.nextInt(below: vocabulary) }
    }

    /// The middle sample (the mean of the two middle ones for an even count); NaN for none.
    public static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }

    /// The 1, 5 and 15-minute load averages from /proc/loadavg (empty where that file does not exist).
    public static func loadAverage() -> [Double] {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return [] }
        return text.split(separator: " ").prefix(3).compactMap { Double($0) }
    }

    /// "0.52 0.61 0.70", or "unknown".
    public static func format(load: [Double]) -> String {
        load.isEmpty ? "unknown" : load.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    /// "model name" from /proc/cpuinfo, or "unknown CPU".
    public static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "unknown CPU" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}

/// A benchmark that could not produce a figure worth printing.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// `String(format:)` with `digits` decimals, for the readable reports.
func fixed(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
