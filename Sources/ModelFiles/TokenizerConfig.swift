// TokenizerConfig — `tokenizer_config.json`: how the tokenizer wraps the SentencePiece model.
//
// It says which tokens are special (bos/eos/unk/pad/cls/sep/mask and ERNIE's sys/header names), whether encode
// adds BOS/EOS, the literal tokens with their ids (`added_tokens_decoder`), and the Jinja chat template.
// Two eras of the ERNIE file exist (shared/ERNIE45.md §6–§7):
//   remote-code era (2025-07): bare strings, no add_bos_token key, "additional_special_tokens": null, chat_template;
//   transformers-native (≥ 2025-07-21): add_bos_token false, added_tokens_decoder {"100273": {...}}, …
// Both decode to the same value. Keys this type does not model (auto_map, sp_model_kwargs, …) are ignored.

import Foundation
import LabCore

/// The typed contents of `tokenizer_config.json`, with explicit defaults for absent keys.
public struct TokenizerConfig: Codable, Equatable, Sendable {
    /// `add_bos_token`. Absent → false: ERNIE's tokenizers never prepend `<s>` (the remote tokenizer ignores
    /// add_special_tokens; the native conversion writes false). Llama's own tokenizer differs (true), which is
    /// why files written by this lab always write the key.
    public var addBosToken: Bool
    /// `add_eos_token`. Absent → false.
    public var addEosToken: Bool
    /// `add_prefix_space`: prepend "▁" to the first word. Absent → false (ERNIE has add_dummy_prefix off).
    public var addPrefixSpace: Bool
    /// `legacy` (Llama tokenizer flag for text after special tokens). Absent → nil (not stated).
    public var legacy: Bool?
    /// The named special-token slots (the same keys as special_tokens_map.json).
    public var specialTokens: SpecialTokensMap
    /// `added_tokens_decoder`: id → literal token. Absent → empty.
    public var addedTokensDecoder: [Int: AddedToken]
    /// `chat_template`: the Jinja template (when the file holds a list of named templates, the one named "default").
    public var chatTemplate: String?
    /// Named templates when `chat_template` is a list of `{name, template}` (otherwise empty).
    public var namedChatTemplates: [String: String]
    /// `model_max_length`. nil when absent or when it is transformers' "no limit" sentinel (≥ 10¹⁸, e.g. 1e30).
    public var modelMaxLength: Int?
    /// `tokenizer_class`, e.g. "Ernie4_5_Tokenizer" or "LlamaTokenizer".
    public var tokenizerClass: String?
    /// `clean_up_tokenization_spaces`: strip spaces before punctuation on decode. Absent → false (ERNIE).
    public var cleanUpTokenizationSpaces: Bool
    /// `spaces_between_special_tokens`: put a space between decoded special tokens. Absent → false (ERNIE).
    public var spacesBetweenSpecialTokens: Bool

    public init(addBosToken: Bool = false, addEosToken: Bool = false, addPrefixSpace: Bool = false,
                legacy: Bool? = nil, specialTokens: SpecialTokensMap = SpecialTokensMap(),
                addedTokensDecoder: [Int: AddedToken] = [:], chatTemplate: String? = nil,
                namedChatTemplates: [String: String] = [:], modelMaxLength: Int? = nil,
                tokenizerClass: String? = nil, cleanUpTokenizationSpaces: Bool = false,
                spacesBetweenSpecialTokens: Bool = false) {
        self.addBosToken = addBosToken; self.addEosToken = addEosToken; self.addPrefixSpace = addPrefixSpace
        self.legacy = legacy; self.specialTokens = specialTokens; self.addedTokensDecoder = addedTokensDecoder
        self.chatTemplate = chatTemplate; self.namedChatTemplates = namedChatTemplates
        self.modelMaxLength = modelMaxLength; self.tokenizerClass = tokenizerClass
        self.cleanUpTokenizationSpaces = cleanUpTokenizationSpaces
        self.spacesBetweenSpecialTokens = spacesBetweenSpecialTokens
    }

    /// Reads and validates `tokenizer_config.json`.
    /// - Throws: `ConfigError` naming the file and key.
    public static func load(from url: URL) throws -> TokenizerConfig {
        let config = try loadJSONConfig(TokenizerConfig.self, from: url)
        try config.validate(file: url.lastPathComponent)
        return config
    }

    /// Convenience accessors for the slots.
    public var bosToken: AddedToken? { specialTokens.bosToken }
    public var eosToken: AddedToken? { specialTokens.eosToken }
    public var unkToken: AddedToken? { specialTokens.unkToken }
    public var padToken: AddedToken? { specialTokens.padToken }
    public var clsToken: AddedToken? { specialTokens.clsToken }
    public var sepToken: AddedToken? { specialTokens.sepToken }
    public var maskToken: AddedToken? { specialTokens.maskToken }

