// BenchModelReport — what `lmlab bench decode` and `lmlab bench prefill` print: JSON with the keys below, as
// written (scripts/bench_ernie_vs_llamacpp.py reads decode_tokens_per_s and prefill_tokens_per_s), or a few lines.
import ERNIE
import Foundation
import LabCore

/// What `bench decode` and `bench prefill` print.
public typealias BenchModelReport = BenchReport<ModelBenchFigures>

/// The figures of one decode or prefill run, JSON keys as written.
public struct ModelBenchFigures: Encodable, Sendable {
    /// "decode" or "prefill".
    public var command: String
    /// The dtype of the weights in the file.
    public var stored_dtype: String
    public var load_ms: Double
    public var time_to_first_logits_ms: Double
    public var decode_tokens: Int?
    public var decode_tokens_per_s: Double?
    public var decode_ms_per_token_median: Double?
    public var weight_bytes_per_token: Int?
    public var weight_gbps: Double?
    /// ERNIE-4.5-21B-A3B in this run's precision: weight bytes a decode step reads (from its published config) and
    /// the tokens/s it would decode at if it streamed them at this run's weight_gbps (DecodeBytes.swift).
    public var projected_21b_a3b_bytes_per_token: Int?
    public var projected_21b_a3b_tokens_per_s: Double?
    public var prefill_tokens_per_s: Double?
    public var prefill_seconds: Double?
}

extension BenchReport where Figures == ModelBenchFigures {
    /// The facts common to both runs, taken when the run has finished; the caller fills in its own figures.
    init(command: String, setup: ModelBenchSetup, url: URL, builtNow: Bool, model: ErnieModel,
         loadBefore: [Double], loadMs: Double, firstMs: Double, promptTokens: Int) {
        run = BenchRunFacts(setup: setup, url: url, builtNow: builtNow, loadBefore: loadBefore, promptTokens: promptTokens)
        figures = ModelBenchFigures(command: command, stored_dtype: model.weights.storedStorage.rawValue, load_ms: loadMs,
                                    time_to_first_logits_ms: firstMs)
    }

    /// The report as a few readable lines.
    public var text: String {
        let f = figures
        var lines = run.heading("ERNIE-4.5 \(f.command)")
        lines.append("precision: \(run.precision)" + (run.precision == "as-stored" ? " (\(f.stored_dtype), memory-mapped)"
                                                                              : " (converted at load from \(f.stored_dtype))"))
        if let tps = f.decode_tokens_per_s, let ms = f.decode_ms_per_token_median, let n = f.decode_tokens,
           let gbps = f.weight_gbps, let bytes = f.weight_bytes_per_token {
            lines.append("  decode              \(fixed(tps, 2)) tokens/s over \(n) tokens · median \(fixed(ms)) ms/token")
            lines.append("  weight bandwidth    \(fixed(gbps, 2)) GB/s (\(fixed(Double(bytes) / 1e6, 0)) MB of weights per token)")
            if let big = f.projected_21b_a3b_bytes_per_token, let projected = f.projected_21b_a3b_tokens_per_s {
                lines.append("  21B-A3B projection  \(fixed(projected, 2)) tokens/s: ERNIE-4.5-21B-A3B reads "
                             + "\(fixed(Double(big) / 1e6, 0)) MB of weights per token in this precision, at \(fixed(gbps, 2)) GB/s")
            }
        }
        if let tps = f.prefill_tokens_per_s, let s = f.prefill_seconds {
            lines.append("  prefill             \(fixed(tps, 1)) tokens/s (\(run.prompt_tokens) tokens in \(fixed(s, 2)) s)")
        }
        lines.append("  model load          \(fixed(f.load_ms, 0)) ms · first logits \(fixed(f.time_to_first_logits_ms, 0)) ms "
                     + "after load start (prompt of \(run.prompt_tokens) tokens)")
        lines.append("  peak RSS            \(fixed(run.peak_rss_mb, 0)) MB" + run.peakNote)
        return (lines + run.releaseHint(f.command)).joined(separator: "\n")
    }
}
