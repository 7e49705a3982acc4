// Fidelity of the ERNIE engine to transformers' Ernie4_5ForCausalLM on random tiny checkpoints:
// the same log-probabilities at every position (prefill and token-by-token decode), the same greedy text,
// batched decode equal to single-sequence decode, and the recorder's hidden states equal to transformers'.

import Decoding
import Foundation
import Testing
import LabCore
@testable import ERNIE

/// Log-prob tolerance against transformers' float64 run over the whole vocabulary at every position. The engine
/// computes in float32; transformers' own float32 run is 3–4e-5 away on these checkpoints (printed beside ours).
let tolerance: Float = 1e-4

@Suite("ERNIE fidelity to transformers", .exactBF16Gemm)   // f32 activations: AMX rounding is ErnieAMXPrefillTests'
struct ErnieFidelityTests {
    @Test("prefill: log-probs at every position equal transformers'", arguments: Fixtures.names)
    func prefill(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        var cache = model.makeCache()
        let rows = try model.scoreAll(expected.input_ids, from: &cache)
        let diff = maxAbsDiff(rows, expected.logprobs)
        print("[\(name)] prefill of \(rows.count) tokens: max abs log-prob diff \(diff) "
              + "(transformers f32 vs f64: \(expected.torch_f32_vs_f64_max_abs_diff))")
        #expect(rows.count == expected.input_ids.count)
        #expect(cache.count == expected.input_ids.count)
        #expect(diff <= tolerance)
    }

    @Test("decode: one token at a time through the KV cache equals transformers'", arguments: Fixtures.names)
    func decode(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        var cache = model.makeCache()
        var worst: Float = 0
        for (t, id) in expected.input_ids.enumerated() {
            let row = try model.append([id], to: &cache)
            worst = max(worst, maxAbsDiff(row, expected.logprobs[t]))
        }
        print("[\(name)] token-by-token decode: max abs log-prob diff \(worst) "
              + "(transformers f32 vs f64: \(expected.torch_f32_vs_f64_max_abs_diff))")
        #expect(worst <= tolerance)
    }

    @Test("mixed: a prefill of 20 then 12 decode steps equals transformers'", arguments: Fixtures.names)
    func prefillThenDecode(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        var cache = model.makeCache()
        var rows = try model.scoreAll(Array(expected.input_ids[..<20]), from: &cache)
        for id in expected.input_ids[20...] { rows.append(try model.append([id], to: &cache)) }
        let diff = maxAbsDiff(rows, expected.logprobs)
        print("[\(name)] prefill 20 + decode 12: max abs log-prob diff \(diff)")
        #expect(diff <= tolerance)
    }

    // The second call is a prefill whose causal diagonal starts at key 8, not 0 (prefillAttention's offset p0).
    @Test("resumed: a prefill of 24 after a cached prefix of 8 equals transformers'", arguments: Fixtures.names)
    func prefillAfterPrefix(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        var cache = model.makeCache()
        var rows = try model.scoreAll(Array(expected.input_ids[..<8]), from: &cache)
        rows += try model.scoreAll(Array(expected.input_ids[8...]), from: &cache)
        let diff = maxAbsDiff(rows, expected.logprobs)
        print("[\(name)] prefill 8 + prefill 24: max abs log-prob diff \(diff)")
        #expect(rows.count == expected.input_ids.count)
        #expect(diff <= tolerance)
    }

    @Test("greedy: 32 argmax tokens identical to transformers' generate(do_sample=False)", arguments: Fixtures.names)
    func greedy(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        let produced = try greedyContinuation(model, prompt: expected.input_ids, count: expected.greedy.count)
        print("[\(name)] greedy \(produced.prefix(8))… (reference min margin \(expected.greedy_min_margin))")
        #expect(produced == expected.greedy)
    }

    @Test("batched decode: three sequences at different positions in one pass equal the reference rows",
          arguments: Fixtures.names)
    func batchedDecode(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        let ids = expected.input_ids
        let cuts = [5, 17, 31]                      // prefix lengths; the batch then feeds ids[cut]
        var states: [KVCache] = []
        for cut in cuts {
            var cache = model.makeCache()
            _ = try model.append(Array(ids[..<cut]), to: &cache)
            states.append(cache)
        }
        let rows = try model.appendBatch(cuts.map { ids[$0] }, to: &states)
        let diff = maxAbsDiff(rows, cuts.map { expected.logprobs[$0] })
        print("[\(name)] appendBatch at positions \(cuts): max abs log-prob diff \(diff)")
        #expect(diff <= tolerance)
        #expect(states.map(\.count) == cuts.map { $0 + 1 })
    }

