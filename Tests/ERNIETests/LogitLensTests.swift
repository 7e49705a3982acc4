// The logit lens against transformers' own residual stream (expected.json's hidden_last, one entry per layer):
// RMSNorm_final(h_l) · Eᵀ computed here in Float64 from the checkpoint must give the lens's distribution at the last
// position, and the top layer must be the model's own output.
import Foundation
import LabCore
import ModelFiles
import Testing
@testable import ERNIE

@Test(arguments: ["gqa-tied", "mqa-untied"])
func logitLensEqualsTransformersHiddenStatesUnembedded(_ name: String) throws {
    let model = try Fixtures.model(name)
    let expected = try Fixtures.expected(name)
    let tokens = Array(expected.input_ids.prefix(32))
    let lens = try LogitLens.run(model, tokens: tokens, k: 5)
    #expect(lens.depth == model.config.numHiddenLayers + 1)
    #expect(lens.depth == expected.hidden_last.count)

    let D = model.config.hiddenSize, V = model.config.vocabSize
    let file = try SafetensorsFile(url: Fixtures.folder(name).appendingPathComponent("model.safetensors"))
    let gain = try file.tensor("model.norm.weight").floats().map(Double.init)
    let outName = file.contains("lm_head.weight") ? "lm_head.weight" : "model.embed_tokens.weight"
    let out = try file.tensor(outName).floats().map(Double.init)
    var worst: Float = 0
    for (l, h) in expected.hidden_last.enumerated() {
        // Reference: float64 RMSNorm and unembedding of transformers' hidden state at the last position.
        let x = h.map(Double.init)
        let rms = (x.reduce(0) { $0 + $1 * $1 } / Double(D) + model.config.rmsNormEps).squareRoot()
        let y = (0..<D).map { x[$0] / rms * gain[$0] }
        let logits = (0..<V).map { v in (0..<D).reduce(0.0) { $0 + y[$1] * out[v * D + $1] } }
        let m = logits.max()!
        let lse = m + log(logits.reduce(0) { $0 + exp($1 - m) })
        let reference = logits.map { Float($0 - lse) }
        for c in lens.top[l][tokens.count - 1] {
            worst = max(worst, abs(c.logProb - reference[c.id]))
        }
        let best = reference.indices.max { reference[$0] < reference[$1] }!
        #expect(lens.top[l][tokens.count - 1][0].id == best, "layer \(l): top-1 differs from the reference")
    }
    print("\(name): logit lens vs float64 unembedding of transformers' hidden states, max |Δ log P| \(worst)")
    #expect(worst < 2e-4)

    // Top layer = the model's own next-token log-probs at every position.
    var cache = model.makeCache()
    let logits = try model.logits(tokens, cache: &cache, allPositions: true)
    var worstTop: Float = 0
    for (r, row) in logits.enumerated() {
        var lp = [Float](repeating: 0, count: V)
        row.withUnsafeBufferPointer { x in lp.withUnsafeMutableBufferPointer { logSoftmax(rows: 1, cols: V, x: x.baseAddress!, y: $0.baseAddress!) } }
        for c in lens.top[lens.depth - 1][r] { worstTop = max(worstTop, abs(c.logProb - lp[c.id])) }
        if r + 1 < tokens.count { worstTop = max(worstTop, abs(lens.nextTokenLogProb[lens.depth - 1][r]! - lp[tokens[r + 1]])) }
    }
    print("\(name): top layer of the lens vs the model's logits, max |Δ| \(worstTop)")
    #expect(worstTop == 0)
}
