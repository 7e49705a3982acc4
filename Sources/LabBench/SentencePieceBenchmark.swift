// SentencePieceBenchmark.swift — encoding throughput of a SentencePieceProcessor over a text file, line by
// line, the way scripts/bench_spm.py times the sentencepiece library on the same file (`lmlab bench tokenize`).

import Foundation
import Tokenizers

/// Times `encode` over the lines of a text and fingerprints the ids so two implementations can be compared.
public enum SentencePieceBenchmark {
    public struct Result: Codable, Sendable {
        /// UTF-8 bytes of the whole text (lines plus their newlines).
        public var bytes: Int
        public var lines: Int
        public var tokens: Int
        /// Best (minimum) wall time of one pass over all lines.
        public var seconds: Double
        public var mbPerSecond: Double
        /// Best thread CPU time of one pass (discounts time the thread waited for a core on a busy machine).
        public var cpuSeconds: Double
        public var mbPerCPUSecond: Double
        /// FNV-1a 64 over all ids, 0xFFFFFFFF after each line, as 16 hex digits.
        public var digest: String
    }

    /// The lines of a UTF-8 text split at "\n" only (a final newline ends the last line), as Python's
    /// `text.split("\n")[:-1]` for text that ends in "\n".
    public static func lines(of data: Data) -> [String] {
        var out: [String] = []
        var start = data.startIndex
        for i in data.indices where data[i] == 0x0A {
            out.append(String(decoding: data[start..<i], as: UTF8.self))
            start = i + 1
        }
        if start < data.endIndex { out.append(String(decoding: data[start...], as: UTF8.self)) }
        return out
    }

    public static func digest(_ all: [[Int]]) -> String {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        let prime: UInt64 = 0x100_0000_01B3
        for ids in all {
            for id in ids { h = (h ^ UInt64(id)) &* prime }
            h = (h ^ 0xFFFF_FFFF) &* prime
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Encodes every line `repeats` times and keeps the fastest pass.
    public static func run(_ sp: SentencePieceProcessor, lines: [String], bytes: Int, repeats: Int) -> Result {
        var best = Double.infinity, bestCPU = Double.infinity
        var all: [[Int]] = []
        for _ in 0..<max(1, repeats) {
            var pass: [[Int]] = []
            pass.reserveCapacity(lines.count)
            let c0 = threadCPUSeconds()
            let t0 = DispatchTime.now().uptimeNanoseconds
            for line in lines { pass.append(sp.encode(line)) }
            let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
            best = min(best, dt)
            bestCPU = min(bestCPU, threadCPUSeconds() - c0)
            all = pass
        }
        let tokens = all.reduce(0) { $0 + $1.count }
        return Result(bytes: bytes, lines: lines.count, tokens: tokens, seconds: best,
                      mbPerSecond: Double(bytes) / best / 1e6, cpuSeconds: bestCPU,
                      mbPerCPUSecond: Double(bytes) / bestCPU / 1e6, digest: digest(all))
    }

    /// CPU time consumed by the calling thread (CLOCK_THREAD_CPUTIME_ID).
    public static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
