// The `--json` keys of `lmlab bench decode|prefill|beam` are a contract (scripts/bench_ernie_vs_llamacpp.py reads
// decode_tokens_per_s and prefill_tokens_per_s): each report, run on a tiny random checkpoint, has exactly the keys
// it had when the benchmarks lived in LabCLI, and figures that are finite and positive.
import ERNIE
import Foundation
import ModelFiles
import Testing
@testable import LabBench

private let tiny = ERNIEConfig(hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                               headDim: 16, intermediateSize: 96, vocabSize: 300, dtype: "bfloat16")

/// A tiny random checkpoint in a fresh temporary folder, as a setup that loads it.
private func tinySetup() throws -> ModelBenchSetup {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-test-bench-\(UUID().uuidString)")
    try RandomErnieCheckpoint.ensure(config: tiny, seed: 5, folder: folder)
    return ModelBenchSetup(model: folder.path, seed: 5, precision: .asStored)
}

/// The top-level keys of `value` encoded as JSON.
private func keys<T: Encodable>(_ value: T) throws -> Set<String> {
    let object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any]
    return Set(try #require(object).keys)
}

private let common: Set<String> = [
    "command", "model", "precision", "stored_dtype", "random_checkpoint", "checkpoint_written_this_run",
    "weight_file_bytes", "build", "threads", "cpu", "load_average_before", "load_average_after", "load_ms",
    "time_to_first_logits_ms", "prompt_tokens", "peak_rss_mb",
]

@Suite struct BenchReportKeysTests {
    @Test func decodeAndPrefillKeepTheirKeys() throws {
        let setup = try tinySetup()
        defer { try? FileManager.default.removeItem(atPath: setup.model!) }
        let decode = try ModelBenchmark.decode(setup, tokens: 3, promptTokens: 2, log: { _ in })
        #expect(try keys(decode) == common.union(["decode_tokens", "decode_tokens_per_s", "decode_ms_per_token_median",
                                                   "weight_bytes_per_token", "weight_gbps",
                                                   "projected_21b_a3b_bytes_per_token", "projected_21b_a3b_tokens_per_s"]))
        #expect((decode.decode_tokens_per_s ?? 0) > 0 && (decode.weight_gbps ?? 0) > 0)
        #expect(decode.command == "decode" && !decode.random_checkpoint && decode.stored_dtype == "BF16")
        #expect(decode.text.contains("tokens/s over 3 tokens"))

        let prefill = try ModelBenchmark.prefill(setup, tokens: 5, log: { _ in })
        #expect(try keys(prefill) == common.union(["prefill_tokens_per_s", "prefill_seconds"]))
        #expect((prefill.prefill_tokens_per_s ?? 0) > 0 && prefill.prompt_tokens == 5)
        print("tiny random ERNIE: decode \(decode.decode_tokens_per_s!) tokens/s, prefill \(prefill.prefill_tokens_per_s!) tokens/s")
    }

    @Test func beamKeepsItsKeys() throws {
        let setup = try tinySetup()
        defer { try? FileManager.default.removeItem(atPath: setup.model!) }
        let beam = try BeamBenchmark.run(setup, beams: 2, tokens: 3, promptTokens: 2, log: { _ in })
        #expect(try keys(beam) == [
            "model", "precision", "random_checkpoint", "checkpoint_written_this_run", "weight_file_bytes", "build",
            "threads", "cpu", "load_average_before", "load_average_after", "beams", "new_tokens_per_run",
            "prompt_tokens", "greedy_seconds", "greedy_tokens_per_s", "greedy_step_ms_median", "beam_seconds",
            "beam_tokens_per_s", "beam_batch_call_ms_median", "beam_step_ms_mean", "speedup",
            "speedup_from_median_calls", "peak_rss_mb",
        ])
        #expect(beam.speedup > 0 && beam.speedup.isFinite)
    }
}
