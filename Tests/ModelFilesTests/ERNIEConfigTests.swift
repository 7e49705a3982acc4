// config.json and generation_config.json as the three writers produce them (shared/ERNIE45.md §1, §7):
// remote-code era, transformers 4.x, transformers 5.x; defaults for absent keys; validate() messages.

import Foundation
import Testing
@testable import ModelFiles

@Suite("ERNIE config.json / generation_config.json")
struct ERNIEConfigTests {
    func decode(_ json: String, file: String = "config.json") throws -> ERNIEConfig {
        try decodeJSONConfig(ERNIEConfig.self, from: Data(json.utf8), file: file)
    }

    /// transformers 4.x `save_pretrained` of the 0.3B config (values from ERNIE45.md §1).
    static let v4 = """
    {
      "architectures": ["Ernie4_5ForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "head_dim": 128,
      "hidden_act": "silu", "hidden_size": 1024, "intermediate_size": 3072, "max_position_embeddings": 131072,
      "model_type": "ernie4_5", "num_attention_heads": 16, "num_hidden_layers": 18, "num_key_value_heads": 2,
      "pad_token_id": 0, "rms_norm_eps": 1e-05, "rope_scaling": null, "rope_theta": 500000.0,
      "tie_word_embeddings": true, "torch_dtype": "bfloat16", "transformers_version": "4.54.0",
      "use_bias": false, "use_cache": true, "vocab_size": 103424
    }
    """

    /// transformers 5.x: rope_parameters and dtype.
    static let v5 = """
    {
      "architectures": ["Ernie4_5ForCausalLM"], "bos_token_id": 1, "dtype": "bfloat16", "eos_token_id": 2,
      "head_dim": 128, "hidden_act": "silu", "hidden_size": 1024, "intermediate_size": 3072,
      "max_position_embeddings": 131072, "model_type": "ernie4_5", "num_attention_heads": 16,
      "num_hidden_layers": 18, "num_key_value_heads": 2, "pad_token_id": 0, "rms_norm_eps": 1e-05,
      "rope_parameters": {"rope_theta": 500000.0, "rope_type": "default"},
      "tie_word_embeddings": true, "transformers_version": "5.0.0", "use_bias": false, "use_cache": true,
      "vocab_size": 103424
    }
    """

    @Test("4.x and 5.x files decode to the published 0.3B shape")
    func bothEras() throws {
        let a = try decode(Self.v4)
        let b = try decode(Self.v5)
        #expect(a == b)
        #expect(a == ERNIEConfig.ernie45_0_3B)
        #expect(a.queryWidth == 2048 && a.keyValueWidth == 256 && a.groupSize == 8)
        #expect(a.ropeTheta == 500000 && a.rmsNormEps == 1e-5 && a.tieWordEmbeddings && !a.useBias)
        #expect(a.dtype == "bfloat16")
        try a.validate()
    }

    @Test("remote-code era: no head_dim → hidden/heads; absent optional keys take the documented defaults")
    func remoteEraAndDefaults() throws {
        let json = """
        {"architectures": ["Ernie4_5_ForCausalLM"], "hidden_size": 64, "intermediate_size": 96,
         "num_attention_heads": 4, "num_hidden_layers": 2, "vocab_size": 300, "rope_theta": 10000,
         "torch_dtype": "float32", "auto_map": {"AutoConfig": "configuration_ernie4_5.Ernie4_5_Config"}}
        """
        let c = try decode(json)
        #expect(c.headDim == 16)
        #expect(c.numKeyValueHeads == 4)                 // absent → H
        #expect(c.ropeTheta == 10000 && c.ropeType == "default")
        #expect(c.maxPositionEmbeddings == 131072 && c.rmsNormEps == 1e-5 && c.hiddenAct == "silu")
        #expect(c.tieWordEmbeddings && !c.useBias && c.compressionRatio == 1.0)
        #expect(c.bosTokenId == 1 && c.eosTokenIds == [2] && c.padTokenId == 0)
        #expect(c.dtype == "float32" && c.modelType == "ernie4_5")
        #expect(c.architectures == ["Ernie4_5_ForCausalLM"])
        // head_dim: null also means "derive it".
        #expect(try decode(json.replacingOccurrences(of: "\"vocab_size\": 300", with: "\"vocab_size\": 300, \"head_dim\": null")).headDim == 16)
        // eos as a list.
        #expect(try decode(json.replacingOccurrences(of: "\"vocab_size\": 300", with: "\"vocab_size\": 300, \"eos_token_id\": [2, 299]")).eosTokenIds == [2, 299])
    }

