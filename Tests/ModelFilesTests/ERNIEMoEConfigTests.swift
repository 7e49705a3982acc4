// config.json of an ernie4_5_moe checkpoint: the MoE keys, their defaults (transformers' Ernie4_5_MoeConfig), which
// layers are MoE, and validate() messages for impossible values.

import Foundation
import Testing
@testable import ModelFiles

@Suite("ERNIE MoE config.json")
struct ERNIEMoEConfigTests {
    func decode(_ json: String) throws -> ERNIEConfig {
        let config = try decodeJSONConfig(ERNIEConfig.self, from: Data(json.utf8), file: "config.json")
        try config.validate()
        return config
    }

    /// The ERNIE-4.5-21B-A3B shape (issue 21), with training-only keys the forward pass ignores.
    static let a3b = """
    {
      "architectures": ["Ernie4_5_MoeForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "head_dim": 128,
      "hidden_act": "silu", "hidden_size": 2560, "intermediate_size": 12288, "max_position_embeddings": 131072,
      "model_type": "ernie4_5_moe", "num_attention_heads": 20, "num_hidden_layers": 28, "num_key_value_heads": 4,
      "pad_token_id": 0, "rms_norm_eps": 1e-05, "rope_theta": 500000, "tie_word_embeddings": true,
      "torch_dtype": "bfloat16", "use_bias": false, "vocab_size": 103424,
      "moe_num_experts": 64, "moe_k": 6, "moe_intermediate_size": 1536, "moe_num_shared_experts": 2,
      "moe_layer_start_index": 1, "moe_layer_end_index": 27, "moe_layer_interval": 1,
      "moe_capacity": [64, 64, 64], "moe_gate": "topk", "moe_use_aux_free": true
    }
    """

    @Test("21B-A3B: 64 experts, top-6, 2 shared; layer 0 dense, layers 1…27 MoE")
    func a3bShape() throws {
        let c = try decode(Self.a3b)
        let moe = try #require(c.moe)
        #expect(moe == ERNIEMoEConfig(numExperts: 64, topK: 6, intermediateSize: 1536, numSharedExperts: 2,
                                      layerStartIndex: 1, layerEndIndex: 27, layerInterval: 1, normMin: 1e-12))
        #expect((0..<28).filter(moe.isMoELayer) == Array(1...27))
    }

    @Test("absent keys take transformers' defaults; moe_layer_end_index −1 is the last layer; interval counts i + 1")
    func defaults() throws {
        let c = try decode("""
        {"model_type": "ernie4_5_moe", "hidden_size": 32, "num_hidden_layers": 6, "num_attention_heads": 4,
         "intermediate_size": 64, "vocab_size": 256, "moe_layer_end_index": -1, "moe_layer_interval": 2,
         "moe_layer_start_index": 0}
        """)
        let moe = try #require(c.moe)
        #expect(moe.numExperts == 64 && moe.topK == 6 && moe.intermediateSize == 1536 && moe.numSharedExperts == 2)
        #expect(moe.layerEndIndex == 5)
        #expect((0..<6).filter(moe.isMoELayer) == [1, 3, 5])
        #expect(try decode(ERNIEConfigTests.v5).moe == nil)          // a dense file has no MoE part
    }

    @Test("encode → decode keeps the MoE keys")
    func roundTrip() throws {
        let c = try decode(Self.a3b)
        let back = try decodeJSONConfig(ERNIEConfig.self, from: try c.jsonData(), file: "config.json")
        #expect(back == c)
    }

    @Test("impossible MoE values are refused, naming the key and the fix",
          arguments: [("\"moe_k\": 0", "moe_k"), ("\"moe_k\": 65", "moe_k"),
                      ("\"moe_num_experts\": 0", "moe_num_experts"),
                      ("\"moe_intermediate_size\": -3", "moe_intermediate_size"),
                      ("\"moe_layer_interval\": 0", "moe_layer_interval"),
                      ("\"moe_layer_start_index\": 28", "moe_layer_start_index"),
                      ("\"moe_layer_end_index\": 40", "moe_layer_end_index"),
                      ("\"moe_norm_min\": -1", "moe_norm_min")])
    func invalid(edit: String, key: String) throws {
        let key0 = String(edit.split(separator: ":")[0])
        // Replace the key's value in the 21B-A3B file (or add the key).
        var json = Self.a3b.replacingOccurrences(of: #"(\#(key0)): [^,}]+"#, with: edit, options: .regularExpression)
        if !json.contains(edit) { json = json.replacingOccurrences(of: "\"moe_k\": 6", with: "\"moe_k\": 6, " + edit) }
        #expect(throws: ConfigError.self) { try decode(json) }
        do { _ = try decode(json) } catch {
            #expect("\(error)".contains(key) && "\(error)".contains("HINT"), "\(error)")
        }
    }
}
