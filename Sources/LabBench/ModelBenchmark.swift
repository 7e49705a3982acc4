// ModelBenchmark — `lmlab bench decode` and `lmlab bench prefill`: how fast the ERNIE-4.5 engine (Sources/ERNIE)
// runs a whole model on this machine — a real checkpoint folder or a seeded random one of the exact 0.3B shape
// (RandomErnieCheckpoint.swift), loaded through the same memory map either way.
//
// decode   prefill a short prompt, then N single-token steps, each feeding back the argmax token (greedy).
//          A step streams every weight matrix once (matrix–vector products), so
//          weight GB/s = bytes of weight matrices read per token × tokens/s — comparable to `bench kernels`.
// prefill  one call over a T-token prompt (matrix products); tokens/s = T / seconds.
// Both report the time from the start of model loading to the first logits, and the peak RSS (getrusage).
// Threads and the other engine switches are whatever `EngineOptions.current` holds when they run.
import ERNIE
import Foundation
import LabCore
import ModelFiles

/// Which checkpoint a model benchmark loads, and how.
public struct ModelBenchSetup: Sendable {
    /// An ERNIE-4.5 model folder; nil = the seeded random checkpoint of the 0.3B shape.
    public var model: String?
    /// Seed of the random checkpoint and of the prompt's token ids.
    public var seed: UInt64
    public var precision: WeightPrecision

    public init(model: String?, seed: UInt64, precision: WeightPrecision) {
        self.model = model
        self.seed = seed
        self.precision = precision
    }

    public var isRandom: Bool { model == nil }

    /// The folder to load: `model`, or the random checkpoint (written now if not cached); `log` hears progress.
    /// - Returns: the folder and whether this call wrote the random checkpoint (its cost shows in the peak RSS).
    public func folder(log: (String) -> Void) throws -> (url: URL, builtNow: Bool) {
        if let model { return (URL(fileURLWithPath: model), false) }
        let url = RandomErnieCheckpoint.defaultFolder(config: .ernie45_0_3B, seed: seed)
        log("random ERNIE-4.5-0.3B checkpoint (seed \(seed)) in \(url.path)")
        let t0 = BenchClock.now()
        let built = try RandomErnieCheckpoint.ensure(config: .ernie45_0_3B, seed: seed, folder: url)
        if built { log(String(format: "… written in %.1f s", BenchClock.seconds(since: t0))) }
        return (url, built)
    }
}

public enum ModelBenchmark {
    /// Prefills `promptTokens` seeded ids, then times `tokens` greedy single-token steps.
    /// - Throws: load errors of `ErnieModel`, `BenchError` when the logits are not finite.
    public static func decode(_ setup: ModelBenchSetup, tokens: Int, promptTokens: Int,
                              log: (String) -> Void) throws -> BenchModelReport {
        let (url, builtNow) = try setup.folder(log: log)
        let loadBefore = BenchClock.loadAverage()

        let t0 = BenchClock.now()
        let model = try ErnieModel(folder: url, precision: setup.precision)
        let loadMs = BenchClock.seconds(since: t0) * 1000
        var cache = model.makeCache()
        let prompt = BenchClock.promptIDs(count: promptTokens, vocabulary: model.config.vocabSize, seed: setup.seed)
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
            throw BenchError("the model produced non-finite logits; check the checkpoint in \(url.path)")
        }
        let bytesPerToken = BenchClock.streamedBytesPerToken(model.weights)
        let tokensPerSecond = Double(tokens) / total
        var report = BenchModelReport(command: "decode", setup: setup, url: url, builtNow: builtNow, model: model,
                                      loadBefore: loadBefore, loadMs: loadMs, firstMs: firstMs,
                                      promptTokens: promptTokens)
        report.decode_tokens = tokens
        report.decode_tokens_per_s = tokensPerSecond
        report.decode_ms_per_token_median = 1000 * BenchClock.median(stepSeconds)
        report.weight_bytes_per_token = bytesPerToken
        report.weight_gbps = Double(bytesPerToken) * tokensPerSecond / 1e9
        return report
    }

    /// Feeds a `tokens`-id seeded prompt in one call to an empty KV cache, keeping the last position's logits.
    /// - Throws: load errors of `ErnieModel`, `BenchError` when the logits are not finite.
    public static func prefill(_ setup: ModelBenchSetup, tokens: Int, log: (String) -> Void) throws -> BenchModelReport {
        let (url, builtNow) = try setup.folder(log: log)
        let loadBefore = BenchClock.loadAverage()

        let t0 = BenchClock.now()
        let model = try ErnieModel(folder: url, precision: setup.precision)
        let loadMs = BenchClock.seconds(since: t0) * 1000
        var cache = model.makeCache()
        let prompt = BenchClock.promptIDs(count: tokens, vocabulary: model.config.vocabSize, seed: setup.seed)
        let t1 = BenchClock.now()
        let logits = try model.logits(prompt, cache: &cache, allPositions: false)[0]
        let seconds = BenchClock.seconds(since: t1)
        let firstMs = BenchClock.seconds(since: t0) * 1000
        guard logits.allSatisfy(\.isFinite) else {
            throw BenchError("the model produced non-finite logits; check the checkpoint in \(url.path)")
        }
        var report = BenchModelReport(command: "prefill", setup: setup, url: url, builtNow: builtNow, model: model,
                                      loadBefore: loadBefore, loadMs: loadMs, firstMs: firstMs, promptTokens: tokens)
        report.prefill_tokens_per_s = Double(tokens) / seconds
        report.prefill_seconds = seconds
        return report
    }
}
