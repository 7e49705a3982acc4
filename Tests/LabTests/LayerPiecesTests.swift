// Lesson 8's `layer` demos (Lab/LayerPieces.swift) against hand-computed values: RoPE's score depends only on the
// offset, RMSNorm leaves root-mean-square 1, silu shuts and opens the gate; and the parameter budget of the 0.3B
// counted from its config equals the catalog's count and, for the tiny ERNIE, the checkpoint's own header.
import Foundation
import LabCore
import ModelFiles
import Testing
@testable import Lab

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Test func ropeScoreDependsOnTheOffsetOnly() {
    let q: [Float] = [1, 0.5, -0.3, 0.8], k: [Float] = [0.7, -0.2, 0.9, 0.1]
    let s = LayerPieces.ropeScores(q: q, k: k, positions: [(3, 1), (100, 98), (1, 3), (7, 1)], theta: 10_000)
    print("RoPE scores:", s.map(\.score))
    #expect(abs(s[0].score - s[1].score) < 1e-4)
    #expect(abs(s[0].score - s[2].score) > 0.01)        // −2 is another offset than +2
    #expect(abs(s[0].score - s[3].score) > 0.01)
    // Pair 0 of (1, 0) at position 1 turns by 1 radian: (cos 1, sin 1); q·k at offset 0 is the plain dot product.
    let one = LayerPieces.ropeScores(q: [1, 0], k: [1, 0], positions: [(1, 0), (5, 5)], theta: 10_000)
    #expect(abs(one[0].score - cosf(1)) < 1e-6 && abs(one[1].score - 1) < 1e-6)
}

@Test func rmsNormAndSwiGLUOnAVisibleVector() throws {
    let text = PlainRenderer.render(try LayerPieces.rmsNormOutput(x: [3, -1, 2, 0.5], gain: nil, epsilon: 1e-5), width: 120)
    #expect(text.contains("1.8875"))                    // rms(3, −1, 2, 0.5) = √(14.25/4)
    #expect(text.contains("1.0000"))
    let g = PlainRenderer.render(try LayerPieces.swiGLUOutput(gate: [-4, 0, 4], up: [2, 2, 2]), width: 120)
    #expect(g.contains("-0.1439") && g.contains("0.0000") && g.contains("7.8561"))   // 2·silu(∓4), silu(0) = 0
}

@Test func layerInputsAreParsedOrRefusedWithTheOption() throws {
    let input = try LayerPieces.ropeInputs(q: "1,0,0,1", k: "0, 1 ,1,0", positions: "3:1, 10:8")
    #expect(input.q == [1, 0, 0, 1] && input.k == [0, 1, 1, 0])
    #expect(input.positions.map { [$0.0, $0.1] } == [[3, 1], [10, 8]])
    for (q, k, positions, option) in [("1,0,1", "0,1,0", "3:1", "--q"), ("1,0", "1,0,0,1", "3:1", "--q"),
                                      ("1,0", "x,1", "3:1", "--k"), ("1,0", "0,1", "3:-1", "--positions"),
                                      ("1,0", "0,1", "3", "--positions"), ("1,0", "0,1", "1000001:0", "--positions")] {
        #expect(throws: LayerPieces.InputError.self) { try LayerPieces.ropeInputs(q: q, k: k, positions: positions) }
        do { _ = try LayerPieces.ropeInputs(q: q, k: k, positions: positions) } catch {
            #expect("\(error)".hasPrefix(option) && "\(error)".contains("HINT"), "\(error)")
        }
    }
}

@Test func parameterBudgetFromTheConfig() throws {
    let budget = try ModelAnatomy.counted(.ernie45_0_3B, name: "ernie-4.5-0.3b", folder: "")
    #expect(budget.totalParameters == 360_748_032)      // Models/catalog.json's "parameters"
    #expect(budget.parts.map(\.name) == ["embedding", "attention", "mlp", "norms"])
    #expect(budget.parts.map(\.parameters) == [105_906_176, 84_934_656, 169_869_312, 37_888])
    let tiny = ModelFolder(url: root.appendingPathComponent("Models/tiny-ernie"))
    let fromHeader = try ModelAnatomy.read(tiny, name: "tiny-ernie")
    let fromConfig = try ModelAnatomy.counted(try tiny.loadConfig(), name: "tiny-ernie", folder: "")
    #expect(fromConfig.parts == fromHeader.parts)
}

@Test func anMoEBudgetFromTheConfigCountsTheExperts() throws {
    let folder = ModelFolder(url: root.appendingPathComponent("Models/tiny-ernie-moe"))
    let fromHeader = try ModelAnatomy.read(folder, name: "tiny-ernie-moe")
    let fromConfig = try ModelAnatomy.counted(try folder.loadConfig(), name: "tiny-ernie-moe", folder: "")
    // The router and the correction biases are f32 in the file and counted at the config's bf16, so only the
    // parameter counts are compared.
    #expect(fromConfig.parts.map(\.name) == fromHeader.parts.map(\.name))
    #expect(fromConfig.parts.map(\.parameters) == fromHeader.parts.map(\.parameters))
    #expect(fromConfig.totalParameters == fromHeader.totalParameters && fromConfig.experts == fromHeader.experts)
    print("tiny-ernie-moe from config.json: \(fromConfig.totalParameters) parameters, as its header")
}
