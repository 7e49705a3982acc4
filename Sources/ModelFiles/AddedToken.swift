// AddedToken — a token that the tokenizer matches literally before the SentencePiece/BPE model runs.
//
// Hugging Face writes special tokens two ways, and both occur in ERNIE's files:
//   "bos_token": "<s>"                                                          (remote-code era, 2025-07)
//   "bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false, …} (older transformers)
//   "added_tokens_decoder": {"1": {"content": "<s>", …, "special": true}}       (transformers ≥ 4.34)
// This type reads all three. A token in a named slot or in additional_special_tokens is special even when its
// object omits "special" (transformers registers slot tokens as special). The flags mean (tokenizers library, AddedToken):
//   lstrip / rstrip  the match also swallows whitespace on its left / right
//   single_word      match only when not inside a word
//   normalized       match against the normalized text (default: true unless special)
//   special          skipped by decode(skip_special_tokens: true)

/// One literal token and its matching flags, as in Hugging Face's `AddedToken`.
public struct AddedToken: Codable, Equatable, Hashable, Sendable {
    /// The exact text of the token, e.g. `<|begin_of_sentence|>`.
    public var content: String
    public var lstrip: Bool
    public var normalized: Bool
    public var rstrip: Bool
    public var singleWord: Bool
    public var special: Bool

    /// A token with explicit flags; defaults follow the tokenizers library (`normalized` = not special).
    public init(_ content: String, special: Bool = true, lstrip: Bool = false, rstrip: Bool = false,
                singleWord: Bool = false, normalized: Bool? = nil) {
        self.content = content
        self.special = special
        self.lstrip = lstrip
        self.rstrip = rstrip
        self.singleWord = singleWord
        self.normalized = normalized ?? !special
    }

    /// In the order transformers writes them (sorted), which is the order the synthesized `encode(to:)` writes:
    /// always the object form, as transformers ≥ 4.34 writes in `added_tokens_decoder`.
    enum CodingKeys: String, CodingKey {
        case content, lstrip, normalized, rstrip
        case singleWord = "single_word"
        case special
    }

    /// Reads either a bare string (a special token, all flags default) or an AddedToken object.
    /// A bare string in a `*_token` slot is special (transformers registers it as such).
    public init(from decoder: Decoder) throws {
        try self.init(from: decoder, inSpecialSlot: false)
    }

    /// Decodes a token; `inSpecialSlot` is true for the named slots and `additional_special_tokens`, where
    /// transformers registers the token as special whatever the object says (and then not normalized by default).
    init(from decoder: Decoder, inSpecialSlot: Bool) throws {
        if let single = try? decoder.singleValueContainer(), let text = try? single.decode(String.self) {
            self.init(text, special: true)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let written = try c.decodeIfPresent(Bool.self, forKey: .special) ?? false
        let special = inSpecialSlot || written
        self.init(try c.decode(String.self, forKey: .content),
                  special: special,
                  lstrip: try c.decodeIfPresent(Bool.self, forKey: .lstrip) ?? false,
                  rstrip: try c.decodeIfPresent(Bool.self, forKey: .rstrip) ?? false,
                  singleWord: try c.decodeIfPresent(Bool.self, forKey: .singleWord) ?? false,
                  normalized: try c.decodeIfPresent(Bool.self, forKey: .normalized))
    }
}

/// Decodes an AddedToken found in a special-token slot (see `AddedToken.init(from:inSpecialSlot:)`).
struct SpecialSlotToken: Decodable {
    var token: AddedToken
    init(from decoder: Decoder) throws { token = try AddedToken(from: decoder, inSpecialSlot: true) }
}
