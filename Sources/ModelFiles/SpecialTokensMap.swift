// SpecialTokensMap — the named special tokens of a tokenizer: `special_tokens_map.json`, and the same slots
// inside `tokenizer_config.json`.
//
// ERNIE-4.5-0.3B (shared/ERNIE45.md §6): bos "<s>" (1), eos "</s>" (2), unk and pad "<unk>" (0),
// cls "<|begin_of_sentence|>" (100273), sep "<|end_of_sentence|>" (100272), mask "<mask:1>" (100274), and four
// ERNIE-only names: sys_start_token "<mask:4>", sys_end_token "<mask:5>", header_start_token "<mask:6>",
// header_end_token "<mask:7>". The ids are NOT here: the tokenizer looks each content string up in its vocabulary.

import Foundation

/// The named special-token slots. Each slot may be a bare string or an AddedToken object in the file.
public struct SpecialTokensMap: Codable, Equatable, Sendable {
    /// The seven slots transformers knows by name, in its order.
    public static let standardSlots = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token",
                                       "cls_token", "mask_token"]

    public var bosToken: AddedToken?
    public var eosToken: AddedToken?
    public var unkToken: AddedToken?
    public var sepToken: AddedToken?
    public var padToken: AddedToken?
    public var clsToken: AddedToken?
    public var maskToken: AddedToken?
    /// `additional_special_tokens` (absent or null → empty).
    public var additionalSpecialTokens: [AddedToken]
    /// Any other `*_token` key holding a token, by its key, e.g. `"sys_start_token": "<mask:4>"`.
    public var namedTokens: [String: AddedToken]

    public init(bosToken: AddedToken? = nil, eosToken: AddedToken? = nil, unkToken: AddedToken? = nil,
                sepToken: AddedToken? = nil, padToken: AddedToken? = nil, clsToken: AddedToken? = nil,
                maskToken: AddedToken? = nil, additionalSpecialTokens: [AddedToken] = [],
                namedTokens: [String: AddedToken] = [:]) {
        self.bosToken = bosToken; self.eosToken = eosToken; self.unkToken = unkToken
        self.sepToken = sepToken; self.padToken = padToken; self.clsToken = clsToken
        self.maskToken = maskToken
        self.additionalSpecialTokens = additionalSpecialTokens
        self.namedTokens = namedTokens
    }

    /// Reads `special_tokens_map.json`.
    /// - Throws: `ConfigError` naming the file and key.
    public static func load(from url: URL) throws -> SpecialTokensMap {
        try loadJSONConfig(SpecialTokensMap.self, from: url)
    }

    /// Every token in the map (standard slots, additional, named), for the tokenizer's literal matcher.
    public var allTokens: [AddedToken] {
        [bosToken, eosToken, unkToken, sepToken, padToken, clsToken, maskToken].compactMap { $0 }
            + additionalSpecialTokens + namedTokens.keys.sorted().compactMap { namedTokens[$0] }
    }

    /// The token in slot `key` ("bos_token", "sys_start_token", …), if set.
    public subscript(slot key: String) -> AddedToken? {
        switch key {
        case "bos_token": return bosToken
        case "eos_token": return eosToken
        case "unk_token": return unkToken
        case "sep_token": return sepToken
        case "pad_token": return padToken
        case "cls_token": return clsToken
        case "mask_token": return maskToken
        default: return namedTokens[key]
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try self.init(container: c)
    }

    /// Reads the slots from any object (also used by TokenizerConfig, whose file holds the same keys).
    init(container c: KeyedDecodingContainer<AnyCodingKey>) throws {
        func slot(_ name: String) throws -> AddedToken? {
            try c.decodeIfPresent(SpecialSlotToken.self, forKey: AnyCodingKey(name))?.token
        }
        self.init(bosToken: try slot("bos_token"), eosToken: try slot("eos_token"), unkToken: try slot("unk_token"),
                  sepToken: try slot("sep_token"), padToken: try slot("pad_token"), clsToken: try slot("cls_token"),
                  maskToken: try slot("mask_token"),
                  additionalSpecialTokens: try c.decodeIfPresent([SpecialSlotToken].self,
                                                                 forKey: AnyCodingKey("additional_special_tokens"))?
                      .map(\.token) ?? [])
        // Other "*_token" keys that hold a string or an AddedToken object are named special tokens.
        // Keys like "add_bos_token" (a Bool) are not tokens and are skipped by the type check.
        for key in c.allKeys where key.stringValue.hasSuffix("_token")
            && !Self.standardSlots.contains(key.stringValue) {
            if let slot = try? c.decode(SpecialSlotToken.self, forKey: key) {
                namedTokens[key.stringValue] = slot.token
            }
        }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try encodeSlots(into: &c)
    }

    /// Writes the slots as AddedToken objects (the form transformers writes for special_tokens_map.json).
    func encodeSlots(into c: inout KeyedEncodingContainer<AnyCodingKey>) throws {
        for name in Self.standardSlots {
            if let token = self[slot: name] { try c.encode(token, forKey: AnyCodingKey(name)) }
        }
        if !additionalSpecialTokens.isEmpty {
            try c.encode(additionalSpecialTokens, forKey: AnyCodingKey("additional_special_tokens"))
        }
        for (name, token) in namedTokens { try c.encode(token, forKey: AnyCodingKey(name)) }
    }
}
