// ModelBenchmark — `lmlab bench decode` and `lmlab bench prefill`: how fast the ERNIE-4.5 engine (Sources/ERNIE)
// runs a whole model on this machine — a real checkpoint folder or a seeded random one of the exact 0.3B shape or
// of 21B-A3B's MoE proportions (RandomErnieCheckpoint.swift), loaded through the same memory map either way.
//
// decode   prefill a short prompt, then N single-token steps, each feeding back the argmax token (greedy).
//          A step streams every weight matrix once (an MoE layer: its router, shared and k chosen experts), so
//          weight GB/s = bytes of weight matrices read per token × tokens/s — comparable to `bench kernels`;
//          and ERNIE-4.5-21B-A3B streaming its bytes per token (DecodeBytes.swift) at that rate would decode at
//          weight GB/s ÷ its bytes per token: the projection line.
// prefill  one call over a T-token prompt (matrix products); tokens/s = T / seconds.
// Both report the time from the start of model loading to the first logits, and the peak RSS (getrusage).
// Threads and the other engine switches are whatever `EngineOptions.current` holds when they run.
import ERNIE
import Foundation
import Lab
import LabCore
import ModelFiles

/// Which checkpoint a model benchmark loads, and how.
public struct ModelBenchSetup: Sendable {
    /// An ERNIE-4.5 model folder; nil = the seeded random checkpoint of shape `randomShape`.
    public var model: String?
    /// Seed of the random checkpoint and of the prompt's token ids.
    public var seed: UInt64
    public var precision: WeightPrecision
    /// The random checkpoint's config: the 0.3B (`--random-0.3b`) or `RandomErnieCheckpoint.moeBench` (`--random-moe`).
    public var randomShape: ERNIEConfig

    public init(model: String?, seed: UInt64, precision: WeightPrecision, randomShape: ERNIEConfig = .ernie45_0_3B) {
        self.model = model
        self.seed = seed
        self.precision = precision
        self.randomShape = randomShape
    }

    /// The model benches' flags: a folder (`model`), or the random 0.3B, or the random mixture of experts.
    /// - Throws: `OptionError` unless exactly one is given.
    public init(model: String?, random03B: Bool, randomMoE: Bool, seed: UInt64, precision: WeightPrecision) throws {
        guard [model != nil, random03B, randomMoE].filter({ $0 }).count == 1 else {
            throw OptionError("give exactly one of --model PATH, --random-0.3b and --random-moe")
        }
        self.init(model: model, seed: seed, precision: precision, randomShape: Self.randomShape(moe: randomMoE))
    }

    /// The random checkpoint's shape: the 0.3B, or the mixture of experts of `--random-moe`.
    public static func randomShape(moe: Bool) -> ERNIEConfig { moe ? RandomErnieCheckpoint.moeBench : .ernie45_0_3B }

    public var isRandom: Bool { model == nil }

    /// The folder to load: `model`, or the random checkpoint (written now if not cached); `log` hears progress.
    /// - Returns: the folder and whether this call wrote the random checkpoint (its cost shows in the peak RSS).
    public func folder(log: (String) -> Void) throws -> (url: URL, builtNow: Bool) {
        if let model { return (URL(fileURLWithPath: model), false) }
        let url = RandomErnieCheckpoint.defaultFolder(config: randomShape, seed: seed)
        let shape = randomShape == .ernie45_0_3B ? "ERNIE-4.5-0.3B" : "mixture-of-experts (21B-A3B proportions)"
        log("random \(shape) checkpoint (seed \(seed)) in \(url.path)")
        let t0 = BenchClock.now()
        let built = try RandomErnieCheckpoint.ensure(config: randomShape, seed: seed, folder: url)
        if built { log(String(format: "… written in %.1f s", BenchClock.seconds(since: t0))) }
        return (url, built)
    }
}

