// `lmlab bench decode` and `lmlab bench prefill`: how fast the ERNIE-4.5 engine (Sources/ERNIE) runs a whole
// model on this machine — a real checkpoint folder (--model) or a seeded random one of the exact 0.3B shape
// (--random-0.3b, RandomErnieCheckpoint.swift), loaded through the same memory map either way.
//
// decode   prefill a short prompt, then N single-token steps, each feeding back the argmax token (greedy).
//          A step streams every weight matrix once (matrix–vector products), so
//          weight GB/s = bytes of weight matrices read per token × tokens/s — comparable to `bench kernels`.
// prefill  one call over a T-token prompt (matrix products); tokens/s = T / seconds.
// Both report the time from the start of model loading to the first logits, and the peak RSS (getrusage).
import ArgumentParser
import ERNIE
import Foundation
import LabCore
import ModelFiles
#if canImport(Glibc)
import Glibc
#endif

/// Options shared by the two model benches.
struct BenchModelOptions: ParsableArguments {
    @Option(name: .long, help: "An ERNIE-4.5 model folder (config.json + safetensors).")
    var model: String?

    @Flag(name: .customLong("random-0.3b"),
          help: "Use seeded random bf16 weights of the exact ERNIE-4.5-0.3B shape (written once to $TMPDIR).")
    var random03B = false

    @Option(name: .long, parsing: .unconditional, help: "Seed for the random checkpoint and the prompt's token ids.")
    var seed: UInt64 = 0

    @Option(name: .long, help: ArgumentHelp("Weights: \(WeightPrecision.helpChoices). Conversion time counts in the load time.",
                                            valueName: "precision"))
    var precision: WeightPrecision = .asStored

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func validate() throws {
        guard (model != nil) != random03B else {
            throw ValidationError("give exactly one of --model PATH and --random-0.3b")
        }
    }

    /// The folder to load: --model, or the random checkpoint (built now if not cached).
    func folder(log: (String) -> Void) throws -> (url: URL, builtNow: Bool) {
        if let model { return (URL(fileURLWithPath: model), false) }
        let url = RandomErnieCheckpoint.defaultFolder(config: .ernie45_0_3B, seed: seed)
        log("random ERNIE-4.5-0.3B checkpoint (seed \(seed)) in \(url.path)")
        let t0 = DispatchTime.now().uptimeNanoseconds
        let built = try RandomErnieCheckpoint.ensure(config: .ernie45_0_3B, seed: seed, folder: url)
        if built { log(String(format: "… written in %.1f s", BenchClock.seconds(since: t0))) }
        return (url, built)
    }
}

/// Timing, load and memory facts common to both benches.
enum BenchClock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    static func seconds(since t0: UInt64) -> Double { Double(now() - t0) / 1e9 }
    /// Peak resident set size of this process in MB (ru_maxrss is in KiB on Linux).
    static func peakRSSMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
    static var build: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }
    static func warnIfDebug(_ command: String) {
        if build == "debug" {
            FileHandleOutput.standardError("warning: this is a debug build; numbers may be low. "
                                           + "HINT: swift run -c release lmlab bench \(command) …")
        }
    }
    /// Size of the checkpoint's safetensors file(s) in bytes.
    static func weightFileBytes(_ folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".safetensors") }.reduce(0) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(name).path)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
    }
    /// Bytes of weight matrices a single-token step reads: every layer's seven projections and the output
    /// projection (the embedding lookup reads one row only); int8 counts its per-row scales too.
    static func streamedBytesPerToken(_ weights: ErnieWeights) -> Int {
        weights.layers.reduce(weights.lmHead.byteCount) { total, l in
            total + [l.q, l.k, l.v, l.o, l.gate, l.up, l.down].reduce(0) { $0 + $1.byteCount }
        }
    }
    /// `count` token ids drawn from the seed (no tokenizer needed: speed does not depend on which ids).
    static func promptIDs(count: Int, vocabulary: Int, seed: UInt64) -> [Int] {
        var rng = SeededRNG(seed: seed)
        return (0..<count).map { _ in rng.nextInt(below: vocabulary) }
    }
    static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? .nan : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
    }
}

