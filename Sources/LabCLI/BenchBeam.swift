// `lmlab bench beam`: does batching the beams pay? Beam search with B beams against B sequential greedy runs,
// on the same model and prompt, in one process (issue 5: with 4 beams on ERNIE-0.3B, ≥ 2× the tokens/s).
//
// Both sides produce B × N new tokens:
//   beam     one BeamSearch.run (Sources/Decoding/BeamSearch.swift) of N steps: the prompt once, then N − 1
//            `appendBatch` calls of B tokens — every weight matrix is streamed once per step for all B beams
//            (ERNIE: WeightMatrix.apply → matvecBF16Batch);
//   greedy   B runs of Sampler(.greedy).generate for N tokens each: the prompt, then N − 1 single-token steps —
//            every weight matrix is streamed once per token.
// tokens/s = B × N / seconds for both (end tokens are disabled, so every run makes exactly N tokens), and the
// speed-up is their ratio (also estimated from the median model calls, B × greedy step / batched step, which
// load bursts on a shared machine distort less). A warm-up prefill of the prompt first maps every weight page, so neither side pays
// for cold page faults. Also reported: the median time of one model call (a greedy step; a batched beam step)
// and one whole beam step (model call, ranking, tree), the figure issue 8 holds to ≤ 50 ms on the tiny ERNIE.
import ArgumentParser
import Decoding
import ERNIE
import Foundation
import LabCore

struct BenchBeam: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beam",
        abstract: "Beam search (B beams, one batched model call per step) vs B sequential greedy runs: tokens/s.",
        discussion: """
        Loads the model (memory-mapped), prefills a --prompt-tokens prompt of seeded token ids once to warm the \
        page cache, then runs --beams sequential greedy runs of --tokens new tokens each and one beam search with \
        --beams beams for --tokens steps (end tokens disabled, so every run makes exactly --tokens tokens). \
        tokens/s = beams × tokens / seconds for both; the ratio is the speed-up of batching the beams. Also \
        prints the median time of one model call and of one whole beam step. Threads: LMLAB_THREADS or all cores.

        Examples:
          swift run -c release lmlab bench beam --random-0.3b
          swift run -c release lmlab bench beam --random-0.3b --beams 8 --json
          swift run -c release lmlab bench beam --model Models/tiny-ernie
        """)

    @OptionGroup var options: BenchModelOptions

    @Option(name: .long, parsing: .unconditional, help: "Beams B (2…\(BeamSearchSettings.maxBeams); also the number of greedy runs compared with them).")
    var beams: Int = 4

    @Option(name: .long, parsing: .unconditional, help: "New tokens N per run (beam steps, 2…4096).")
    var tokens: Int = 32

    @Option(name: .customLong("prompt-tokens"), parsing: .unconditional, help: "Length of the prompt every run starts from (1…4096).")
    var promptTokens: Int = 8

    func validate() throws {
        try checkRange("--beams", beams, 2...BeamSearchSettings.maxBeams)
        try checkRange("--tokens", tokens, 2...4096)
        try checkRange("--prompt-tokens", promptTokens, 1...4096)
    }

    func run() throws {
        BenchClock.warnIfDebug("beam")
        let log: (String) -> Void = { if !options.json { FileHandleOutput.standardError($0) } }
        let (url, builtNow) = try options.folder(log: log)
        let loadBefore = BenchKernels.loadAverage()

        let ernie = try ErnieModel(folder: url, precision: options.precision)
        let model = TimedLanguageModel(ernie)
        let prompt = BenchClock.promptIDs(count: promptTokens, vocabulary: ernie.config.vocabSize, seed: options.seed)
        var warm = ernie.makeCache()
        _ = try ernie.logits(prompt, cache: &warm, allPositions: false)          // maps every weight page
        log("warmed up; \(beams) greedy runs of \(tokens) tokens …")

        // B sequential greedy runs.
        let greedy = Sampler(choice: .greedy)
        var greedyIDs: [[Int]] = []
        let g0 = BenchClock.now()
        for _ in 0..<beams {
            try Cancellation.check()
            greedyIDs.append(try greedy.generate(model, prompt: prompt, maxNewTokens: tokens, endTokens: []))
        }
        let greedySeconds = BenchClock.seconds(since: g0)
        let greedySteps = model.stepSeconds
        model.reset()
        log("beam search with \(beams) beams for \(tokens) steps …")

        // One beam search, B beams per batched step.
        try Cancellation.check()
        let settings = BeamSearchSettings(beams: beams, maxNewTokens: tokens, endTokens: [])
        let b0 = BenchClock.now()
        let result = try BeamSearch.run(model, prompt: prompt, settings: settings)
        let beamSeconds = BenchClock.seconds(since: b0)
        let batchSteps = model.batchSeconds

        guard greedyIDs.allSatisfy({ $0.count == tokens }), result.sequences.first?.ids.count == tokens else {
            throw ValidationError("a run stopped before \(tokens) tokens; check the checkpoint in \(url.path)")
        }
        let newTokens = beams * tokens
        let greedyRate = Double(newTokens) / greedySeconds, beamRate = Double(newTokens) / beamSeconds
        let report = BenchBeamReport(
            model: url.path, precision: options.precision.rawValue, random_checkpoint: options.random03B,
            checkpoint_written_this_run: builtNow,
            weight_file_bytes: BenchClock.weightFileBytes(url), build: BenchClock.build, threads: labThreadCount,
            cpu: BenchKernels.cpuModel(), load_average_before: loadBefore,
            load_average_after: BenchKernels.loadAverage(), beams: beams, new_tokens_per_run: tokens,
            prompt_tokens: promptTokens, greedy_seconds: greedySeconds, greedy_tokens_per_s: greedyRate,
            greedy_step_ms_median: 1000 * BenchClock.median(greedySteps),
            beam_seconds: beamSeconds, beam_tokens_per_s: beamRate,
            beam_batch_call_ms_median: 1000 * BenchClock.median(batchSteps),
            beam_step_ms_mean: 1000 * beamSeconds / Double(tokens),
            speedup: beamRate / greedyRate,
            speedup_from_median_calls: Double(beams) * BenchClock.median(greedySteps) / BenchClock.median(batchSteps),
            peak_rss_mb: BenchClock.peakRSSMB())
        try report.print(json: options.json)
    }
}

