// Interop with the reference implementations, through committed fixtures written by
// scripts/make_modelfiles_fixtures.py (safetensors 0.8.0, torch 2.13.0+cpu, transformers 5.24.0):
//   • a file written by safetensors.torch.save_file is read exactly (values, raw bytes, metadata);
//   • our writer, given the same tensors, produces the same bytes, and our bf16/f16 narrowing equals torch's;
//   • a tiny Ernie4_5ForCausalLM saved by transformers (5.x config.json, sharded weights) loads as one checkpoint.

import Foundation
import LabCore
import Testing
@testable import ModelFiles

@Suite("interop with the Python safetensors / transformers")
struct SafetensorsInteropTests {
    static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    struct Expected: Decodable {
        struct Tensor: Decodable {
            var dtype: String
            var shape: [Int]
            /// Float dtypes: the values widened to float32, as bit patterns (exact, ±0 and ±inf included).
            var float_bits: [UInt32]?
            /// Integer dtypes: the values.
            var values: [Int64]?
            var hex: String
        }
        var metadata: [String: String]
        var tensors: [String: Tensor]
    }

    static func load() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixtures.appendingPathComponent("python_written.json")))
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var it = hex.utf8.makeIterator()
        func nibble(_ c: UInt8) -> UInt8 { c <= 57 ? c - 48 : c - 87 }
        while let hi = it.next(), let lo = it.next() { out.append(nibble(hi) << 4 | nibble(lo)) }
        return out
    }

    @Test("a file written by safetensors.torch.save_file reads back exactly")
    func readsPythonFile() throws {
        let expected = try Self.load()
        let file = try SafetensorsFile(url: Self.fixtures.appendingPathComponent("python_written.safetensors"))
        #expect(file.metadata == expected.metadata)
        #expect(file.tensorNames == expected.tensors.keys.sorted())
        var maxDiff: Float = 0
        for (name, e) in expected.tensors {
            let t = try file.tensor(name)
            #expect(t.dtype.rawValue == e.dtype, "\(name)")
            #expect(t.shape == e.shape, "\(name)")
            #expect(Array(t.bytes) == Self.bytes(hex: e.hex), "\(name): raw bytes differ")
            switch t.dtype {
            case .f32, .bf16, .f16, .f64:
                let got = try t.floats()
                let want = e.float_bits!.map { Float(bitPattern: $0) }
                #expect(got.map(\.bitPattern) == want.map(\.bitPattern), "\(name)")
                // Equal infinities give NaN under subtraction: compare finite pairs only (bits are compared above).
                maxDiff = max(maxDiff, zip(got, want).filter { $0.0.isFinite }.map { abs($0 - $1) }.max() ?? 0)
            case .i64: #expect(try t.int64s() == e.values!, "\(name)")
            case .i32: #expect(try t.int32s() == e.values!.map { Int32($0) }, "\(name)")
            case .u8: #expect(try t.uint8s() == e.values!.map { UInt8($0) }, "\(name)")
            default: break                                       // I16, I8, BOOL: raw bytes checked above
            }
        }
        print("python_written.safetensors: \(expected.tensors.count) tensors, max abs diff \(maxDiff)")
    }

    @Test("our writer reproduces the Python library's file byte for byte, and narrows bf16/f16 as torch does")
    func writerMatchesPython() throws {
        let expected = try Self.load()
        let reference = Array(try Data(contentsOf: Self.fixtures.appendingPathComponent("python_written.safetensors")))

        // 1. Same tensors from their raw bytes: the layout (order, header JSON, padding) must match exactly.
        var fromBytes = SafetensorsWriter(metadata: expected.metadata)
        for (name, e) in expected.tensors {
            try fromBytes.add(name, dtype: SafetensorsDType(rawValue: e.dtype)!, shape: e.shape,
                              bytes: Self.bytes(hex: e.hex))
        }
        let ours = fromBytes.serialized()
        #expect(ours.count == reference.count)
        #expect(ours == reference, "writer output differs from safetensors 0.8.0's")

        // 2. The float tensors narrowed by our writer from the f32 source values equal torch's .to(dtype) bytes.
        let source = expected.tensors["c.f32"]!.float_bits!.map { Float(bitPattern: $0) }
        for (name, dtype) in [("a.bf16", SafetensorsDType.bf16), ("b.f16", .f16), ("d.f64", .f64)] {
            var w = SafetensorsWriter()
            try w.add(name, floats: source, shape: [3, 4], as: dtype)
            let dir = ScratchDirectory(); defer { dir.remove() }
            let url = dir.url.appendingPathComponent("n.safetensors")
            try w.write(to: url)
            let t = try SafetensorsFile(url: url).tensor(name)
            #expect(Array(t.bytes) == Self.bytes(hex: expected.tensors[name]!.hex), "\(dtype.rawValue) rounding differs from torch")
        }

        // 3. Leave a copy for the script's cross-check: `python scripts/make_modelfiles_fixtures.py --check <path>`.
        // A unique name, so concurrent test runs never race on it.
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("lmlab-swift_written-\(UUID().uuidString).safetensors")
        try fromBytes.write(to: out)
        print("wrote \(out.path) with SafetensorsWriter (\(ours.count) bytes)")
    }

    @Test("a tiny ERNIE saved by transformers 5.24 (config.json, generation_config.json, 3 shards) loads")
    func transformersCheckpoint() throws {
        struct Listing: Decodable {
            struct Entry: Decodable { var shard: String; var shape: [Int]; var dtype: String }
            var tensors: [String: Entry]
            var first_values: [String: [Double]]
        }
        let listing = try JSONDecoder().decode(Listing.self,
                                               from: Data(contentsOf: Self.fixtures.appendingPathComponent("tiny_ernie.json")))
        let folder = ModelFolder(url: Self.fixtures.appendingPathComponent("tiny_ernie"))
        #expect(folder.missing == ["tokenizer (tokenizer.model or tokenizer.json)"])
        guard case .sharded = folder.weights else { Issue.record("expected sharded weights"); return }

        let config = try folder.loadConfig()
        #expect(config == ERNIEConfig(hiddenSize: 32, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                                      headDim: 16, intermediateSize: 48, vocabSize: 64, maxPositionEmbeddings: 128,
                                      ropeTheta: 500000, dtype: "bfloat16"))
        let generation = try GenerationConfig.load(from: folder.generationConfig!)
        #expect(generation.doSample && generation.temperature == 0.8 && generation.topP == 0.8)
        #expect(generation.eosTokenIds == [2] && generation.bosTokenId == 1 && generation.padTokenId == 0)

        let weights = try folder.openWeights()
        #expect(weights.tensorNames == listing.tensors.keys.sorted())
        #expect(!weights.contains("lm_head.weight"))              // tied: transformers does not store it
        var maxDiff: Float = 0
        for (name, entry) in listing.tensors {
            let t = try weights.tensor(name)
            #expect(t.shape == entry.shape && t.dtype == .bf16, "\(name)")
            let first = Array(try t.floats().prefix(4))
            let want = listing.first_values[name]!.map { Float($0) }
            #expect(first == want, "\(name)")
            maxDiff = max(maxDiff, zip(first, want).map { abs($0 - $1) }.max() ?? 0)
        }
        // The shapes the ERNIE engine will rely on: q_proj [H·Dh, D], k_proj [Hkv·Dh, D], down_proj [D, F].
        #expect(try weights.info("model.layers.0.self_attn.q_proj.weight").shape == [config.queryWidth, config.hiddenSize])
        #expect(try weights.info("model.layers.1.self_attn.k_proj.weight").shape == [config.keyValueWidth, config.hiddenSize])
        #expect(try weights.info("model.layers.1.mlp.down_proj.weight").shape == [config.hiddenSize, config.intermediateSize])
        print("tiny_ernie: \(listing.tensors.count) tensors over \(Set(listing.tensors.values.map(\.shard)).count) shards, max abs diff \(maxDiff)")

        // Re-save it the way the lab's trainer will (one file via SafetensorsWriter, config via ERNIEConfig), for
        // the script's cross-check: `python scripts/make_modelfiles_fixtures.py --check-model <dir>` loads it
        // with transformers' Ernie4_5ForCausalLM.from_pretrained and compares every tensor.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-swift_tiny_ernie-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        for name in weights.tensorNames {
            let t = try weights.tensor(name)
            try writer.add(name, dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes))
        }
        try writer.write(to: out.appendingPathComponent("model.safetensors"))
        try config.jsonData().write(to: out.appendingPathComponent("config.json"))
        let resaved = ModelFolder(url: out)
        #expect(try resaved.loadConfig() == config)
        #expect(try resaved.openWeights().tensorNames == weights.tensorNames)
        print("wrote \(out.path) (model.safetensors + config.json from the Swift writers)")
    }

    @Test("config.json written by transformers 4.57.6 (rope_theta on top) equals the 5.24 one (rope_parameters)")
    func transformers4Config() throws {
        var v4 = try ERNIEConfig.load(from: Self.fixtures.appendingPathComponent("tiny_ernie_tf4/config.json"))
        let v5 = try ERNIEConfig.load(from: Self.fixtures.appendingPathComponent("tiny_ernie/config.json"))
        // Saved from a bare config (no model), the 4.x file has neither architectures nor dtype.
        #expect(v4.architectures == [] && v4.dtype == nil)
        v4.architectures = v5.architectures
        v4.dtype = v5.dtype
        #expect(v4 == v5)
        #expect(v4.ropeTheta == 500000 && v4.ropeType == "default" && v4.headDim == 16 && v4.tieWordEmbeddings)
    }
}
