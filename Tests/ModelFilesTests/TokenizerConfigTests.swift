// tokenizer_config.json, special_tokens_map.json and added_tokens.json in ERNIE's two eras
// (remote code: bare strings; transformers-native: AddedToken objects and added_tokens_decoder).

import Foundation
import Testing
@testable import ModelFiles

@Suite("tokenizer-side configs")
struct TokenizerConfigTests {
    /// The remote-era file of ERNIE-4.5-0.3B-Base-PT (shared/ERNIE45.md §6–§7), chat template included.
    static let remoteEra = #"""
    {
        "bos_token": "<s>", "eos_token": "</s>", "pad_token": "<unk>", "unk_token": "<unk>",
        "cls_token": "<|begin_of_sentence|>", "sep_token": "<|end_of_sentence|>", "mask_token": "<mask:1>",
        "sys_start_token": "<mask:4>", "sys_end_token": "<mask:5>",
        "header_start_token": "<mask:6>", "header_end_token": "<mask:7>",
        "additional_special_tokens": null, "tokenizer_class": "Ernie4_5_Tokenizer",
        "auto_map": {"AutoTokenizer": ["tokenization_ernie4_5.Ernie4_5_Tokenizer", null]},
        "chat_template": "{%- if not add_generation_prompt is defined -%}\n    {%- set add_generation_prompt = true -%}\n{%- endif -%}\n{{- cls_token -}}"
    }
    """#

    /// The transformers-native file: flags, added_tokens_decoder, AddedToken objects, a huge model_max_length.
    static let nativeEra = #"""
    {
      "add_bos_token": false, "add_eos_token": false, "add_prefix_space": false, "legacy": true,
      "added_tokens_decoder": {
        "0": {"content": "<unk>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
        "1": {"content": "<s>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
        "3": {"content": "0", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": false},
        "100273": {"content": "<|begin_of_sentence|>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false, "special": true},
        "100297": {"content": "<|LOC_0|>", "lstrip": false, "normalized": false, "rstrip": true, "single_word": false, "special": false}
      },
      "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false, "normalized": true, "rstrip": false, "single_word": false},
      "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<unk>",
      "cls_token": "<|begin_of_sentence|>", "sep_token": "<|end_of_sentence|>",
      "additional_special_tokens": ["<|IMAGE_PLACEHOLDER|>", {"content": "<|AUDIO_PLACEHOLDER|>", "special": true}],
      "clean_up_tokenization_spaces": false, "spaces_between_special_tokens": false,
      "model_max_length": 1000000000000000019884624838656, "tokenizer_class": "LlamaTokenizer",
      "sp_model_kwargs": {}
    }
    """#

    func decode(_ json: String) throws -> TokenizerConfig {
        try decodeJSONConfig(TokenizerConfig.self, from: Data(json.utf8), file: "tokenizer_config.json")
    }

    @Test("remote era: bare strings, ERNIE's extra named tokens, null additional tokens, chat template")
    func remoteEra() throws {
        let c = try decode(Self.remoteEra)
        #expect(c.bosToken == AddedToken("<s>"))
        #expect(c.eosToken?.content == "</s>")
        #expect(c.padToken?.content == "<unk>" && c.unkToken?.content == "<unk>")
        #expect(c.clsToken?.content == "<|begin_of_sentence|>" && c.sepToken?.content == "<|end_of_sentence|>")
        #expect(c.maskToken?.content == "<mask:1>")
        #expect(c.specialTokens.namedTokens.mapValues(\.content) == [
            "sys_start_token": "<mask:4>", "sys_end_token": "<mask:5>",
            "header_start_token": "<mask:6>", "header_end_token": "<mask:7>"])
        #expect(c.specialTokens.additionalSpecialTokens.isEmpty)
        #expect(!c.addBosToken && !c.addEosToken)            // absent → false (ERNIE never prepends <s>)
        #expect(c.tokenizerClass == "Ernie4_5_Tokenizer")
        #expect(c.chatTemplate?.hasPrefix("{%- if not add_generation_prompt is defined -%}\n") == true)
        #expect(c.addedTokensDecoder.isEmpty && c.modelMaxLength == nil)
        try c.validate()
    }

    @Test("native era: AddedToken objects with flags, added_tokens_decoder by id, 'no limit' sentinel")
    func nativeEra() throws {
        let c = try decode(Self.nativeEra)
        #expect(c.bosToken == AddedToken("<s>", special: true, normalized: true))
        #expect(c.addedTokensDecoder.count == 5)
        #expect(c.addedTokensDecoder[100273] == AddedToken("<|begin_of_sentence|>", special: true, normalized: false))
        #expect(c.addedTokensDecoder[3] == AddedToken("0", special: false, normalized: false))
        #expect(c.addedTokensDecoder[100297]?.rstrip == true)
        #expect(c.specialTokens.additionalSpecialTokens.map(\.content) == ["<|IMAGE_PLACEHOLDER|>", "<|AUDIO_PLACEHOLDER|>"])
        // An object without "normalized" takes the library default: not special → normalized; special → not.
        #expect(c.specialTokens.additionalSpecialTokens[1].normalized == false)
        #expect(c.modelMaxLength == nil)                      // 1e30 is transformers' "no limit"
        #expect(c.legacy == true && !c.addPrefixSpace)
        #expect(c.specialTokens.namedTokens.isEmpty)          // add_bos_token etc. are flags, not tokens

        // Encoding and decoding again keeps every field.
        let again = try decodeJSONConfig(TokenizerConfig.self, from: try JSONEncoder().encode(c), file: "t.json")
        #expect(again == c)
        let remote = try decode(Self.remoteEra)
        #expect(try decodeJSONConfig(TokenizerConfig.self, from: try JSONEncoder().encode(remote), file: "t.json") == remote)
    }

    @Test("chat_template as a list of named templates; model_max_length as an integer")
    func namedTemplates() throws {
        let c = try decode(#"{"chat_template": [{"name": "default", "template": "A"}, {"name": "tool_use", "template": "B"}], "model_max_length": 131072}"#)
        #expect(c.chatTemplate == "A" && c.namedChatTemplates == ["default": "A", "tool_use": "B"])
        #expect(c.modelMaxLength == 131072)
    }

    @Test("bad files: a non-numeric decoder key, one content under two ids, a wrong type")
    func errors() throws {
        let badKey = #"{"added_tokens_decoder": {"x1": {"content": "<s>"}}}"#
        let e1 = #expect(throws: ConfigError.self) { try decode(badKey) }
        #expect({ if case .invalidValue("tokenizer_config.json", "added_tokens_decoder.x1", _, _) = e1 { return true }; return false }())

        let twice = try decode(#"{"added_tokens_decoder": {"1": {"content": "<s>"}, "7": {"content": "<s>"}}}"#)
        let e2 = #expect(throws: ConfigError.self) { try twice.validate(file: "m/tokenizer_config.json") }
        #expect({ if case .invalidValue(_, "added_tokens_decoder.7", _, _) = e2 { return true }; return false }())
        #expect(String(describing: e2!).contains("m/tokenizer_config.json"))

        let e3 = #expect(throws: ConfigError.self) { try decode(#"{"add_bos_token": "yes"}"#) }
        #expect(e3 == .wrongType(file: "tokenizer_config.json", key: "add_bos_token", expected: "true or false",
                                 found: "the string \"yes\""))
        print(String(describing: e3!))
    }

    @Test("special_tokens_map.json with AddedToken objects")
    func specialTokensMap() throws {
        let json = #"""
        {"bos_token": {"content": "<s>", "lstrip": false, "normalized": false, "rstrip": false, "single_word": false},
         "cls_token": "<|begin_of_sentence|>", "eos_token": "</s>", "mask_token": "<mask:1>", "pad_token": "<unk>",
         "sep_token": "<|end_of_sentence|>", "unk_token": "<unk>", "sys_start_token": "<mask:4>",
         "additional_special_tokens": ["<|IMAGE_PLACEHOLDER|>"]}
        """#
        let dir = ScratchDirectory(); defer { dir.remove() }
        let m = try SpecialTokensMap.load(from: dir.write(json, to: "special_tokens_map.json"))
        // An object without "special" in a slot is still special; its "normalized": false is kept.
        #expect(m.bosToken == AddedToken("<s>", special: true, normalized: false))
        #expect(m[slot: "cls_token"]?.content == "<|begin_of_sentence|>")
        #expect(m[slot: "sys_start_token"]?.content == "<mask:4>")
        #expect(m.allTokens.map(\.content) == ["<s>", "</s>", "<unk>", "<|end_of_sentence|>", "<unk>",
                                               "<|begin_of_sentence|>", "<mask:1>", "<|IMAGE_PLACEHOLDER|>", "<mask:4>"])
        let again = try decodeJSONConfig(SpecialTokensMap.self, from: try JSONEncoder().encode(m), file: "s.json")
        #expect(again == m)
    }

    @Test("added_tokens.json: content → id, ordered by id; duplicate ids and negative ids are refused")
    func addedTokens() throws {
        let dir = ScratchDirectory(); defer { dir.remove() }
        let good = try AddedTokensFile.load(from: dir.write(
            #"{"<|LOC_0|>": 100297, "<|IMAGE_PLACEHOLDER|>": 100295, "<|AUDIO_PLACEHOLDER|>": 100296}"#,
            to: "added_tokens.json"))
        #expect(good.byId.map(\.id) == [100295, 100296, 100297])
        #expect(good.byId.map(\.content) == ["<|IMAGE_PLACEHOLDER|>", "<|AUDIO_PLACEHOLDER|>", "<|LOC_0|>"])

        let dupURL = dir.write(#"{"<a>": 5, "<b>": 5}"#, to: "dup/added_tokens.json")
        let e = #expect(throws: ConfigError.self) { try AddedTokensFile.load(from: dupURL) }
        #expect({ if case .invalidValue("added_tokens.json", "<b>", _, _) = e { return true }; return false }())
        #expect(throws: ConfigError.self) {
            try AddedTokensFile.load(from: dir.write(#"{"<a>": -1}"#, to: "neg/added_tokens.json"))
        }
        let e2 = #expect(throws: ConfigError.self) {
            try AddedTokensFile.load(from: dir.write(#"{"<a>": "5"}"#, to: "str/added_tokens.json"))
        }
        #expect({ if case .wrongType("added_tokens.json", _, _, _) = e2 { return true }; return false }())
    }
}
