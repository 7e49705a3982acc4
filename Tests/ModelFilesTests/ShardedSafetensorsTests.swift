// Sharded checkpoints: model.safetensors.index.json + shards read as one namespace, and the index checked
// against the shards in both directions.

import Foundation
import Testing
@testable import ModelFiles

@Suite("sharded safetensors")
struct ShardedSafetensorsTests {
    /// Two shards and an index; `mutateIndex` can corrupt the index text.
    func makeCheckpoint(_ dir: ScratchDirectory, index: String? = nil) throws -> URL {
        var a = SafetensorsWriter(metadata: ["format": "pt"])
        try a.add("model.embed_tokens.weight", floats: [1, 2, 3, 4, 5, 6], shape: [3, 2], as: .bf16)
        try a.add("model.layers.0.input_layernorm.weight", floats: [1, 1], shape: [2], as: .bf16)
        try a.write(to: dir.url.appendingPathComponent("model-00001-of-00002.safetensors"))
        var b = SafetensorsWriter(metadata: ["format": "pt"])
        try b.add("model.norm.weight", floats: [0.5, 2], shape: [2], as: .bf16)
        try b.write(to: dir.url.appendingPathComponent("model-00002-of-00002.safetensors"))
        let text = index ?? """
        {"metadata": {"total_size": 20},
         "weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors",
                        "model.layers.0.input_layernorm.weight": "model-00001-of-00002.safetensors",
                        "model.norm.weight": "model-00002-of-00002.safetensors"}}
        """
        return dir.write(text, to: "model.safetensors.index.json")
    }

    @Test("one namespace over all shards")
    func namespace() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let ckpt = try ShardedSafetensors(indexURL: try makeCheckpoint(dir))
        #expect(ckpt.tensorNames == ["model.embed_tokens.weight", "model.layers.0.input_layernorm.weight",
                                     "model.norm.weight"])
        #expect(try ckpt.tensor("model.norm.weight").floats() == [0.5, 2])
        #expect(try ckpt.tensor("model.embed_tokens.weight").shape == [3, 2])
        #expect(ckpt.metadata["total_size"] == "20")
        #expect(ckpt.contains("model.norm.weight") && !ckpt.contains("lm_head.weight"))
        let missing = #expect(throws: SafetensorsError.self) { try ckpt.tensor("lm_head.weight") }
        #expect(missing == .tensorNotFound(file: ckpt.indexURL.path, tensor: "lm_head.weight"))

        // ModelFolder picks the index when there is no single file.
        dir.write(ERNIEConfigTests.v5, to: "config.json")
        let folder = ModelFolder(url: dir.url)
        #expect(folder.weights == .sharded(index: dir.url.appendingPathComponent("model.safetensors.index.json")))
        #expect(try folder.openWeights().tensorNames.count == 3)
    }

    func indexError(_ index: String) throws -> SafetensorsError? {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = try makeCheckpoint(dir, index: index)
        let error = #expect(throws: SafetensorsError.self) { _ = try ShardedSafetensors(indexURL: url) }
        if let error {
            print(error)
            #expect(String(describing: error).contains("model.safetensors.index.json"))
        }
        return error
    }

    @Test("index problems: no weight_map, missing shard, path escape, wrong shard, unlisted tensor, duplicates")
    func badIndexes() throws {
        let shard1 = "model-00001-of-00002.safetensors", shard2 = "model-00002-of-00002.safetensors"
        func badIndex(_ e: SafetensorsError?) -> Bool { if case .badIndex = e { return true }; return false }
        func mismatch(_ e: SafetensorsError?, _ tensor: String) -> Bool {
            if case .indexMismatch(_, let t, _) = e { return t == tensor }; return false
        }
        #expect(badIndex(try indexError(#"{"metadata": {}}"#)))
        #expect(badIndex(try indexError(#"{"weight_map": []}"#)))
        #expect(badIndex(try indexError(#"{"weight_map": {"x": "model-00009-of-00009.safetensors"}}"#)))
        #expect(badIndex(try indexError(#"{"weight_map": {"x": "../secret.safetensors"}}"#)))
        #expect(badIndex(try indexError("not json")))
        // Tensor mapped to the shard that does not hold it.
        #expect(mismatch(try indexError("""
            {"weight_map": {"model.embed_tokens.weight": "\(shard2)",
             "model.layers.0.input_layernorm.weight": "\(shard1)", "model.norm.weight": "\(shard2)"}}
            """), "model.embed_tokens.weight"))
        // A shard holds a tensor the index does not list.
        #expect(mismatch(try indexError("""
            {"weight_map": {"model.embed_tokens.weight": "\(shard1)", "model.norm.weight": "\(shard2)"}}
            """), "model.layers.0.input_layernorm.weight"))
        // The same tensor listed twice in weight_map.
        let dup = try indexError("""
            {"weight_map": {"model.norm.weight": "\(shard2)", "model.norm.weight": "\(shard1)"}}
            """)
        #expect(badIndex(dup) && String(describing: dup!).contains("listed twice"))
    }
}
