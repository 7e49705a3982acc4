// int4 experts (issue 21): the routed block with int4 expert matrices against its naive twin, on an in-memory layer
// whose experts are 40 wide (down_proj rows padded to 64), and the shipped tiny MoE loaded with --precision int4
// (experts 170 wide, padded to 192; the router stays f32): decode, batched and prefill paths agree.

import Foundation
import Testing
import LabCore
@testable import ERNIE

@Suite("MoE with int4 experts", .exactBF16Gemm)
struct MoEInt4Tests {
    /// `layer`'s weights with every expert matrix (routed and shared) in int4; router and bias unchanged.
    func int4(_ w: MoEWeights) throws -> MoEWeights {
        func q(_ s: SwiGLUWeights) throws -> SwiGLUWeights {
            SwiGLUWeights(gate: try s.gate.converted(to: .int4), up: try s.up.converted(to: .int4),
                          down: try s.down.converted(to: .int4))
        }
        return MoEWeights(router: w.router, correctionBias: w.correctionBias, experts: try w.experts.map(q),
                          shared: try w.shared.map(q))
    }

    @Test("int4 experts: the fast routed block equals the naive one (Swift kernel); on VNNI within x's rounding",
          arguments: [1, 5, 40])
    func fastEqualsNaive(rows: Int) throws {
        let layer = RandomMoELayer(width: 64, experts: 8, expertWidth: 40, shared: 1, storage: .f32,
                                   biasScale: 0.05, seed: 11)
        let weights = try int4(layer.weights)
        #expect(weights.experts[0].down.storage == .int4 && weights.experts[0].down.int4Cols == 64)
        let moe = MixtureOfExperts(weights: weights, topK: 2, normMin: 1e-12)
        let x = layer.input(rows: rows, seed: UInt64(rows))
        func run() -> ([Float], ExpertRouting) {
            var out = [Float](repeating: .nan, count: x.count)
            let routing = x.withUnsafeBufferPointer { xb in
                out.withUnsafeMutableBufferPointer { moe(xb.baseAddress!, rows: rows, into: $0.baseAddress!) }
            }
            return (out, routing)
        }
        let naive = mixtureOfExpertsNaive(x, rows: rows, weights: weights, topK: 2, normMin: 1e-12)
        let scale = naive.out.map(abs).max() ?? 0
        let (swift, routing) = Int4KernelPolicy.$allowVNNI.withValue(false) { run() }
        let (fast, _) = run()
        let swiftDiff = maxAbsDiff(swift, naive.out), fastDiff = maxAbsDiff(fast, naive.out)
        print("[moe int4, \(rows) rows] fast vs naive: max |Δ| \(swiftDiff) (Swift kernel), \(fastDiff) (default path, "
              + "VNNI \(int4VNNIEnabled ? "on" : "off")); outputs up to \(scale)")
        #expect(routing.chosen == naive.chosen)
        #expect(swiftDiff <= 1e-5 * max(1, scale))
        #expect(fastDiff <= 2e-2 * max(1, scale))                 // x rounded to int8 per group on VNNI (≤ 16 rows)
    }

    @Test("the shipped tiny MoE in int4: experts int4 (padded to whole groups), router f32; its paths agree")
    func shippedTinyMoE() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/tiny-ernie-moe")
        let model = try ErnieModel(folder: folder, precision: .int4)
        guard case .routed(let moe) = model.weights.layers[1].feedForward else {
            Issue.record("layer 1 of the tiny MoE is not routed"); return
        }
        #expect(moe.experts.allSatisfy { $0.gate.storage == .int4 && $0.down.storage == .int4 })
        #expect(moe.shared?.down.storage == .int4 && moe.experts[0].down.int4Cols == 192)
        let ids = [1] + (0..<23).map { 300 + 97 * $0 % 2500 }
        let (decoded, prefilled) = try Int4KernelPolicy.$allowVNNI.withValue(false) {
            var cache = model.makeCache(), whole = model.makeCache()
            return (try ids.map { try model.append([$0], to: &cache) }, try model.scoreAll(ids, from: &whole))
        }
        let asStored = try ErnieModel(folder: folder)
        var cache = asStored.makeCache()
        let reference = try asStored.scoreAll(ids, from: &cache)
        let paths = maxAbsDiff(decoded, prefilled), cost = maxAbsDiff(prefilled, reference)
        print("[tiny-ernie-moe int4] decode vs prefill max |Δ log p| \(paths); int4 vs the stored bf16: max \(cost)")
        #expect(paths <= 1e-3)
        #expect(cost > 0 && cost < 5)
    }
}
