// RandomErnieCheckpoint (the weights behind `lmlab bench decode|prefill --random-0.3b`), at a tiny shape:
// the folder loads strictly through ErnieModel, its logits are finite, the same seed writes the same bytes,
// another seed writes other bytes, a complete folder is reused, and the entries have σ ≈ 0.02 around 0.
import ERNIE
import Foundation
import LabCore
import ModelFiles
import Testing
@testable import LabBench

private let tiny = ERNIEConfig(hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                               headDim: 16, intermediateSize: 96, vocabSize: 300, dtype: "bfloat16")

private func scratchFolder(_ tag: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-test-random-\(tag)-\(UUID().uuidString)")
}

private func weightBytes(_ folder: URL) throws -> Data {
    try Data(contentsOf: folder.appendingPathComponent("model.safetensors"))
}

private func lastLogits(_ folder: URL, tokens: [Int]) throws -> [Float] {
    let model = try ErnieModel(folder: folder)
    var cache = model.makeCache()
    return try model.logits(tokens, cache: &cache, allPositions: false)[0]
}

@Suite struct RandomErnieCheckpointTests {
    @Test func tinyCheckpointLoadsAndIsDeterministicPerSeed() throws {
        let a = scratchFolder("a"), b = scratchFolder("b"), c = scratchFolder("c")
        defer { for url in [a, b, c] { try? FileManager.default.removeItem(at: url) } }    // our own temp folders
        #expect(try RandomErnieCheckpoint.ensure(config: tiny, seed: 7, folder: a))
        #expect(try RandomErnieCheckpoint.ensure(config: tiny, seed: 7, folder: b))
        #expect(try RandomErnieCheckpoint.ensure(config: tiny, seed: 8, folder: c))
        #expect(try !RandomErnieCheckpoint.ensure(config: tiny, seed: 7, folder: a), "a complete folder is reused")

        let (bytesA, bytesB, bytesC) = (try weightBytes(a), try weightBytes(b), try weightBytes(c))
        #expect(bytesA == bytesB, "same seed, same file")
        #expect(bytesA != bytesC, "another seed, another file")
        #expect(bytesA.count == bytesC.count)

        let tokens = [1, 17, 299, 42, 5]
        let logitsA = try lastLogits(a, tokens: tokens)
        let logitsB = try lastLogits(b, tokens: tokens)
        let logitsC = try lastLogits(c, tokens: tokens)
        #expect(logitsA.count == tiny.vocabSize)
        let finite = logitsA.allSatisfy { $0.isFinite }
        #expect(finite)
        #expect(logitsA == logitsB)
        let spread = logitsA.max()! - logitsA.min()!
        let maxDiffAC = zip(logitsA, logitsC).map { abs($0 - $1) }.max()!
        print("tiny random ERNIE: \(bytesA.count) bytes, logits spread \(spread), max abs diff seed 7 vs 8 \(maxDiffAC)")
        #expect(spread > 0, "random weights give distinct logits")
        #expect(maxDiffAC > 0)
    }

    @Test func anMoEConfigGetsEveryTensorTheEngineLoads() throws {
        var moe = tiny
        moe.modelType = "ernie4_5_moe"
        moe.moe = ERNIEMoEConfig(numExperts: 4, topK: 2, intermediateSize: 32, numSharedExperts: 1,
                                 layerStartIndex: 1, layerEndIndex: 1, layerInterval: 1, normMin: 1e-12)
        let folder = scratchFolder("moe")
        defer { try? FileManager.default.removeItem(at: folder) }
        try RandomErnieCheckpoint.ensure(config: moe, seed: 3, folder: folder)
        let logits = try lastLogits(folder, tokens: [1, 17, 42])
        #expect(logits.count == moe.vocabSize && logits.allSatisfy(\.isFinite))
        let names = try SafetensorsFile(url: folder.appendingPathComponent("model.safetensors")).tensorNames
        #expect(Set(names) == Set((moe.checkpointShapes + moe.statisticShapes).map(\.name)),
                "the router, 4 experts, the shared expert and the correction bias of layer 1; layer 0 dense")
    }

    @Test func aFolderWithAnotherShapeIsRebuilt() throws {
        let folder = scratchFolder("shape")
        defer { try? FileManager.default.removeItem(at: folder) }
        try RandomErnieCheckpoint.ensure(config: tiny, seed: 1, folder: folder)
        var wider = tiny
        wider.intermediateSize = 128
        #expect(try RandomErnieCheckpoint.ensure(config: wider, seed: 1, folder: folder))
        let model = try ErnieModel(folder: folder)
        #expect(model.config.intermediateSize == 128)
    }

    /// 2²¹ entries (two chunks): the mean is 0 and the standard deviation 0.02 up to sampling and bf16 rounding.
    @Test func entriesHaveTheInitialiserMoments() throws {
        let count = 2 * RandomErnieCheckpoint.chunk
        let bytes = RandomErnieCheckpoint.randomBF16(count: count, seed: 3, tensor: 0)
        var sum = 0.0, squares = 0.0, largest: Float = 0
        bytes.withUnsafeBytes { raw in
            for bits in raw.bindMemory(to: UInt16.self) {
                let x = BFloat16(bitPattern: UInt16(littleEndian: bits)).float
                sum += Double(x); squares += Double(x * x); largest = max(largest, abs(x))
            }
        }
        let mean = sum / Double(count), sd = (squares / Double(count) - mean * mean).squareRoot()
        print("random bf16 entries: mean \(mean), sd \(sd) (want 0.02), max |x| \(largest) (bound 2√3·0.02 ≈ 0.0693)")
        #expect(abs(mean) < 1e-4)
        #expect(abs(sd - 0.02) < 0.0002)
        #expect(largest <= 0.0695)
        // The first chunk does not depend on how many chunks follow (thread count and tensor size do not matter).
        let shorter = RandomErnieCheckpoint.randomBF16(count: RandomErnieCheckpoint.chunk, seed: 3, tensor: 0)
        #expect(Array(bytes.prefix(shorter.count)) == shorter)
    }
}