    @Test("forked caches are independent: a copied state continues on its own", arguments: ["gqa-tied"])
    func forkedCache(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        let ids = expected.input_ids
        var a = model.makeCache()
        _ = try model.append(Array(ids[..<10]), to: &a)
        var b = a                                   // fork
        _ = try model.append([ids[10], ids[11]], to: &b)
        let fromA = try model.append([ids[10]], to: &a)   // a must not have seen b's tokens
        let diff = maxAbsDiff(fromA, expected.logprobs[10])
        print("[\(name)] fork: max abs diff \(diff)")
        #expect(a.count == 11 && b.count == 12)
        #expect(diff <= tolerance)
    }

    @Test("bf16 checkpoint: equals transformers' f64 run, within transformers' own bf16-vs-f32 gap of its bf16 run")
    func bfloat16() throws {
        let name = "gqa-tied-bf16"
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        #expect(model.weights.embedding.storage == .bf16)
        var cache = model.makeCache()
        let rows = try model.scoreAll(expected.input_ids, from: &cache)
        let toF32 = maxAbsDiff(rows, expected.logprobs)
        let toBF16 = maxAbsDiff(rows, try #require(expected.logprobs_bf16))
        let budget = try #require(expected.bf16_vs_f32_max_abs_diff)
        print("[\(name)] max abs diff vs transformers f64 \(toF32), vs transformers bf16 \(toBF16) "
              + "(transformers' own bf16-vs-f32: \(budget))")
        #expect(toF32 <= tolerance)
        // |ours − bf16| ≤ |ours − f32| + |f32 − bf16|: transformers' own bf16-vs-f32 gap plus the float32 tolerance.
        #expect(toBF16 <= budget + tolerance)
    }

    @Test("recorder: hidden states after every layer equal transformers', attention rows are causal distributions",
          arguments: Fixtures.names)
    func recorder(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        let recorder = ErnieRecorder()
        var cache = model.makeCache()
        _ = try model.logits(expected.input_ids, cache: &cache, allPositions: false, recorder: recorder)
        let D = model.config.hiddenSize, T = expected.input_ids.count
        #expect(recorder.hiddenStates.count == model.config.numHiddenLayers + 1)
        var worst: Float = 0
        for (l, state) in recorder.hiddenStates.enumerated() {
            let last = Array(state[((T - 1) * D)..<(T * D)])
            let scale = max(1, expected.hidden_last[l].map(abs).max() ?? 1)   // relative for large activations
            worst = max(worst, maxAbsDiff(last, expected.hidden_last[l]) / scale)
        }
        print("[\(name)] recorder hidden states: max relative diff \(worst)")
        #expect(worst <= 1e-5)

        #expect(recorder.attention.count == model.config.numHiddenLayers)
        var rowSumError: Float = 0, future: Float = 0
        for map in recorder.attention {
            for r in 0..<map.rows {
                for h in 0..<map.heads {
                    let p = map[r, h]
                    rowSumError = max(rowSumError, abs(p.prefix(r + 1).reduce(0, +) - 1))
                    future = max(future, p.dropFirst(r + 1).map(abs).max() ?? 0)
                }
            }
        }
        #expect(rowSumError <= 1e-5)
        #expect(future == 0)
    }
}

@Suite("Sentence scoring ledger", .exactBF16Gemm)   // f32 activations: AMX rounding is ErnieAMXPrefillTests'
struct SentenceScoreTests {
    @Test("the ledger's per-token log P, total and perplexity follow transformers' log-probs", arguments: Fixtures.names)
    func ledger(name: String) throws {
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        let ids = expected.input_ids
        let score = try SentenceScore.score(ids, with: model, pieces: model.vocabulary.piece)
        #expect(score.entries.count == ids.count)
        #expect(score.entries[0].logProb == nil)
        var worst = 0.0, total = 0.0
        for i in 1..<ids.count {
            let reference = expected.logprobs[i - 1][ids[i]]           // row i−1 predicts token i
            worst = max(worst, abs(try #require(score.entries[i].logProb) - Double(reference)))
            total += Double(reference)
            #expect(abs(score.entries[i].runningLogProb - total) <= 1e-3)
        }
        let perplexity = exp(-total / Double(ids.count - 1))
        print("[\(name)] ledger: max abs diff per token \(worst), total \(score.totalLogProb) vs \(total), "
              + "perplexity \(score.perplexity) vs \(perplexity)")
        #expect(worst <= Double(tolerance))
        #expect(abs(score.totalLogProb - total) <= 1e-3)
        #expect(abs(score.perplexity - perplexity) / perplexity <= 1e-4)
        #expect(score.scoredCount == ids.count - 1)
    }
}