/// What both benches print, JSON keys as written.
struct BenchModelReport: Encodable {
    var command: String
    var model: String
    /// The weight precision (as-stored, bf16, f32, int8) and the dtype of the file.
    var precision: String
    var stored_dtype: String
    var random_checkpoint: Bool
    var checkpoint_written_this_run: Bool
    var weight_file_bytes: Int
    var build: String
    var threads: Int
    var cpu: String
    var load_average_before: [Double]
    var load_average_after: [Double]
    var load_ms: Double
    var time_to_first_logits_ms: Double
    var prompt_tokens: Int
    var peak_rss_mb: Double
    var decode_tokens: Int?
    var decode_tokens_per_s: Double?
    var decode_ms_per_token_median: Double?
    var weight_bytes_per_token: Int?
    var weight_gbps: Double?
    var prefill_tokens_per_s: Double?
    var prefill_seconds: Double?
}

struct BenchDecode: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decode",
        abstract: "ERNIE-4.5 single-token decode speed: tokens/s, ms/token, weight GB/s (use a release build).",
        discussion: """
        Loads the model (memory-mapped), prefills a --prompt-tokens prompt of seeded token ids, then runs \
        --tokens single-token decode steps, each feeding back the most likely token. Reports decode tokens/s, \
        the median ms per token, the weight bandwidth (bytes of weight matrices read per token × tokens/s), the \
        time from model loading to the first logits, and the peak RSS. Threads: LMLAB_THREADS or all cores.

        Examples:
          swift run -c release lmlab bench decode --random-0.3b
          swift run -c release lmlab bench decode --model ~/models/ERNIE-4.5-0.3B-PT --tokens 128 --json
        """)

    @OptionGroup var options: BenchModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Single-token decode steps (1…4096).")
    var tokens: Int = 64

    @Option(name: .customLong("prompt-tokens"), parsing: .unconditional, help: "Length of the prompt prefilled before decoding (1…4096).")
    var promptTokens: Int = 8

    func validate() throws {
        try checkRange("--tokens", tokens, 1...4096)
        try checkRange("--prompt-tokens", promptTokens, 1...4096)
    }

    func run() throws {
        BenchClock.warnIfDebug("decode")
        let log: (String) -> Void = { if !options.json { FileHandleOutput.standardError($0) } }
        let (url, builtNow) = try options.folder(log: log)
        let loadBefore = BenchKernels.loadAverage()

        let t0 = BenchClock.now()
        let model = try ErnieModel(folder: url, precision: options.precision)
        let loadMs = BenchClock.seconds(since: t0) * 1000
        var cache = model.makeCache()
        let prompt = BenchClock.promptIDs(count: promptTokens, vocabulary: model.config.vocabSize, seed: options.seed)
        var logits = try model.logits(prompt, cache: &cache, allPositions: false)[0]
        let firstMs = BenchClock.seconds(since: t0) * 1000
        log(String(format: "loaded in %.0f ms; first logits after %.0f ms (prompt of %d tokens)", loadMs, firstMs, promptTokens))

        var stepSeconds: [Double] = []
        let decodeStart = BenchClock.now()
        for _ in 0..<tokens {
            let next = argmax(logits)                                            // greedy
            let t = BenchClock.now()
            logits = try model.logits([next], cache: &cache, allPositions: false)[0]
            stepSeconds.append(BenchClock.seconds(since: t))
        }
        let total = BenchClock.seconds(since: decodeStart)
        guard logits.allSatisfy(\.isFinite) else {
            throw ValidationError("the model produced non-finite logits; check the checkpoint in \(url.path)")
        }
        let bytesPerToken = BenchClock.streamedBytesPerToken(model.weights)
        let tokensPerSecond = Double(tokens) / total
        let report = BenchModelReport(
            command: "decode", model: url.path, precision: options.precision.rawValue,
            stored_dtype: model.weights.storedStorage.rawValue, random_checkpoint: options.random03B,
            checkpoint_written_this_run: builtNow, weight_file_bytes: BenchClock.weightFileBytes(url),
            build: BenchClock.build, threads: labThreadCount, cpu: BenchKernels.cpuModel(),
            load_average_before: loadBefore, load_average_after: BenchKernels.loadAverage(),
            load_ms: loadMs, time_to_first_logits_ms: firstMs, prompt_tokens: promptTokens,
            peak_rss_mb: BenchClock.peakRSSMB(), decode_tokens: tokens, decode_tokens_per_s: tokensPerSecond,
            decode_ms_per_token_median: 1000 * BenchClock.median(stepSeconds),
            weight_bytes_per_token: bytesPerToken, weight_gbps: Double(bytesPerToken) * tokensPerSecond / 1e9)
        try printReport(report, json: options.json)
    }
}

