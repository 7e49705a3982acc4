// The sizes `lmlab train tiny-ernie`, `tiny-ernie-moe` and `rl` take, checked before anything is allocated: each
// refusal names the option; the shipped recipe passes.
import Foundation
import LabCore
import Testing
@testable import ErnieTraining

private func refusal(_ check: () throws -> Void) -> String {
    do { try check(); return "" } catch { return "\(error)" }
}

@Test func theRecipeShapePassesAndEachBadSizeIsNamed() throws {
    let shape = TinyErnieRecipe.Shape()
    try shape.check(sequenceLength: 128, batch: 16)
    #expect(shape == TinyErnieRecipe.Shape(hidden: 192, layers: 4, heads: 4, kvHeads: 2, headDim: 48, ffn: 512,
                                           vocab: 3072))
    func with(_ change: (inout TinyErnieRecipe.Shape) -> Void) -> TinyErnieRecipe.Shape {
        var s = shape
        change(&s)
        return s
    }
    #expect(refusal { try shape.check(sequenceLength: 4, batch: 16) }.hasPrefix("--seq 4 is outside 8…4096."))
    #expect(refusal { try with { $0.layers = 100_000_000 }.check(sequenceLength: 128, batch: 16) }
        .hasPrefix("--layers 100000000 is outside 1…64."))
    #expect(refusal { try with { $0.kvHeads = 3 }.check(sequenceLength: 128, batch: 16) }
        .hasPrefix("--heads 4 is not a multiple of --kv-heads 3."))
    #expect(refusal { try with { $0.headDim = 7 }.check(sequenceLength: 128, batch: 16) }
        .contains("--head-dim 7 is odd"))
    // The widest shape every range allows needs more memory than a machine has; a resumed run (batch nil) is not
    // measured again.
    let widest = TinyErnieRecipe.Shape(hidden: 4096, layers: 64, heads: 128, kvHeads: 128, headDim: 512, ffn: 16384,
                                       vocab: 65536)
    #expect(refusal { try widest.check(sequenceLength: 4096, batch: 1024) }.contains("training this shape needs"))
    try widest.check(sequenceLength: 4096, batch: nil)
}

@Test func theMoEShapeIsChecked() throws {
    try TinyErnieRecipe.MoEShape().check()
    #expect(refusal { try TinyErnieRecipe.MoEShape(experts: 8, topK: 9, shared: 1, expertFFN: 170).check() }
        == "--top-k 9 is outside 1…8. HINT: k experts are chosen out of --experts 8.")
    #expect(refusal { try TinyErnieRecipe.MoEShape(experts: 1, topK: 1, shared: 1, expertFFN: 170).check() }
        .hasPrefix("--experts 1 is outside 2…64."))
}

@Test func memoryTheMachineHasIsEnoughAndMoreIsNamed() throws {
    try TinyErnieRecipe.checkTrainingMemory(1 << 20, options: "--batch")
    #expect(refusal { try TinyErnieRecipe.checkTrainingMemory(nil, options: "--batch") }
        .contains("more bytes than an Int counts"))
    #expect(refusal { try TinyErnieRecipe.checkTrainingMemory(Int.max, options: "--batch") }
        .hasSuffix("HINT: lower --batch."))
}

@Test func rlOptionsAreChecked() throws {
    let options = try PolicyGradientOptions(steps: 5, group: 4, klWeight: 0.5, learningRate: 1e-3, seed: 9)
    #expect(options.steps == 5 && options.group == 4 && options.klWeight == 0.5 && options.seed == 9)
    #expect(options.learningRate == Float(1e-3) && options.maxAnswerTokens == PolicyGradientOptions().maxAnswerTokens)
    #expect(refusal { _ = try PolicyGradientOptions(steps: 5, group: 1, klWeight: 0, learningRate: 1e-3, seed: 1) }
        .hasPrefix("--group 1 is outside 2…64."))
    #expect(refusal { _ = try PolicyGradientOptions(steps: 5, group: 2, klWeight: 0, learningRate: 1, seed: 1) }
        .hasPrefix("--lr 1 must be a number above 0 and at most 0.1."))
}
