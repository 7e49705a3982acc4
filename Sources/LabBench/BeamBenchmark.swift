// BeamBenchmark — `lmlab bench beam`: does batching the beams pay? Beam search with B beams against B sequential
// greedy runs, on the same model and prompt, in one process (issue 5: with 4 beams on ERNIE-0.3B, ≥ 2× the tokens/s).
//
// Both sides produce B × N new tokens:
//   beam     one BeamSearch.run (Sources/Decoding/BeamSearch.swift) of N steps: the prompt once, then N − 1
//            `appendBatch` calls of B tokens — every weight matrix is streamed once per step for all B beams
//            (ERNIE: WeightMatrix.apply → matvecBF16Batch);
//   greedy   B runs of Sampler(.greedy).generate for N tokens each: the prompt, then N − 1 single-token steps —
//            every weight matrix is streamed once per token.
// tokens/s = B × N / seconds for both (end tokens are disabled, so every run makes exactly N tokens), and the
// speed-up is their ratio (also estimated from the median model calls, B × greedy step / batched step, which
// load bursts on a shared machine distort less). A warm-up prefill of the prompt first maps every weight page, so
// neither side pays for cold page faults. Also reported: the median time of one model call (a greedy step; a batched beam step)
// and one whole beam step (model call, ranking, tree), the figure issue 8 holds to ≤ 50 ms on the tiny ERNIE.
import Decoding
import ERNIE
import Foundation
import LabCore

public enum BeamBenchmark {
    /// B = `beams` sequential greedy runs of `tokens` tokens, then one beam search of `beams` beams for `tokens`
    /// steps, both from the same `promptTokens` seeded ids after a warm-up prefill.
    /// - Throws: load errors of `ErnieModel`, `CancellationError`, `BenchError` when a run stops early.
    public static func run(_ setup: ModelBenchSetup, beams: Int, tokens: Int, promptTokens: Int,
                           log: (String) -> Void) throws -> BenchBeamReport {
        let (url, builtNow) = try setup.folder(log: log)
        let loadBefore = BenchClock.loadAverage()

        let ernie = try ErnieModel(folder: url, precision: setup.precision)
        let model = TimedLanguageModel(ernie)
        let prompt = BenchClock.promptIDs(count: promptTokens, vocabulary: ernie.config.vocabSize, seed: setup.seed)
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
            throw BenchError("a run stopped before \(tokens) tokens; check the checkpoint in \(url.path)")
        }
        let newTokens = beams * tokens
        let greedyRate = Double(newTokens) / greedySeconds, beamRate = Double(newTokens) / beamSeconds
        let figures = BeamBenchFigures(
            beams: beams, new_tokens_per_run: tokens, greedy_seconds: greedySeconds, greedy_tokens_per_s: greedyRate,
            greedy_step_ms_median: 1000 * BenchClock.median(greedySteps),
            beam_seconds: beamSeconds, beam_tokens_per_s: beamRate,
            beam_batch_call_ms_median: 1000 * BenchClock.median(batchSteps),
            beam_step_ms_mean: 1000 * beamSeconds / Double(tokens),
            speedup: beamRate / greedyRate,
            speedup_from_median_calls: Double(beams) * BenchClock.median(greedySteps) / BenchClock.median(batchSteps))
        let run = BenchRunFacts(setup: setup, url: url, builtNow: builtNow, loadBefore: loadBefore, promptTokens: promptTokens)
        return BenchBeamReport(run: run, figures: figures)
    }
}

/// What `bench beam` prints.
public typealias BenchBeamReport = BenchReport<BeamBenchFigures>

/// The figures of `bench beam`, JSON keys as written.
public struct BeamBenchFigures: Encodable, Sendable {
    public var beams: Int
    public var new_tokens_per_run: Int
    /// All B greedy runs, prompt included.
    public var greedy_seconds: Double
    /// B × N / greedy_seconds.
    public var greedy_tokens_per_s: Double
    /// One single-token model call.
    public var greedy_step_ms_median: Double
    /// The whole beam search, prompt included.
    public var beam_seconds: Double
    /// B × N / beam_seconds (the comparison).
    public var beam_tokens_per_s: Double
    /// One batched model call of B tokens.
    public var beam_batch_call_ms_median: Double
    /// beam_seconds / N: a whole step (model call, candidate ranking, tree), prompt included.
    public var beam_step_ms_mean: Double
    /// beam_tokens_per_s / greedy_tokens_per_s.
    public var speedup: Double
    /// B × greedy_step_ms_median / beam_batch_call_ms_median: the same ratio from median model calls, which a
    /// burst of load from other processes during one side's run distorts less.
    public var speedup_from_median_calls: Double
}

extension BenchReport where Figures == BeamBenchFigures {
    /// The report as a few readable lines.
    public var text: String {
        let f = figures
        var lines = run.heading("beam-search")
        lines[lines.count - 1] += " · precision \(run.precision)"
        lines += [
            "  \(f.beams) greedy runs × \(f.new_tokens_per_run) tokens   \(fixed(f.greedy_tokens_per_s, 2)) tokens/s "
                + "(\(fixed(f.greedy_seconds, 2)) s) · median \(fixed(f.greedy_step_ms_median)) ms per single-token call",
            "  beam search, \(f.beams) beams × \(f.new_tokens_per_run) steps   \(fixed(f.beam_tokens_per_s, 2)) tokens/s "
                + "(\(fixed(f.beam_seconds, 2)) s) · median \(fixed(f.beam_batch_call_ms_median)) ms per "
                + "\(f.beams)-token call, \(fixed(f.beam_step_ms_mean)) ms per whole step",
            "  speed-up of batching the beams   \(fixed(f.speedup, 2))× (from median model calls: "
                + "\(fixed(f.speedup_from_median_calls, 2))×)",
            "  peak RSS \(fixed(run.peak_rss_mb, 0)) MB (prompt of \(run.prompt_tokens) tokens)" + run.peakNote,
        ]
        return (lines + run.releaseHint("beam")).joined(separator: "\n")
    }
}
