// Sizes are counted with overflow checks before a tiny ERNIE is allocated (this target has no overflow traps).
import Foundation
import ModelFiles
import Testing
@testable import ErnieTraining

@Test func parameterCountMatchesTheBuiltModel() throws {
    let config = smallConfig()
    let model = try TinyErnie(config: config, seed: 1)
    #expect(try TinyErnie.parameterCount(config) == model.parameterCount)
    // The shipped recipe's shape, by hand: V·D + D + L·(2D + 2·H·Dh·D + 2·Hkv·Dh·D + 3·F·D).
    var c = config
    (c.hiddenSize, c.numHiddenLayers, c.numAttentionHeads, c.numKeyValueHeads, c.headDim, c.intermediateSize, c.vocabSize)
        = (192, 4, 4, 2, 48, 512, 3072)
    #expect(try TinyErnie.parameterCount(c) == 3072 * 192 + 192 + 4 * (2 * 192 + 2 * 4 * 48 * 192 + 2 * 2 * 48 * 192 + 3 * 512 * 192))
}

@Test func aSizeWhoseCountWrapsIsAnErrorNotACrash() {
    var huge = smallConfig()
    huge.hiddenSize = 4_611_686_018_427_387_904          // 2^62: V·D wraps an Int
    #expect(throws: TinyErnieError.self) { try TinyErnie.parameterCount(huge) }
    // Building one stops earlier still, at config.json's documented bound on hidden_size (ERNIEConfig.validate).
    let refused = #expect(throws: ConfigError.self) { _ = try TinyErnie(config: huge, seed: 1) }
    #expect({ if case .invalidValue(_, "hidden_size", _, _) = refused { return true }; return false }())
    #expect(TinyErnie.trainingBytes(huge, batch: 16, sequenceLength: 128) == nil)
    var wide = TinyErnieRecipe.Shape()
    wide.heads = 1_000_000
    wide.kvHeads = 1
    wide.headDim = 1 << 40
    #expect(wide.trainingBytes(batch: 16, sequenceLength: 128) == nil)
}

@Test func trainingBytesGrowWithEveryFactor() throws {
    let shape = TinyErnieRecipe.Shape()
    let base = try #require(shape.trainingBytes(batch: 16, sequenceLength: 128))
    #expect(try #require(shape.trainingBytes(batch: 32, sequenceLength: 128)) > base)
    #expect(try #require(shape.trainingBytes(batch: 16, sequenceLength: 256)) > base)
    var deeper = shape
    deeper.layers *= 2
    #expect(try #require(deeper.trainingBytes(batch: 16, sequenceLength: 128)) > base)
    // The parameters with their gradient and two AdamW moments alone take 16 bytes each.
    let config = ERNIEConfig(hiddenSize: shape.hidden, numHiddenLayers: shape.layers, numAttentionHeads: shape.heads,
                             numKeyValueHeads: shape.kvHeads, headDim: shape.headDim, intermediateSize: shape.ffn,
                             vocabSize: shape.vocab)
    #expect(base > 16 * (try TinyErnie.parameterCount(config)))
}