/// What `bench beam` prints, JSON keys as written.
struct BenchBeamReport: Encodable {
    var model: String
    var precision: String
    var random_checkpoint: Bool
    var checkpoint_written_this_run: Bool
    var weight_file_bytes: Int
    var build: String
    var threads: Int
    var cpu: String
    var load_average_before: [Double]
    var load_average_after: [Double]
    var beams: Int
    var new_tokens_per_run: Int
    var prompt_tokens: Int
    /// All B greedy runs, prompt included.
    var greedy_seconds: Double
    /// B × N / greedy_seconds.
    var greedy_tokens_per_s: Double
    /// One single-token model call.
    var greedy_step_ms_median: Double
    /// The whole beam search, prompt included.
    var beam_seconds: Double
    /// B × N / beam_seconds (the issue's comparison).
    var beam_tokens_per_s: Double
    /// One batched model call of B tokens.
    var beam_batch_call_ms_median: Double
    /// beam_seconds / N: a whole step (model call, candidate ranking, tree), prompt included.
    var beam_step_ms_mean: Double
    /// beam_tokens_per_s / greedy_tokens_per_s.
    var speedup: Double
    /// B × greedy_step_ms_median / beam_batch_call_ms_median: the same ratio from median model calls, which a
    /// burst of load from other processes during one side's run distorts less.
    var speedup_from_median_calls: Double
    var peak_rss_mb: Double

    func print(json: Bool) throws {
        if json { Swift.print(try jsonString(self)); return }
        func f(_ v: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", v) }
        Swift.print("LMLab beam-search benchmark — \(threads) thread\(threads == 1 ? "" : "s"), \(build) build")
        Swift.print("CPU: \(cpu) · load average \(BenchKernels.format(load_average_before)) before, "
                    + "\(BenchKernels.format(load_average_after)) after")
        Swift.print("model: \(model)\(random_checkpoint ? " (seeded random weights)" : "") · "
                    + "\(f(Double(weight_file_bytes) / 1e6, 0)) MB of safetensors · precision \(precision)")
        Swift.print("  \(beams) greedy runs × \(new_tokens_per_run) tokens   \(f(greedy_tokens_per_s, 2)) tokens/s "
                    + "(\(f(greedy_seconds, 2)) s) · median \(f(greedy_step_ms_median)) ms per single-token call")
        Swift.print("  beam search, \(beams) beams × \(new_tokens_per_run) steps   \(f(beam_tokens_per_s, 2)) tokens/s "
                    + "(\(f(beam_seconds, 2)) s) · median \(f(beam_batch_call_ms_median)) ms per \(beams)-token call, "
                    + "\(f(beam_step_ms_mean)) ms per whole step")
        Swift.print("  speed-up of batching the beams   \(f(speedup, 2))× (from median model calls: "
                    + "\(f(speedup_from_median_calls, 2))×)")
        Swift.print("  peak RSS \(f(peak_rss_mb, 0)) MB (prompt of \(prompt_tokens) tokens)"
                    + (checkpoint_written_this_run ? " (includes writing the random checkpoint; re-run for the bench alone)" : ""))
        if build == "debug" { Swift.print("(debug build: re-run with `swift run -c release lmlab bench beam …`)") }
    }
}

/// A `LanguageModel` that forwards to another and times its single-token and batched calls.
final class TimedLanguageModel<M: LanguageModel>: LanguageModel {
    typealias State = M.State
    let inner: M
    /// Seconds of each `append` of one token (a greedy step).
    private(set) var stepSeconds: [Double] = []
    /// Seconds of each `appendBatch` (a beam step).
    private(set) var batchSeconds: [Double] = []

    init(_ inner: M) { self.inner = inner }

    func reset() { stepSeconds = []; batchSeconds = [] }

    var name: String { inner.name }
    var vocabulary: any Vocabulary { inner.vocabulary }
    var startToken: Int? { inner.startToken }
    var endTokens: Set<Int> { inner.endTokens }
    var topOnly: Int? { inner.topOnly }

    func makeState() throws -> M.State { try inner.makeState() }

    func append(_ tokens: [Int], to state: inout M.State) throws -> [Float] {
        let t = BenchClock.now()
        let out = try inner.append(tokens, to: &state)
        if tokens.count == 1 { stepSeconds.append(BenchClock.seconds(since: t)) }
        return out
    }

    func scoreAll(_ tokens: [Int], from state: inout M.State) throws -> [[Float]] {
        try inner.scoreAll(tokens, from: &state)
    }

    func appendBatch(_ tokens: [Int], to states: inout [M.State]) throws -> [[Float]] {
        let t = BenchClock.now()
        let out = try inner.appendBatch(tokens, to: &states)
        batchSeconds.append(BenchClock.seconds(since: t))
        return out
    }
}