struct BenchPrefill: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prefill",
        abstract: "ERNIE-4.5 prompt processing speed: one call over a T-token prompt (use a release build).",
        discussion: """
        Loads the model (memory-mapped) and feeds a --tokens prompt of seeded token ids in one call to an \
        empty KV cache, keeping only the last position's logits. Reports prefill tokens/s, the time from model \
        loading to those logits, and the peak RSS. Threads: LMLAB_THREADS or all cores.

        Examples:
          swift run -c release lmlab bench prefill --random-0.3b
          swift run -c release lmlab bench prefill --model ~/models/ERNIE-4.5-0.3B-PT --tokens 128 --json
        """)

    @OptionGroup var options: BenchModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Prompt length T (1…8192).")
    var tokens: Int = 512

    func validate() throws {
        try checkRange("--tokens", tokens, 1...8192)
    }

    func run() throws {
        BenchClock.warnIfDebug("prefill")
        let log: (String) -> Void = { if !options.json { FileHandleOutput.standardError($0) } }
        let (url, builtNow) = try options.folder(log: log)
        let loadBefore = BenchKernels.loadAverage()

        let t0 = BenchClock.now()
        let model = try ErnieModel(folder: url, precision: options.precision)
        let loadMs = BenchClock.seconds(since: t0) * 1000
        var cache = model.makeCache()
        let prompt = BenchClock.promptIDs(count: tokens, vocabulary: model.config.vocabSize, seed: options.seed)
        let t1 = BenchClock.now()
        let logits = try model.logits(prompt, cache: &cache, allPositions: false)[0]
        let seconds = BenchClock.seconds(since: t1)
        let firstMs = BenchClock.seconds(since: t0) * 1000
        guard logits.allSatisfy(\.isFinite) else {
            throw ValidationError("the model produced non-finite logits; check the checkpoint in \(url.path)")
        }
        let report = BenchModelReport(
            command: "prefill", model: url.path, precision: options.precision.rawValue,
            stored_dtype: model.weights.storedStorage.rawValue, random_checkpoint: options.random03B,
            checkpoint_written_this_run: builtNow, weight_file_bytes: BenchClock.weightFileBytes(url),
            build: BenchClock.build, threads: labThreadCount, cpu: BenchKernels.cpuModel(),
            load_average_before: loadBefore, load_average_after: BenchKernels.loadAverage(),
            load_ms: loadMs, time_to_first_logits_ms: firstMs, prompt_tokens: tokens,
            peak_rss_mb: BenchClock.peakRSSMB(), prefill_tokens_per_s: Double(tokens) / seconds,
            prefill_seconds: seconds)
        try printReport(report, json: options.json)
    }
}

/// Prints a report as JSON or as a few readable lines.
private func printReport(_ r: BenchModelReport, json: Bool) throws {
    if json { print(try jsonString(r)); return }
    func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
    print("LMLab ERNIE-4.5 \(r.command) benchmark — \(r.threads) thread\(r.threads == 1 ? "" : "s"), \(r.build) build")
    print("CPU: \(r.cpu) · load average \(BenchKernels.format(r.load_average_before)) before, "
          + "\(BenchKernels.format(r.load_average_after)) after")
    print("model: \(r.model)\(r.random_checkpoint ? " (seeded random weights)" : "") · "
          + "\(f(Double(r.weight_file_bytes) / 1e6, 0)) MB of safetensors")
    print("precision: \(r.precision)" + (r.precision == "as-stored" ? " (\(r.stored_dtype), memory-mapped)"
                                                                   : " (converted at load from \(r.stored_dtype))"))
    if let tps = r.decode_tokens_per_s, let ms = r.decode_ms_per_token_median, let n = r.decode_tokens,
       let gbps = r.weight_gbps, let bytes = r.weight_bytes_per_token {
        print("  decode              \(f(tps, 2)) tokens/s over \(n) tokens · median \(f(ms)) ms/token")
        print("  weight bandwidth    \(f(gbps, 2)) GB/s (\(f(Double(bytes) / 1e6, 0)) MB of weights per token)")
    }
    if let tps = r.prefill_tokens_per_s, let s = r.prefill_seconds {
        print("  prefill             \(f(tps, 1)) tokens/s (\(r.prompt_tokens) tokens in \(f(s, 2)) s)")
    }
    print("  model load          \(f(r.load_ms, 0)) ms · first logits \(f(r.time_to_first_logits_ms, 0)) ms after load start"
          + " (prompt of \(r.prompt_tokens) tokens)")
    print("  peak RSS            \(f(r.peak_rss_mb, 0)) MB"
          + (r.checkpoint_written_this_run ? " (includes writing the random checkpoint; re-run for the bench alone)" : ""))
    if r.build == "debug" { print("(debug build: re-run with `swift run -c release lmlab bench \(r.command) …`)") }
}
