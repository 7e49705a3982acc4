// The tiny ERNIE mixture of experts: its Autograd forward is the engine's MoE forward (Sources/ERNIE) on the same
// saved weights — logits and the experts each token chose, with a correction bias that changes choices — its
// routed block's gradients agree with finite differences, and the balancing step moves the bias by ±γ.

import Autograd
import ERNIE
import Foundation
import LabCore
import ModelFiles
import Testing
import Tokenizers
@testable import ErnieTraining

/// smallConfig() with layers 1 and 2 routed: 4 experts of width 12, top 2, one shared expert; layer 0 dense.
func smallMoEConfig() -> ERNIEConfig {
    var c = smallConfig()
    c.numHiddenLayers = 3
    c.modelType = "ernie4_5_moe"
    c.architectures = ["Ernie4_5_MoeForCausalLM"]
    c.moe = ERNIEMoEConfig(numExperts: 4, topK: 2, intermediateSize: 12, numSharedExperts: 1, layerStartIndex: 1,
                           layerEndIndex: 2, layerInterval: 1, normMin: 1e-12)
    return c
}

@Test func tinyMoEGivesTheEngineTheSameLogitsAndChoices() throws {
    let model = try TinyErnie(config: smallMoEConfig(), seed: 11, initStd: 0.2)
    // A bias as large as the router's probabilities, so it overrides some choices (checked below).
    model.correctionBiases[1] = [0.25, -0.2, 0.05, 0]
    model.correctionBiases[2] = [-0.1, 0.3, 0, -0.15]
    let folder = temporaryFolder("moe-parity")
    try model.save(to: folder)
    let engine = try ErnieModel(folder: folder)

    var rng = SeededRNG(seed: 5)
    let t = 17
    let ids = (0..<t).map { _ in rng.nextInt(below: 97) }
    var loads: [Int: [Int]] = [:]
    let ours = model.forward(ids, batch: 1) { loads[$0] = $1 }.value                  // [T, V]
    let recorder = ErnieRecorder()
    var cache = engine.makeCache()
    let theirs = try engine.logits(ids, cache: &cache, allPositions: true, recorder: recorder)
    var maxDiff: Float = 0
    for (row, logits) in theirs.enumerated() {
        for (j, x) in logits.enumerated() { maxDiff = max(maxDiff, abs(x - ours.data[row * 97 + j])) }
    }
    var biasChanged = 0
    for i in [1, 2] {
        let routing = try #require(recorder.routing[i])
        #expect(routing.load == loads[i], "layer \(i): engine load \(routing.load), Autograd \(loads[i] ?? [])")
        let p = routing.probabilities
        let ourChoice = chooseExperts(p, rows: t, bias: model.correctionBiases[i]!, topK: 2)
        #expect(ourChoice == routing.chosen)
        biasChanged += (0..<t).filter { Set(routing.unbiasedChoice(row: $0)) != Set(routing.chosen(row: $0)) }.count
    }
    #expect(recorder.routing[0] == nil, "layer 0 is dense")
    let scale = ours.data.map(abs).max()!
    print("tiny ERNIE MoE Autograd vs engine: max abs diff \(maxDiff) over \(t)×97 logits (max |logit| \(scale)); "
          + "the correction bias changed \(biasChanged) of \(2 * t) choices")
    #expect(scale > 1, "logits too small for the comparison to mean anything")
    #expect(biasChanged > 0, "the bias must change some choice for the test to cover it")
    #expect(maxDiff <= 1e-4)

    // Loaded back strictly (the bias too), and a missing bias is named.
    let back = try TinyErnie(folder: folder)
    #expect(back.correctionBiases == model.correctionBiases)
    var tensors = model.tensors
    tensors["model.layers.2.mlp.moe_statics.e_score_correction_bias"] = nil
    #expect(throws: TinyErnieError.missingTensor(file: "test", name: "model.layers.2.mlp.moe_statics.e_score_correction_bias")) {
        _ = try TinyErnie(config: smallMoEConfig(), tensors: tensors, source: "test")
    }
}

