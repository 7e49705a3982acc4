// BenchModelReport — what `lmlab bench decode` and `lmlab bench prefill` print: JSON with the keys below, as
// written (scripts/bench_ernie_vs_llamacpp.py reads decode_tokens_per_s and prefill_tokens_per_s), or a few lines.
import ERNIE
import Foundation
import LabCore

/// The figures of one decode or prefill run, JSON keys as written.
public struct BenchModelReport: Encodable, Sendable {
    /// "decode" or "prefill".
    public var command: String
    public var model: String
    /// The weight precision (as-stored, bf16, f32, int8, int4) and the dtype of the file.
    public var precision: String
    public var stored_dtype: String
    public var random_checkpoint: Bool
    public var checkpoint_written_this_run: Bool
    public var weight_file_bytes: Int
    public var build: String
    public var threads: Int
    public var cpu: String
    public var load_average_before: [Double]
    public var load_average_after: [Double]
    public var load_ms: Double
    public var time_to_first_logits_ms: Double
    public var prompt_tokens: Int
    public var peak_rss_mb: Double
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

    /// The facts common to both runs, taken when the run has finished; the caller fills in its own figures.
    init(command: String, setup: ModelBenchSetup, url: URL, builtNow: Bool, model: ErnieModel,
         loadBefore: [Double], loadMs: Double, firstMs: Double, promptTokens: Int) {
        self.command = command
        self.model = url.path
        precision = setup.precision.rawValue
        stored_dtype = model.weights.storedStorage.rawValue
        random_checkpoint = setup.isRandom
        checkpoint_written_this_run = builtNow
        weight_file_bytes = BenchClock.weightFileBytes(url)
        build = BenchClock.build
        threads = labThreadCount
        cpu = BenchClock.cpuModel()
        load_average_before = loadBefore
        load_average_after = BenchClock.loadAverage()
        load_ms = loadMs
        time_to_first_logits_ms = firstMs
        prompt_tokens = promptTokens
        peak_rss_mb = BenchClock.peakRSSMB()
    }

    /// The report as a few readable lines.
    public var text: String {
        var lines = [
            "LMLab ERNIE-4.5 \(command) benchmark — \(threads) thread\(threads == 1 ? "" : "s"), \(build) build",
            "CPU: \(cpu) · load average \(BenchClock.format(load: load_average_before)) before, "
                + "\(BenchClock.format(load: load_average_after)) after",
            "model: \(model)\(random_checkpoint ? " (seeded random weights)" : "") · "
                + "\(fixed(Double(weight_file_bytes) / 1e6, 0)) MB of safetensors",
            "precision: \(precision)" + (precision == "as-stored" ? " (\(stored_dtype), memory-mapped)"
                                                                  : " (converted at load from \(stored_dtype))"),
        ]
        if let tps = decode_tokens_per_s, let ms = decode_ms_per_token_median, let n = decode_tokens,
           let gbps = weight_gbps, let bytes = weight_bytes_per_token {
            lines.append("  decode              \(fixed(tps, 2)) tokens/s over \(n) tokens · median \(fixed(ms)) ms/token")
            lines.append("  weight bandwidth    \(fixed(gbps, 2)) GB/s (\(fixed(Double(bytes) / 1e6, 0)) MB of weights per token)")
            if let big = projected_21b_a3b_bytes_per_token, let projected = projected_21b_a3b_tokens_per_s {
                lines.append("  21B-A3B projection  \(fixed(projected, 2)) tokens/s: ERNIE-4.5-21B-A3B reads "
                             + "\(fixed(Double(big) / 1e6, 0)) MB of weights per token in this precision, at \(fixed(gbps, 2)) GB/s")
            }
        }
        if let tps = prefill_tokens_per_s, let s = prefill_seconds {
            lines.append("  prefill             \(fixed(tps, 1)) tokens/s (\(prompt_tokens) tokens in \(fixed(s, 2)) s)")
        }
        lines.append("  model load          \(fixed(load_ms, 0)) ms · first logits \(fixed(time_to_first_logits_ms, 0)) ms "
                     + "after load start (prompt of \(prompt_tokens) tokens)")
        lines.append("  peak RSS            \(fixed(peak_rss_mb, 0)) MB" + (checkpoint_written_this_run
            ? " (includes writing the random checkpoint; re-run for the bench alone)" : ""))
        if build == "debug" { lines.append("(debug build: re-run with `swift run -c release lmlab bench \(command) …`)") }
        return lines.joined(separator: "\n")
    }
}
