// `lmlab bench tokenize`: encoding throughput of our SentencePiece on a text file, line by line.
// scripts/bench_spm.py runs it beside the sentencepiece library on the same text and compares.
import ArgumentParser
import Foundation
import Tokenizers

struct BenchTokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encoding throughput of a SentencePiece model over a text file (use a release build).",
        discussion: """
        Encodes every line of --text with --model, --repeats times, and reports the fastest pass in MB/s \
        with the token count and an FNV-1a digest of all ids (the same digest scripts/bench_spm.py computes \
        for the sentencepiece library, so equal digests mean identical ids).

        Examples:
          swift run -c release lmlab bench tokenize --model tokenizer.model --text corpus.txt
          python3 scripts/bench_spm.py --lmlab .build/release/lmlab
        """)

    @Option(name: .long, help: "A SentencePiece .model file.")
    var model: String

    @Option(name: .long, help: "A UTF-8 text file; each line is encoded separately.")
    var text: String

    @Option(name: .long, parsing: .unconditional, help: "Timed passes over the text (1…1000); the fastest is reported.")
    var repeats: Int = 5

    @Flag(name: .long, help: "Print JSON (keys: bytes, lines, tokens, seconds, mb_per_s, cpu_seconds, mb_per_cpu_s, digest, load_ms, build).")
    var json = false

    func validate() throws {
        try checkRange("--repeats", repeats, 1...1000)
    }

    func run() throws {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let sp = try SentencePieceProcessor(contentsOf: URL(fileURLWithPath: model))
        let loadMs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: text)) } catch {
            throw ValidationError("cannot read --text \(text): \(error.localizedDescription)")
        }
        let lines = SentencePieceBenchmark.lines(of: data)
        let r = SentencePieceBenchmark.run(sp, lines: lines, bytes: data.count, repeats: repeats)
        #if DEBUG
        let build = "debug"
        #else
        let build = "release"
        #endif
        if json {
            let report: [String: Any] = [
                "model": model, "bytes": r.bytes, "lines": r.lines, "tokens": r.tokens, "seconds": r.seconds,
                "mb_per_s": r.mbPerSecond, "cpu_seconds": r.cpuSeconds, "mb_per_cpu_s": r.mbPerCPUSecond, "digest": r.digest, "load_ms": loadMs, "build": build,
            ]
            let out = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: out, as: UTF8.self))
        } else {
            print("\(model): \(sp.vocabSize) pieces, loaded in \(String(format: "%.1f", loadMs)) ms")
            print("\(r.bytes) bytes, \(r.lines) lines → \(r.tokens) tokens in \(String(format: "%.1f", r.seconds * 1000)) ms "
                  + "= \(String(format: "%.2f", r.mbPerSecond)) MB/s (best of \(repeats), \(build) build); "
                  + "\(String(format: "%.2f", r.mbPerCPUSecond)) MB per CPU-second; ids digest \(r.digest)")
            if build == "debug" { print("(debug build: re-run with `swift run -c release lmlab bench tokenize …`)") }
        }
    }
}