@Test func routedBlockGradientsMatchFiniteDifferences() throws {
    var rng = SeededRNG(seed: 21)
    let (n, d, e, fe) = (5, 6, 4, 3)
    func parameter(_ shape: [Int], _ std: Float) -> Variable { Variable.parameter(Tensor.randn(shape, std: std, rng: &rng)) }
    let x = parameter([n, d], 1)
    let router = parameter([e, d], 1.5)                  // confident routing: the choice survives the h = 1e-2 steps
    let experts = (0..<e).map { _ in SwiGLUParameters(gate: parameter([fe, d], 0.7), up: parameter([fe, d], 0.7), down: parameter([d, fe], 0.7)) }
    let shared = SwiGLUParameters(gate: parameter([2 * fe, d], 0.7), up: parameter([2 * fe, d], 0.7), down: parameter([d, 2 * fe], 0.7))
    let block = MixtureOfExpertsBlock(router: router, correctionBias: [0.1, 0, -0.05, 0], experts: experts,
                                      shared: shared, topK: 2, normMin: 1e-12)
    let inputs = [x, router] + experts.flatMap { [$0.gate, $0.up, $0.down] } + [shared.gate, shared.up, shared.down]
    let chosenBefore = chooseExperts(softmax(linear(x, weight: router)).value.data, rows: n, bias: block.correctionBias, topK: 2)
    let report = gradcheck(inputs) { block(x).out }
    let chosenAfter = chooseExperts(softmax(linear(x, weight: router)).value.data, rows: n, bias: block.correctionBias, topK: 2)
    print("MoE block gradcheck (x, router, 4 experts, shared): \(report)")
    #expect(chosenBefore == chosenAfter)
    #expect(report.maxRelError < 1e-2)
}

@Test func routingWeightsGradientMatchesFiniteDifferences() {
    // The renormalisation alone, including rows whose chosen sum is below normMin (no renormalisation there).
    var rng = SeededRNG(seed: 4)
    let p = Variable.parameter(Tensor.uniform([3, 4], low: 0.05, high: 0.9, rng: &rng))
    let chosen = [0, 2, 3, 1, 1, 2]
    let report = gradcheck([p]) { routingWeights(p, chosen: chosen, topK: 2, normMin: 1e-12) }
    let clamped = gradcheck([p]) { routingWeights(p, chosen: chosen, topK: 2, normMin: 10) }
    print("routing weights gradcheck: \(report); clamped by normMin: \(clamped)")
    #expect(report.maxRelError < 1e-2 && clamped.maxRelError < 1e-2)
}

@Test func balancingStepRaisesIdleExpertsAndLowersBusyOnes() {
    // Loads 5, 1, 2, 0 (mean 2): the busy expert 0 goes down by γ, the idle 1 and 3 up, expert 2 stays.
    let b = balancedCorrectionBias([0, 0.5, 0, -0.25], load: [5, 1, 2, 0], rate: 0.125)
    #expect(b == [-0.125, 0.625, 0, -0.125])
}

@Test func recipeMoEHasTheDenseModelsActiveParameters() throws {
    let shape = TinyErnieRecipe.Shape()
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: projectRoot.appendingPathComponent("Models/tiny-ernie")))
    let dense = TinyErnieRecipe.config(shape, tokenizer: tokenizer)
    let moe = TinyErnieRecipe.config(shape, moe: TinyErnieRecipe.MoEShape(), tokenizer: tokenizer)
    let denseCount = try TinyErnie.parameterCount(dense), moeCount = try TinyErnie.parameterCount(moe)
    let model = try TinyErnie(config: moe, seed: 1)
    #expect(model.parameterCount == moeCount)
    let ratio = Double(model.activeParameterCount) / Double(denseCount)
    print("dense tiny ERNIE \(denseCount) parameters; tiny MoE \(moeCount) in all, \(model.activeParameterCount) per token (× \(ratio))")
    #expect(abs(ratio - 1) < 0.005)
}