    /// Checks invariants a decoder cannot: ids ≥ 0, no content listed under two ids, a positive length.
    /// - Throws: `ConfigError.invalidValue` naming the key and the fix.
    public func validate(file: String = "tokenizer_config.json") throws {
        var seen: [String: Int] = [:]
        for id in addedTokensDecoder.keys.sorted() {
            let token = addedTokensDecoder[id]!
            guard id >= 0 else {
                throw ConfigError.invalidValue(file: file, key: "added_tokens_decoder.\(id)",
                                               problem: "token ids must be ≥ 0",
                                               fix: "use the token's index in the vocabulary")
            }
            if let other = seen[token.content] {
                throw ConfigError.invalidValue(file: file, key: "added_tokens_decoder.\(id)",
                                               problem: VisibleText.quoted(token.content)
                                                   + " is already listed under id \(other)",
                                               fix: "keep one id per token content")
            }
            seen[token.content] = id
        }
        if let n = modelMaxLength, n <= 0 {
            throw ConfigError.invalidValue(file: file, key: "model_max_length", problem: "\(n) is not positive",
                                           fix: "set the model's context length, e.g. 131072 for ERNIE-4.5")
        }
    }

    private struct NamedTemplate: Codable { var name: String; var template: String }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        func bool(_ key: String) throws -> Bool? { try c.decodeIfPresent(Bool.self, forKey: AnyCodingKey(key)) }
        self.init(addBosToken: try bool("add_bos_token") ?? false,
                  addEosToken: try bool("add_eos_token") ?? false,
                  addPrefixSpace: try bool("add_prefix_space") ?? false,
                  legacy: try bool("legacy"),
                  specialTokens: try SpecialTokensMap(container: c),
                  tokenizerClass: try c.decodeIfPresent(String.self, forKey: AnyCodingKey("tokenizer_class")),
                  cleanUpTokenizationSpaces: try bool("clean_up_tokenization_spaces") ?? false,
                  spacesBetweenSpecialTokens: try bool("spaces_between_special_tokens") ?? false)

        // added_tokens_decoder: JSON object keys are strings; each must be a decimal id.
        let decoderKey = AnyCodingKey("added_tokens_decoder")
        if let raw = try c.decodeIfPresent([String: AddedToken].self, forKey: decoderKey) {
            for (key, token) in raw {
                guard let id = Int(key) else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: [decoderKey, AnyCodingKey(key)],
                        debugDescription: VisibleText.quoted(key)
                            + " is not a token id (added_tokens_decoder keys are decimal ids)"))
                }
                addedTokensDecoder[id] = token
            }
        }

        // chat_template: a string, or a list of {name, template}.
        let templateKey = AnyCodingKey("chat_template")
        if c.contains(templateKey), try !c.decodeNil(forKey: templateKey) {
            if let text = try? c.decode(String.self, forKey: templateKey) {
                chatTemplate = text
            } else {
                let list = try c.decode([NamedTemplate].self, forKey: templateKey)
                for t in list { namedChatTemplates[t.name] = t.template }
                chatTemplate = namedChatTemplates["default"]
            }
        }

        // model_max_length: an integer, or a huge float sentinel meaning "no limit".
        let lengthKey = AnyCodingKey("model_max_length")
        if c.contains(lengthKey), try !c.decodeNil(forKey: lengthKey) {
            if let n = try? c.decode(Int.self, forKey: lengthKey), n < 1_000_000_000_000_000_000 {
                modelMaxLength = n
            } else {
                let x = try c.decode(Double.self, forKey: lengthKey)
                modelMaxLength = x >= 1e18 ? nil : Int(x)
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(addBosToken, forKey: AnyCodingKey("add_bos_token"))
        try c.encode(addEosToken, forKey: AnyCodingKey("add_eos_token"))
        try c.encode(addPrefixSpace, forKey: AnyCodingKey("add_prefix_space"))
        try c.encodeIfPresent(legacy, forKey: AnyCodingKey("legacy"))
        try specialTokens.encodeSlots(into: &c)
        if !addedTokensDecoder.isEmpty {
            var byKey: [String: AddedToken] = [:]
            for (id, token) in addedTokensDecoder { byKey[String(id)] = token }
            try c.encode(byKey, forKey: AnyCodingKey("added_tokens_decoder"))
        }
        if namedChatTemplates.isEmpty {
            try c.encodeIfPresent(chatTemplate, forKey: AnyCodingKey("chat_template"))
        } else {
            let list = namedChatTemplates.keys.sorted().map { NamedTemplate(name: $0, template: namedChatTemplates[$0]!) }
            try c.encode(list, forKey: AnyCodingKey("chat_template"))
        }
        try c.encodeIfPresent(modelMaxLength, forKey: AnyCodingKey("model_max_length"))
        try c.encodeIfPresent(tokenizerClass, forKey: AnyCodingKey("tokenizer_class"))
        try c.encode(cleanUpTokenizationSpaces, forKey: AnyCodingKey("clean_up_tokenization_spaces"))
        try c.encode(spacesBetweenSpecialTokens, forKey: AnyCodingKey("spaces_between_special_tokens"))
    }
}
