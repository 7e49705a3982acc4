// The routed feed-forward block (MixtureOfExperts.swift) against its naive twin (MixtureOfExpertsNaive.swift) on
// random in-memory layers: the same chosen experts and outputs within float32 rounding, for one row (decode), a
// few rows (beams: batched matvec) and many rows (prefill: gemm per expert), f32 and bf16 experts.

import Foundation
import Testing
import LabCore
@testable import ERNIE

/// One random MoE layer held in memory: router, correction bias, E experts of width Fe and the shared experts.
final class RandomMoELayer {
    private var buffers: [UnsafeMutableRawPointer] = []
    private(set) var weights: MoEWeights!
    let width: Int

    /// `distinct` > 0 makes only that many different experts and repeats them (expert e uses e mod distinct), so a
    /// layer of a real model's shape fits in little memory; the router still tells all E apart.
    init(width D: Int, experts E: Int, expertWidth Fe: Int, shared: Int, storage: WeightMatrix.Storage,
         biasScale: Double, seed: UInt64, distinct: Int = 0) {
        width = D
        var rng = SeededRNG(seed: seed)
        func matrix(_ name: String, _ rows: Int, _ cols: Int) -> WeightMatrix {
            let n = rows * cols, std = 1 / Double(cols).squareRoot()
            let bytes = storage == .bf16 ? 2 * n : 4 * n
            let base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            buffers.append(base)
            for i in 0..<n {
                let v = Float(rng.nextNormal() * std)
                if storage == .bf16 {
                    base.storeBytes(of: BFloat16(v).bitPattern, toByteOffset: 2 * i, as: UInt16.self)
                } else {
                    base.storeBytes(of: v, toByteOffset: 4 * i, as: Float.self)
                }
            }
            return WeightMatrix(name: name, rows: rows, cols: cols, storage: storage, base: UnsafeRawPointer(base))
        }
        func swiGLU(_ prefix: String, _ F: Int) -> SwiGLUWeights {
            SwiGLUWeights(gate: matrix(prefix + "gate_proj.weight", F, D), up: matrix(prefix + "up_proj.weight", F, D),
                          down: matrix(prefix + "down_proj.weight", D, F))
        }
        let router = (0..<(E * D)).map { _ in Float(rng.nextNormal() * 2 / Double(D).squareRoot()) }
        let bias = (0..<E).map { _ in Float(rng.nextNormal() * biasScale) }
        let made = (0..<(distinct > 0 ? min(distinct, E) : E)).map { swiGLU("mlp.experts.\($0).", Fe) }
        weights = MoEWeights(router: router, correctionBias: bias, experts: (0..<E).map { made[$0 % made.count] },
                             shared: shared == 0 ? nil : swiGLU("mlp.shared_experts.", shared * Fe))
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// N random rows [N, D].
    func input(rows N: Int, seed: UInt64) -> [Float] {
        var rng = SeededRNG(seed: seed)
        return (0..<(N * width)).map { _ in Float(rng.nextNormal()) }
    }
}

@Suite("MoE layer: fast against naive", .exactBF16Gemm)
struct MixtureOfExpertsTests {
    @Test("fast routed block equals the naive one (every expert computed, masked)",
          arguments: [(1, WeightMatrix.Storage.f32), (5, .f32), (40, .f32), (1, .bf16), (7, .bf16), (33, .bf16)])
    func fastEqualsNaive(rows: Int, storage: WeightMatrix.Storage) {
        let layer = RandomMoELayer(width: 48, experts: 8, expertWidth: 24, shared: 2, storage: storage,
                                   biasScale: 0.05, seed: 7)
        let moe = MixtureOfExperts(weights: layer.weights, topK: 3, normMin: 1e-12)
        let x = layer.input(rows: rows, seed: UInt64(rows))
        var fast = [Float](repeating: .nan, count: x.count)
        let routing = x.withUnsafeBufferPointer { xb in
            fast.withUnsafeMutableBufferPointer { moe(xb.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        let naive = mixtureOfExpertsNaive(x, rows: rows, weights: layer.weights, topK: 3, normMin: 1e-12)
        let diff = maxAbsDiff(fast, naive.out), scale = naive.out.map(abs).max() ?? 0
        print("[moe \(storage.rawValue), \(rows) rows] fast vs naive: max |Δ| \(diff) (outputs up to \(scale))")
        #expect(routing.chosen == naive.chosen)
        #expect(diff <= 1e-5 * max(1, scale))
        for r in 0..<rows { #expect(abs(routing.weights(row: r).reduce(0, +) - 1) < 1e-5) }
    }

    @Test("the correction bias changes the choice but not the mixing weights' source")
    func biasChoosesOnly() {
        let plain = RandomMoELayer(width: 32, experts: 6, expertWidth: 16, shared: 0, storage: .f32, biasScale: 0, seed: 3)
        let x = plain.input(rows: 16, seed: 9)
        let w = plain.weights!
        // Raise expert 5 far enough that every row picks it: its weight must stay its own (small) probability share.
        let biased = MoEWeights(router: w.router, correctionBias: [0, 0, 0, 0, 0, 10], experts: w.experts, shared: nil)
        let r0 = x.withUnsafeBufferPointer { ExpertRouter.route($0.baseAddress!, rows: 16, width: 32, weights: w,
                                                                topK: 2, normMin: 1e-12) }
        let r1 = x.withUnsafeBufferPointer { ExpertRouter.route($0.baseAddress!, rows: 16, width: 32, weights: biased,
                                                                topK: 2, normMin: 1e-12) }
        #expect(r0.probabilities == r1.probabilities)
        var changed = 0
        for r in 0..<16 {
            #expect(r1.chosen(row: r).first == 5)
            if Set(r0.chosen(row: r)) != Set(r1.chosen(row: r)) { changed += 1 }
            let p = r1.probabilities[(r * 6)..<((r + 1) * 6)].map { $0 }, chosen = Array(r1.chosen(row: r))
            let expected = p[chosen[0]] / (p[chosen[0]] + p[chosen[1]])
            #expect(abs(r1.weights(row: r).first! - expected) < 1e-6)
        }
        print("[moe bias] rows whose chosen experts changed: \(changed) of 16")
        #expect(changed > 0)
    }

    @Test("moe_norm_min clamps the renormalisation: weights sum to Σp / norm_min when Σp is smaller")
    func normMinClamps() {
        let layer = RandomMoELayer(width: 32, experts: 16, expertWidth: 8, shared: 0, storage: .f32, biasScale: 0, seed: 5)
        let x = layer.input(rows: 8, seed: 2)
        let routing = x.withUnsafeBufferPointer { ExpertRouter.route($0.baseAddress!, rows: 8, width: 32,
                                                                      weights: layer.weights, topK: 2, normMin: 0.9) }
        for r in 0..<8 {
            let p = routing.chosen(row: r).map { routing.probabilities[r * 16 + $0] }
            let sum = p.reduce(0, +)
            #expect(abs(routing.weights(row: r).reduce(0, +) - (sum < 0.9 ? sum / 0.9 : 1)) < 1e-6)
        }
    }

    @Test("an ERNIE-4.5-21B-A3B-shaped layer (D 2560, 64 experts of 1536, top 6, 2 shared, bf16): fast = naive")
    func a3bShapedLayer() {
        let layer = RandomMoELayer(width: 2560, experts: 64, expertWidth: 1536, shared: 2, storage: .bf16,
                                   biasScale: 0.01, seed: 21, distinct: 2)
        let moe = MixtureOfExperts(weights: layer.weights, topK: 6, normMin: 1e-12)
        let rows = 6, D = 2560
        let x = layer.input(rows: rows, seed: 4)
        var grouped = [Float](repeating: .nan, count: rows * D)          // the prompt path: grouped by expert
        let routing = x.withUnsafeBufferPointer { xb in
            grouped.withUnsafeMutableBufferPointer { moe(xb.baseAddress!, rows: rows, into: $0.baseAddress!) }
        }
        var worstStep: Float = 0
        for r in 0..<rows {                                                 // the decode path, one row at a time
            var one = [Float](repeating: .nan, count: D)
            let single = Array(x[(r * D)..<((r + 1) * D)]).withUnsafeBufferPointer { xb in
                one.withUnsafeMutableBufferPointer { moe(xb.baseAddress!, rows: 1, into: $0.baseAddress!) }
            }
            #expect(Array(single.chosen(row: 0)) == Array(routing.chosen(row: r)))
            worstStep = max(worstStep, maxAbsDiff(one, Array(grouped[(r * D)..<((r + 1) * D)])))
        }
        // The naive twin (all 64 experts on the row, masked) on the first row only: it is slow by design.
        let naive = mixtureOfExpertsNaive(Array(x[0..<D]), rows: 1, weights: layer.weights, topK: 6, normMin: 1e-12)
        let diff = maxAbsDiff(Array(grouped[0..<D]), naive.out), scale = naive.out.map(abs).max() ?? 0
        print("[moe A3B-shaped layer] chosen \(Array(routing.chosen(row: 0))), load \(routing.load.filter { $0 > 0 }.count) "
              + "experts used by \(rows) rows; decode vs grouped max |Δ| \(worstStep); fast vs naive max |Δ| \(diff) "
              + "(outputs up to \(scale))")
        #expect(naive.chosen == Array(routing.chosen(row: 0)))
        #expect(diff <= 1e-5 * max(1, scale))
        #expect(worstStep <= 1e-5 * max(1, scale))
    }
}