public enum ModelBenchmark {
    /// Prefills `promptTokens` seeded ids, then times `tokens` greedy single-token steps.
    /// - Throws: load errors of `ErnieModel`, `BenchError` when the logits are not finite.
    public static func decode(_ setup: ModelBenchSetup, tokens: Int, promptTokens: Int,
                              log: (String) -> Void) throws -> BenchModelReport {
        var run = try LoadedRun(setup, promptTokens: promptTokens, log: log)
        var logits = try run.model.logits(run.prompt, cache: &run.cache, allPositions: false)[0]
        let firstMs = BenchClock.seconds(since: run.t0) * 1000
        log(String(format: "loaded in %.0f ms; first logits after %.0f ms (prompt of %d tokens)",
                   run.loadMs, firstMs, promptTokens))

        var stepSeconds: [Double] = []
        let decodeStart = BenchClock.now()
        for _ in 0..<tokens {
            let next = argmax(logits)                                            // greedy
            let t = BenchClock.now()
            logits = try run.model.logits([next], cache: &run.cache, allPositions: false)[0]
            stepSeconds.append(BenchClock.seconds(since: t))
        }
        let total = BenchClock.seconds(since: decodeStart)
        try run.checkFinite(logits)
        let bytesPerToken = BenchClock.streamedBytesPerToken(run.model.weights,
                                                             topK: run.model.config.moe?.topK ?? 1)
        let tokensPerSecond = Double(tokens) / total
        var report = run.report("decode", firstMs: firstMs)
        report.decode_tokens = tokens
        report.decode_tokens_per_s = tokensPerSecond
        report.decode_ms_per_token_median = 1000 * BenchClock.median(stepSeconds)
        report.weight_bytes_per_token = bytesPerToken
        report.weight_gbps = Double(bytesPerToken) * tokensPerSecond / 1e9
        let projectedBytes = ERNIEConfig.ernie45_21B_A3B.decodeBytesPerToken(precision: setup.precision)
        report.projected_21b_a3b_bytes_per_token = projectedBytes
        report.projected_21b_a3b_tokens_per_s = Double(bytesPerToken) * tokensPerSecond / Double(projectedBytes)
        return report
    }

    /// Feeds a `tokens`-id seeded prompt in one call to an empty KV cache, keeping the last position's logits.
    /// - Throws: load errors of `ErnieModel`, `BenchError` when the logits are not finite.
    public static func prefill(_ setup: ModelBenchSetup, tokens: Int, log: (String) -> Void) throws -> BenchModelReport {
        var run = try LoadedRun(setup, promptTokens: tokens, log: log)
        let t1 = BenchClock.now()
        let logits = try run.model.logits(run.prompt, cache: &run.cache, allPositions: false)[0]
        let seconds = BenchClock.seconds(since: t1)
        let firstMs = BenchClock.seconds(since: run.t0) * 1000
        try run.checkFinite(logits)
        var report = run.report("prefill", firstMs: firstMs)
        report.prefill_tokens_per_s = Double(tokens) / seconds
        report.prefill_seconds = seconds
        return report
    }
}

/// The start both benchmarks share: the folder (written if random), the load average before, the model loaded
/// and timed from `t0`, an empty cache and the seeded prompt.
private struct LoadedRun {
    let setup: ModelBenchSetup
    let url: URL
    let builtNow: Bool
    let loadBefore: [Double]
    /// When loading started: "first logits" are measured from here.
    let t0: UInt64
    let model: ErnieModel
    let loadMs: Double
    var cache: KVCache
    let prompt: [Int]

    init(_ setup: ModelBenchSetup, promptTokens: Int, log: (String) -> Void) throws {
        self.setup = setup
        (url, builtNow) = try setup.folder(log: log)
        loadBefore = BenchClock.loadAverage()
        t0 = BenchClock.now()
        model = try ErnieModel(folder: url, precision: setup.precision)
        loadMs = BenchClock.seconds(since: t0) * 1000
        cache = model.makeCache()
        prompt = BenchClock.promptIDs(count: promptTokens, vocabulary: model.config.vocabSize, seed: setup.seed)
    }

    func checkFinite(_ logits: [Float]) throws {
        guard logits.allSatisfy(\.isFinite) else {
            throw BenchError("the model produced non-finite logits; check the checkpoint in \(url.path)")
        }
    }

    /// The report's common facts, taken now (after the run).
    func report(_ command: String, firstMs: Double) -> BenchModelReport {
        BenchModelReport(command: command, setup: setup, url: url, builtNow: builtNow, model: model,
                         loadBefore: loadBefore, loadMs: loadMs, firstMs: firstMs, promptTokens: prompt.count)
    }
}
