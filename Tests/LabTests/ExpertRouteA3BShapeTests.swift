// `lmlab moe route` at ERNIE-4.5-21B-A3B's shape without its 44 GB: one MoE layer's router built in memory
// (E 64 × D 2560 in f32, a correction bias that moves choices, top 6 — the published config's values), the engine's
// router run on random hidden states, and the route report (text and JSON) made from its decision. The choices and
// weights are recomputed here in Double from the definition (softmax, top 6 of p + b, p renormalised), not by
// the engine. The experts themselves play no part in the choice; the fast/naive layer at this shape is
// ERNIETests' MixtureOfExpertsTests.a3bShapedLayer.
import Foundation
import Lab
import LabCore
import ModelFiles
import Testing
@testable import ERNIE

@Test func moeRouteWorksOnA21BA3BShapedLayer() throws {
    let config = ERNIEConfig.ernie45_21B_A3B
    let moe = try #require(config.moe)
    let (D, E, k, T) = (config.hiddenSize, moe.numExperts, moe.topK, 7)
    var rng = SeededRNG(seed: 21)
    let router = (0..<(E * D)).map { _ in Float(rng.nextNormal() * 2 / Double(D).squareRoot()) }    // [E, D]
    let bias = (0..<E).map { _ in Float(rng.nextNormal() * 0.004) }                                 // [E]
    let x = (0..<(T * D)).map { _ in Float(rng.nextNormal()) }                                       // [T, D]
    let weights = MoEWeights(router: router, correctionBias: bias, experts: [], shared: nil)
    let routing = x.withUnsafeBufferPointer {
        ExpertRouter.route($0.baseAddress!, rows: T, width: D, weights: weights, topK: k, normMin: Float(moe.normMin))
    }

    var biasMoved = 0
    for t in 0..<T {                                     // the definition, in Double
        let z = (0..<E).map { e in (0..<D).reduce(0.0) { $0 + Double(x[t * D + $1]) * Double(router[e * D + $1]) } }
        let m = z.max()!, s = z.reduce(0) { $0 + exp($1 - m) }
        let p = z.map { exp($0 - m) / s }
        let chosen = Array((0..<E).sorted { p[$0] + Double(bias[$0]) > p[$1] + Double(bias[$1]) }.prefix(k))
        #expect(Array(routing.chosen(row: t)) == chosen, "token \(t)")
        let sum = chosen.reduce(0) { $0 + p[$1] }
        for (e, w) in zip(chosen, routing.weights(row: t)) { #expect(abs(Double(w) - p[e] / sum) < 1e-5) }
        if Set((0..<E).sorted { p[$0] > p[$1] }.prefix(k)) != Set(chosen) { biasMoved += 1 }
    }

    let report = ExpertRouteReport(pieces: ["<s>"] + (1..<T).map { "t\($0)" }, tokens: Array(0..<T),
                                   layers: [(layer: 1, routing: routing)])
    let text = report.text
    print(text)
    #expect(text.contains("layer 1: 64 experts, top 6"))
    let rows = text.split(separator: "\n").filter { $0.hasPrefix("  ") && $0.contains(" e") && !$0.contains("load") }
    #expect(rows.count == T && rows.allSatisfy { $0.components(separatedBy: "  e").count - 1 == k })
    #expect(routing.load.count == 64 && routing.load.reduce(0, +) == T * k)
    #expect(ExpertRouteReport.biasChanged(routing) == biasMoved)
    #expect(text.contains("changed the choice of \(biasMoved) of \(T) tokens"))
    print("21B-A3B-shaped router: the bias moved the choice of \(biasMoved) of \(T) tokens")
    let json = report.json
    #expect(json.layers.count == 1 && json.layers[0].chosen.count == T && json.layers[0].load.count == 64)
}
