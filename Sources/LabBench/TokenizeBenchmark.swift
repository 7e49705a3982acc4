// TokenizeBenchmark — `lmlab bench tokenize`: encoding throughput of our SentencePiece on a text file, line by
// line (SentencePieceBenchmark.swift times it). scripts/bench_spm.py runs it beside the sentencepiece
// library on the same text and compares, digest against digest.
import Foundation
import Tokenizers

/// What `bench tokenize` prints.
public struct TokenizeBenchReport: Sendable {
    public let model: String
    public let pieces: Int
    public let loadMs: Double
    public let repeats: Int
    public let result: SentencePieceBenchmark.Result
    public let build: String

    /// Loads `model`, reads `text` and encodes its lines `repeats` times.
    /// - Throws: the processor's load errors, `BenchError` when the text cannot be read.
    public static func measure(model: String, text: String, repeats: Int) throws -> TokenizeBenchReport {
        let t0 = BenchClock.now()
        let sp = try SentencePieceProcessor(contentsOf: URL(fileURLWithPath: model))
        let loadMs = 1000 * BenchClock.seconds(since: t0)
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: text)) } catch {
            throw BenchError("cannot read --text \(text): \(error.localizedDescription)")
        }
        let lines = SentencePieceBenchmark.lines(of: data)
        let r = SentencePieceBenchmark.run(sp, lines: lines, bytes: data.count, repeats: repeats)
        return TokenizeBenchReport(model: model, pieces: sp.vocabSize, loadMs: loadMs, repeats: repeats, result: r,
                                   build: BenchClock.build)
    }

    /// One line of JSON with sorted keys: model, bytes, lines, tokens, seconds, mb_per_s, cpu_seconds,
    /// mb_per_cpu_s, digest, load_ms, build (scripts/bench_spm.py reads them).
    public func json() throws -> String {
        let r = result
        let report: [String: Any] = [
            "model": model, "bytes": r.bytes, "lines": r.lines, "tokens": r.tokens, "seconds": r.seconds,
            "mb_per_s": r.mbPerSecond, "cpu_seconds": r.cpuSeconds, "mb_per_cpu_s": r.mbPerCPUSecond,
            "digest": r.digest, "load_ms": loadMs, "build": build,
        ]
        return String(decoding: try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys]), as: UTF8.self)
    }

    /// The report as readable lines.
    public var text: String {
        let r = result
        var lines = [
            "\(model): \(pieces) pieces, loaded in \(fixed(loadMs)) ms",
            "\(r.bytes) bytes, \(r.lines) lines → \(r.tokens) tokens in \(fixed(r.seconds * 1000)) ms "
                + "= \(fixed(r.mbPerSecond, 2)) MB/s (best of \(repeats), \(build) build); "
                + "\(fixed(r.mbPerCPUSecond, 2)) MB per CPU-second; ids digest \(r.digest)",
        ]
        if build == "debug" { lines.append("(debug build: re-run with `swift run -c release lmlab bench tokenize …`)") }
        return lines.joined(separator: "\n")
    }
}
