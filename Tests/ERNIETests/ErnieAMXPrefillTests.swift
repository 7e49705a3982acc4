// The bf16 prefill path on this CPU's bf16 hardware — AMX or AVX512-BF16 (LabCore's gemmBF16Weights, activations
// rounded to bf16) — against the exact path
// (bf16 W widened to f32, activations f32) on the bf16 fixture checkpoint: how far the log-probs move, and that
// they stay within the bf16 criterion — transformers' own bf16-vs-f32 gap on the same checkpoint.
//
// The fidelity and ledger suites hold the exact path to transformers' float64 run at 1e-4; they run under
// `.exactBF16Gemm` (below), because rounding activations to bf16 moves log-probs by far more than 1e-4.

import Foundation
import Testing
import LabCore
@testable import ERNIE

/// Runs every test of a suite with bf16 products on the exact path (`BF16GemmPath.widenF32`).
struct ExactBF16GemmTrait: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }
    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        try await BF16GemmPolicy.$forced.withValue(.widenF32) { try await function() }
    }
}

extension Trait where Self == ExactBF16GemmTrait {
    /// bf16 weights multiply f32 activations exactly (no AMX rounding) for the tests in scope.
    static var exactBF16Gemm: Self { Self() }
}

@Suite("ERNIE bf16 prefill on AMX / AVX512-BF16")
struct ErnieAMXPrefillTests {
    @Test("Hardware bf16 prefill and scoring stay within transformers' own bf16-vs-f32 gap; Δ log p vs the exact path printed")
    func amxPrefillWithinBF16Gap() throws {
        let name = "gqa-tied-bf16"
        let model = try Fixtures.model(name), expected = try Fixtures.expected(name)
        #expect(model.weights.embedding.storage == .bf16)
        func score(_ path: BF16GemmPath) throws -> [[Float]] {
            try BF16GemmPolicy.$forced.withValue(path) {
                var cache = model.makeCache()
                return try model.scoreAll(expected.input_ids, from: &cache)
            }
        }
        let hardware = BF16GemmPolicy.hardwarePath
        let exact = try score(.widenF32), fast = try score(hardware)
        let budget = try #require(expected.bf16_vs_f32_max_abs_diff)
        let deltaLogP = maxAbsDiff(fast, exact)
        let toF64 = maxAbsDiff(fast, expected.logprobs)
        let toTorchBF16 = maxAbsDiff(fast, try #require(expected.logprobs_bf16))
        // Token-by-token decode never takes the gemm (1 row: matvec, f32 activations).
        var cache = model.makeCache()
        var decodeGap: Float = 0
        for (t, id) in expected.input_ids.enumerated() {
            decodeGap = max(decodeGap, maxAbsDiff(try model.append([id], to: &cache), fast[t]))
        }
        print("[\(name)] \(expected.input_ids.count)-token prefill, hardware path \(hardware): "
              + "max |Δ log p| \(hardware) vs exact path \(deltaLogP), vs transformers f64 \(toF64), vs transformers bf16 "
              + "\(toTorchBF16), vs our token-by-token decode \(decodeGap) (transformers' own bf16-vs-f32: \(budget))")
        #expect(toF64 <= budget)
        #expect(decodeGap <= budget)
        if hardware != .widenF32 {
            #expect(deltaLogP > 0, "the \(hardware) path rounds activations: identical log-probs mean it did not run")
        } else {
            print("[\(name)] no bf16 hardware on this machine: both paths are the exact one")
            #expect(deltaLogP == 0)
        }
    }
}
