// `lmlab moe route` on the tiny MoE fixture (Tests/ERNIETests/Fixtures/moe-tokenizer, every layer MoE, 16 experts,
// top 2): the routing it prints is the engine's, checked here against the router's definition recomputed from
// the probabilities it reports; a dense model and a dense layer are refused with a HINT.
import Foundation
import LabCore
import Lab
import Testing
@testable import LabCLI

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures").standardizedFileURL
private let moeModel = fixtures.appendingPathComponent("moe-tokenizer").path

@Test func moeRouteShowsEveryMoELayerWithLoadAndBiasChanges() throws {
    let report = try ExpertRouteReport.route("The cat sat on the mat.", model: moeModel)
    let (pieces, tokens, layers) = (report.pieces, report.tokens, report.layers)
    #expect(layers.map(\.layer) == [0, 1])
    #expect(pieces.count == tokens.count && pieces.first == "<s>")
    for (_, r) in layers {
        #expect(r.rows == tokens.count && r.k == 2 && r.experts == 16)
        #expect(r.load.reduce(0, +) == tokens.count * 2)
        for t in 0..<r.rows {
            // The unbiased choice is the top 2 of p; the chosen pair's weights are p renormalised, clamped by 0.5.
            let p = Array(r.probabilities[(t * 16)..<((t + 1) * 16)])
            let sortedP = p.enumerated().sorted { $0.element > $1.element }
            #expect(Set(r.unbiasedChoice(row: t)) == Set(sortedP.prefix(2).map(\.offset)))
            let chosen = Array(r.chosen(row: t)), sum = chosen.map { p[$0] }.reduce(0, +)
            for (e, w) in zip(chosen, r.weights(row: t)) { #expect(abs(w - p[e] / max(sum, 0.5)) < 1e-6) }
        }
    }
    let text = report.text
    print(text)
    #expect(text.contains("layer 0: 16 experts, top 2") && text.contains("load (tokens per expert)"))
    #expect(text.contains("unbiased: e"))      // the fixture's bias moves some choices (48 of 80 in transformers)
    // Each token's experts are listed heaviest first, whatever order the biased ranking chose them in.
    for line in text.split(separator: "\n") where line.hasPrefix("  ") && line.contains(" e") && !line.contains("load") {
        let weights = line.split(separator: " ").compactMap { Double($0) }.filter { $0 > 0 && $0 <= 1 }
        #expect(weights == weights.sorted(by: >), "\(line)")
    }
}

@Test func moeRouteRefusesADenseModelAndADenseLayer() throws {
    #expect(throws: (any Error).self) { try MoeRouteCommand.parse(["hello", "--model", moeModel, "--json", "--explore"]) }
    let dense = fixtures.appendingPathComponent("with-tokenizer").path
    #expect { try ExpertRouteReport.route("hello", model: dense) } throws: {
        "\($0)".contains("has no experts") && "\($0)".contains("HINT")
    }
    let denseFirst = fixtures.appendingPathComponent("moe-dense-first").path
    #expect { try ExpertRouteReport.route("hello", model: denseFirst, layer: 0) } throws: {
        "\($0)".contains("not an MoE layer") && "\($0)".contains("[1, 2]")
    }
}

@Test func inspectNamesTheExpertsOfAnMoECheckpoint() throws {
    let report = try InspectCommand.parse([fixtures.appendingPathComponent("moe-bias-bf16").path]).report()
    #expect(report.experts == "6 experts of width 16, top 3 per token, 2 shared, in layers [1, 3]")
    let routing = try #require(report.routing)
    #expect([routing.experts, routing.width, routing.topK, routing.shared] == [6, 16, 3, 2] && routing.layers == [1, 3])
    let zh = try Learner.$language.withValue(.zh) {
        try InspectCommand.parse([fixtures.appendingPathComponent("moe-bias-bf16").path]).report()
    }
    #expect(zh.experts == report.experts, "inspect --json's experts sentence is English in a zh lesson too")
    let text = PlainRenderer.render(report.output, width: 120)
    #expect(text.split(separator: "\n").contains { $0.hasPrefix("MoE ") && $0.contains("6 experts of width 16") }, "\(text)")
    let dense = try InspectCommand.parse([fixtures.appendingPathComponent("with-tokenizer").path]).report()
    #expect(dense.experts == nil)
}
