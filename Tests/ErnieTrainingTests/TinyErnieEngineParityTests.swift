// The Autograd tiny ERNIE and the inference engine are two implementations of one graph: a model saved by
// TinyErnie.save must give the same logits in ErnieModel (Sources/ERNIE) as in TinyErnie.forward — for one
// sequence, and for each sequence of a batch (positions restart at 0 in every sequence of the batch).

import ERNIE
import Foundation
import LabCore
import ModelFiles
import Testing
@testable import ErnieTraining

/// A small config with every ERNIE feature: GQA (4 query heads over 2 KV heads), q_proj not square (H·Dh ≠ D).
func smallConfig(vocab: Int = 97) -> ERNIEConfig {
    ERNIEConfig(hiddenSize: 24, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, headDim: 8,
                intermediateSize: 40, vocabSize: vocab, maxPositionEmbeddings: 512, ropeTheta: 500000,
                rmsNormEps: 1e-5, tieWordEmbeddings: true, bosTokenId: 1, eosTokenIds: [2], padTokenId: 0)
}

func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tinyernie-tests-\(name)-\(getpid())")
    try? FileManager.default.removeItem(at: url)
    return url
}

@Test func savedTinyErnieGivesTheEngineTheSameLogits() throws {
    // Weights with σ = 0.2 so that attention and the MLP matter (σ = 0.02 leaves logits near 0).
    let model = try TinyErnie(config: smallConfig(), seed: 7, initStd: 0.2)
    // Non-trivial norm gains, so a swapped or missing gain would show.
    var rng = SeededRNG(seed: 3)
    for name in model.names where name.hasSuffix("norm.weight") {
        model.parameters[name]!.value = Tensor.uniform(model.parameters[name]!.shape, low: 0.5, high: 1.5, rng: &rng)
    }
    let folder = temporaryFolder("parity")
    try model.save(to: folder)
    let engine = try ErnieModel(folder: folder)

    let t = 19
    let ids = (0..<(2 * t)).map { _ in rng.nextInt(below: 97) }
    let ours = model.forward(ids, batch: 2).value                                  // [2·T, V]
    var maxDiff: Float = 0
    for b in 0..<2 {
        var cache = engine.makeCache()
        let theirs = try engine.logits(Array(ids[(b * t)..<(b * t + t)]), cache: &cache, allPositions: true)
        for (row, logits) in theirs.enumerated() {
            for (j, x) in logits.enumerated() { maxDiff = max(maxDiff, abs(x - ours.data[(b * t + row) * 97 + j])) }
        }
    }
    let scale = ours.data.map(abs).max()!
    print("tiny ERNIE Autograd vs engine: max abs diff \(maxDiff) over 2×\(t)×97 logits (max |logit| \(scale))")
    #expect(scale > 1, "logits too small for the comparison to mean anything")
    #expect(maxDiff <= 1e-4)
}

@Test func strictLoadRejectsAMissingTensor() throws {
    let model = try TinyErnie(config: smallConfig(), seed: 1)
    var tensors = model.tensors
    tensors["model.layers.1.mlp.up_proj.weight"] = nil
    #expect(throws: TinyErnieError.missingTensor(file: "test", name: "model.layers.1.mlp.up_proj.weight")) {
        _ = try TinyErnie(config: smallConfig(), tensors: tensors, source: "test")
    }
    tensors = model.tensors
    tensors["lm_head.weight"] = tensors["model.embed_tokens.weight"]
    #expect(throws: TinyErnieError.unexpectedTensor(file: "test", name: "lm_head.weight")) {
        _ = try TinyErnie(config: smallConfig(), tensors: tensors, source: "test")
    }
}