    @Test("missing required key and wrong type name the file and the key")
    func decodeErrors() throws {
        let noHidden = Self.v4.replacingOccurrences(of: "\"hidden_size\": 1024,", with: "")
        let missing = #expect(throws: ConfigError.self) { try decode(noHidden, file: "tiny/config.json") }
        #expect(missing == .missingKey(file: "tiny/config.json", key: "hidden_size"))
        #expect(String(describing: missing!).contains("tiny/config.json"))

        let wrong = Self.v5.replacingOccurrences(of: "\"rope_theta\": 500000.0", with: "\"rope_theta\": \"500000\"")
        let wrongError = #expect(throws: ConfigError.self) { try decode(wrong) }
        #expect(wrongError == .wrongType(file: "config.json", key: "rope_parameters.rope_theta", expected: "a number",
                                         found: "the string \"500000\""))
        #expect(String(describing: wrongError!).contains("remove the quotes: write 500000"))
        print(String(describing: wrongError!))

        let conflict = Self.v5.replacingOccurrences(of: "\"rms_norm_eps\"", with: "\"rope_theta\": 10000, \"rms_norm_eps\"")
        let conflictError = #expect(throws: ConfigError.self) { try decode(conflict) }
        #expect({ if case .invalidValue(_, "rope_theta", _, _) = conflictError { return true }; return false }())

        #expect(throws: ConfigError.malformedJSON(file: "config.json", reason: "the top level is an array, not an object")) {
            try decode("[1]")
        }
        #expect(throws: ConfigError.self) { try decode("{\"hidden_size\": ") }
    }

    @Test("validate() rejects impossible shapes and unsupported features, naming key and fix")
    func validation() throws {
        func invalidKey(_ mutate: (inout ERNIEConfig) -> Void) -> String? {
            var c = ERNIEConfig.ernie45_0_3B
            mutate(&c)
            do { try c.validate(file: "x/config.json"); return nil } catch let e as ConfigError {
                let message = String(describing: e)
                #expect(message.contains("x/config.json") && message.contains("HINT"))
                if case .invalidValue(_, let key, _, _) = e { return key }
                return nil
            } catch { return nil }
        }
        #expect(invalidKey { $0.numKeyValueHeads = 3 } == "num_key_value_heads")
        #expect(invalidKey { $0.headDim = 127 } == "head_dim")
        #expect(invalidKey { $0.hiddenAct = "gelu" } == "hidden_act")
        #expect(invalidKey { $0.ropeType = "yarn" } == "rope_parameters.rope_type")
        #expect(invalidKey { $0.eosTokenIds = [103424] } == "eos_token_id")
        #expect(invalidKey { $0.vocabSize = 0 } == "vocab_size")
        #expect(invalidKey { $0.rmsNormEps = 0 } == "rms_norm_eps")
        #expect(invalidKey { $0.modelType = "llama" } == "model_type")
        #expect(invalidKey { _ in } == nil)
    }

    @Test("encode → decode is the identity, and the file carries both 4.x and 5.x RoPE keys")
    func roundTrip() throws {
        var c = ERNIEConfig(hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2,
                            headDim: 32, intermediateSize: 96, vocabSize: 300, maxPositionEmbeddings: 256,
                            ropeTheta: 10000, tieWordEmbeddings: false, dtype: "float32")
        c.eosTokenIds = [2, 5]
        let data = try c.jsonData()
        #expect(try decodeJSONConfig(ERNIEConfig.self, from: data, file: "config.json") == c)
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        #expect(object["rope_theta"] as? Double == 10000)
        #expect((object["rope_parameters"] as? [String: Any])?["rope_type"] as? String == "default")
        #expect(object["torch_dtype"] as? String == "float32" && object["dtype"] as? String == "float32")
    }

    @Test("generation_config.json of Base-PT, and defaults/validation")
    func generationConfig() throws {
        let json = """
        {"do_sample": true, "top_p": 0.8, "temperature": 0.8, "bos_token_id": 1, "eos_token_id": 2,
         "pad_token_id": 0, "repetition_penalty": 1.0, "frequency_penalty": 0.0, "presence_penalty": 0.0}
        """
        let g = try decodeJSONConfig(GenerationConfig.self, from: Data(json.utf8), file: "generation_config.json")
        #expect(g == GenerationConfig(doSample: true, temperature: 0.8, topP: 0.8, topK: 50, bosTokenId: 1,
                                      eosTokenIds: [2], padTokenId: 0))
        try g.validate()
        let empty = try decodeJSONConfig(GenerationConfig.self, from: Data("{}".utf8), file: "generation_config.json")
        #expect(empty == GenerationConfig())
        #expect(!empty.doSample && empty.temperature == 1 && empty.topP == 1 && empty.topK == 50)
        let list = try decodeJSONConfig(GenerationConfig.self, from: Data(#"{"eos_token_id": [2, 100272]}"#.utf8),
                                        file: "generation_config.json")
        #expect(list.eosTokenIds == [2, 100272])

        var bad = g
        bad.topP = 1.5
        #expect(throws: ConfigError.self) { try bad.validate() }
        bad = g
        bad.temperature = 0
        let error = #expect(throws: ConfigError.self) { try bad.validate(file: "m/generation_config.json") }
        #expect(String(describing: error!).contains("m/generation_config.json"))
        bad.doSample = false
        try bad.validate()                                  // greedy ignores temperature 0
        let encoded = try JSONEncoder().encode(g)
        #expect(try decodeJSONConfig(GenerationConfig.self, from: encoded, file: "g.json") == g)
    }

    @Test("loading from disk names the file; a missing file is `unreadable`")
    func fromDisk() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let url = dir.write(Self.v5, to: "config.json")
        #expect(try ERNIEConfig.load(from: url) == .ernie45_0_3B)
        let bad = dir.write(Self.v5.replacingOccurrences(of: "\"num_key_value_heads\": 2", with: "\"num_key_value_heads\": 5"),
                            to: "bad/config.json")
        let error = #expect(throws: ConfigError.self) { try ERNIEConfig.load(from: bad) }
        #expect({ if case .invalidValue("config.json", "num_key_value_heads", _, _) = error { return true }; return false }())
        let absent = #expect(throws: ConfigError.self) {
            try ERNIEConfig.load(from: dir.url.appendingPathComponent("none.json"))
        }
        #expect({ if case .unreadable("none.json", _) = absent { return true }; return false }())
    }
}
