// TokenText — how one token reads as text on either side of an API, so the lab and a server can be compared token
// for token, and how `lmlab serve` writes its own tokens.
//
// A SentencePiece piece stands for bytes: "<0xE4>" is the byte 0xE4 (byte fallback), any other piece is its UTF-8
// with ▁ read as a space. A server that shows one token alone must turn those bytes into a string, and servers do
// it differently for bytes that are not whole characters: llama-cpp-python decodes with errors="ignore" (a lone
// byte of 露 reads as ""), others write U+FFFD or the piece itself. Ids past the tokenizer's pieces and control
// tokens read as "" on most servers too. So one server text can belong to many local ids, and comparisons that
// match text alone must look at every local candidate with that rendering (`TokenMatch`).

import Foundation

public enum TokenText {
    /// The bytes a piece stands for: "<0xNN>" is one byte; otherwise the UTF-8 of the text, with ▁ as a space when
    /// `piece` (a SentencePiece piece rather than a server's token text).
    public static func bytes(ofPiece s: String, piece: Bool = true) -> [UInt8] {
        if s.count == 6, s.hasPrefix("<0x"), s.hasSuffix(">"), let b = UInt8(s.dropFirst(3).dropLast(), radix: 16) { return [b] }
        return Array((piece ? s.replacingOccurrences(of: "▁", with: " ") : s).utf8)
    }

    /// Bytes as text, with any byte that is not valid UTF-8 on its own shown as <0xNN>.
    public static func display(_ b: [UInt8]) -> String {
        if let s = String(validating: b, as: UTF8.self) { return s }
        return b.map { String(format: "<0x%02X>", $0) }.joined()
    }

    /// What a server that decodes one token's bytes with errors="ignore" (llama-cpp-python) shows for them:
    /// the UTF-8 text with every invalid byte dropped — "" for a lone byte of a multi-byte character.
    public static func ignoringInvalid(_ b: [UInt8]) -> String {
        if let s = String(validating: b, as: UTF8.self) { return s }
        var out = ""
        var i = 0
        while i < b.count {
            let lead = b[i]
            let n = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
            if n > 0, i + n <= b.count, let s = String(validating: b[i..<i + n], as: UTF8.self) {
                out += s; i += n
            } else {
                i += 1
            }
        }
        return out
    }

    /// vLLM's `return_tokens_as_token_ids` spelling of a token: "token_id:N".
    public static func tokenIdText(_ id: Int) -> String { "token_id:\(id)" }

    /// The id in a "token_id:N" token text; nil for any other text.
    public static func tokenId(inText s: String) -> Int? {
        guard s.hasPrefix("token_id:") else { return nil }
        return Int(s.dropFirst("token_id:".count)).flatMap { $0 >= 0 ? $0 : nil }
    }
}
