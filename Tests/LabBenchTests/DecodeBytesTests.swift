// The bytes a decode step reads, counted from config.json alone (ERNIE/DecodeBytes.swift), against the count over
// loaded weights (BenchClock.streamedBytesPerToken) on tiny random dense and MoE checkpoints in every precision; the
// random MoE writer (`--random-moe`) against its config; and 21B-A3B's count against scripts/ernie_moe_sizes.py's
// shapes, computed by hand below.
import ERNIE
import Foundation
import ModelFiles
import Testing
@testable import LabBench

private let tinyDense = ERNIEConfig(hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                                    headDim: 16, intermediateSize: 96, vocabSize: 300, dtype: "bfloat16")
private let tinyMoE = ERNIEConfig(hiddenSize: 64, numHiddenLayers: 3, numAttentionHeads: 4, numKeyValueHeads: 2,
                                  headDim: 16, intermediateSize: 128, vocabSize: 300, dtype: "bfloat16",
                                  modelType: "ernie4_5_moe", architectures: ["Ernie4_5_MoeForCausalLM"],
                                  moe: ERNIEMoEConfig(numExperts: 8, topK: 3, intermediateSize: 32, numSharedExperts: 2,
                                                      layerStartIndex: 1, layerEndIndex: 2))

@Suite struct DecodeBytesTests {
    @Test(arguments: [tinyDense, tinyMoE])
    func configCountEqualsTheLoadedWeights(config: ERNIEConfig) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-test-bytes-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }                 // our own temp folder
        try RandomErnieCheckpoint.ensure(config: config, seed: 3, folder: folder)
        for precision in WeightPrecision.allCases {
            let model = try ErnieModel(folder: folder, precision: precision)
            let loaded = BenchClock.streamedBytesPerToken(model.weights, topK: config.moe?.topK ?? 1)
            #expect(config.decodeBytesPerToken(precision: precision) == loaded, "\(precision)")
        }
    }

    @Test func randomMoEWriterFollowsCheckpointShapes() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-test-moe-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try RandomErnieCheckpoint.ensure(config: tinyMoE, seed: 3, folder: folder)
        let file = try SafetensorsFile(url: folder.appendingPathComponent("model.safetensors"))
        let biases = [1, 2].map { "model.layers.\($0).mlp.moe_statics.e_score_correction_bias" }
        #expect(Set(file.tensorNames) == Set(tinyMoE.checkpointShapes.map(\.name) + biases))
        for (name, shape) in tinyMoE.checkpointShapes { #expect(try file.info(name).shape == shape, "\(name)") }
        #expect(try file.info("model.layers.1.mlp.gate.weight").dtype == .f32)          // routers f32, as on the Hub
        #expect(try file.tensor(biases[0]).floats() == [Float](repeating: 0, count: 8))
        let model = try ErnieModel(folder: folder)
        var cache = model.makeCache()
        let logits = try model.logits([5, 9, 200], cache: &cache, allPositions: false)[0]
        #expect(logits.allSatisfy(\.isFinite) && logits.max()! > logits.min()!)

        // --random-moe's shape: valid, MoE in layers 1…6, ≥ 1 GB of bf16 weights.
        let bench = RandomErnieCheckpoint.moeBench
        try bench.validate()
        let bytes = bench.checkpointShapes.reduce(0) { $0 + 2 * $1.shape.reduce(1, *) }
        print("--random-moe: \(bytes) bytes of weights, \(bench.decodeBytesPerToken(precision: .asStored)) read per token")
        #expect(bytes > 1_000_000_000)
        #expect((0..<7).map(bench.moe!.isMoELayer) == [false] + Array(repeating: true, count: 6))
    }

    /// By hand from the published shapes (D 2560, 28 layers, q 2560 / kv 512, F 12288 in layer 0, 64 experts ×
    /// 1536 top-6 and 2 shared in layers 1…27, V 103424 tied). Per layer attention 2·2560² + 2·512·2560 =
    /// 15,728,640 weights; layer 0's FFN 3·12288·2560 = 94,371,840; an MoE layer reads 6·3·1536·2560 = 70,778,880
    /// expert + 3·3072·2560 = 23,592,960 shared weights and a 64·2560 f32 router; the output 103424·2560 =
    /// 264,765,440. bf16: 2·(28·15,728,640 + 94,371,840 + 27·94,371,840 + 264,765,440) + 27·4·163,840 = 6,712,852,480.
    @Test func twentyOneBillionReadsWhatItsShapesSay() {
        let big = ERNIEConfig.ernie45_21B_A3B
        #expect(big.decodeBytesPerToken(precision: .bf16) == 6_712_852_480)
        #expect(big.decodeBytesPerToken(precision: .asStored) == 6_712_852_480)
        #expect(big.decodeBytesPerToken(precision: .int8) == 3_371_073_536)
        #expect(big.decodeBytesPerToken(precision: .int4) == 1_801_895_936)     // ~4.26 bits a weight (int4 tiles) + the routers
    }
}
