// AddedTokens — literal tokens matched in the raw text before SentencePiece sees it (Hugging Face "added tokens").
//
// ERNIE's tokenizer files list tokens such as <|begin_of_sentence|> (100273) or <|LOC_5|> (100302) that must come out
// as one id whenever their exact text appears, even though SentencePiece alone would spell them in pieces
// ("<", "|", …). Encoding therefore runs in two stages:
//   1. split the text at every added token (leftmost match, the longest one when several start there);
//   2. give each added token its id, and each stretch between them to SentencePiece.
// So "<s> Hello" → [<s>] + spm(" Hello") = [1, ▁Hello]: nothing is stripped around the match unless the token says
// lstrip/rstrip (ERNIE's do not). Sources, later ones overriding earlier ones for the same text:
// added_tokens.json, tokenizer_config.json's added_tokens_decoder, and the named special tokens
// (special_tokens_map.json / tokenizer_config.json slots), whose ids come from the two tables or the SentencePiece vocabulary.
// Matching is always on the raw text: the `normalized` flag is not applied (ERNIE's added tokens are all
// normalized=false, and none contains a space, the only character its identity normalizer changes).
import Foundation
import ModelFiles

/// The added-token table of a tokenizer: id ↔ text, flags, and the matcher.
public struct AddedTokens: Sendable {
    /// One matched token in a text: `range` of UTF-8 bytes, and its id.
    public struct Match: Equatable, Sendable {
        public var range: Range<Int>
        public var id: Int
    }

    /// Every added token by id.
    public private(set) var tokens: [Int: AddedToken] = [:]
    private var idByContent: [String: Int] = [:]
    private var trie = Trie()

    public init() {}

    /// Adds (or replaces) a token with its id.
    public mutating func add(_ token: AddedToken, id: Int) {
        if let old = idByContent[token.content], old != id { tokens[old] = nil }
        if let previous = tokens[id], previous.content != token.content {
            idByContent[previous.content] = nil
            trie.remove(Array(previous.content.utf8))
        }
        tokens[id] = token
        idByContent[token.content] = id
        trie.insert(Array(token.content.utf8), id: id)
    }

    public var isEmpty: Bool { tokens.isEmpty }
    public var count: Int { tokens.count }
    public var maxId: Int? { tokens.keys.max() }

    public func id(of content: String) -> Int? { idByContent[content] }
    public func token(_ id: Int) -> AddedToken? { tokens[id] }

    /// Every added token in `text`, left to right; at each position the longest token wins.
    /// `lstrip`/`rstrip` widen a match over the whitespace beside it; `single_word` tokens match only between
    /// non-word characters.
    public func matches(in text: String) -> [Match] {
        guard !tokens.isEmpty else { return [] }
        let bytes = Array(text.utf8)
        var out: [Match] = []
        var i = 0
        while i < bytes.count {
            guard let (length, id) = trie.longestMatch(bytes, from: i), let token = tokens[id],
                  !token.singleWord || Self.isWordBoundary(bytes, i, i + length) else {
                i += 1
                continue
            }
            var start = i, end = i + length
            if token.lstrip { while start > (out.last?.range.upperBound ?? 0) && Self.isSpace(bytes[start - 1]) { start -= 1 } }
            if token.rstrip { while end < bytes.count && Self.isSpace(bytes[end]) { end += 1 } }
            out.append(Match(range: start..<end, id: id))
            i = end
        }
        return out
    }

    /// `text` cut into added tokens (`.added(id)`) and the plain text between them (`.text`), in order.
    public func split(_ text: String) -> [Chunk] {
        let bytes = Array(text.utf8)
        var chunks: [Chunk] = []
        var last = 0
        for m in matches(in: text) {
            if m.range.lowerBound > last {
                chunks.append(.text(String(decoding: bytes[last..<m.range.lowerBound], as: UTF8.self)))
            }
            chunks.append(.added(m.id, String(decoding: bytes[m.range], as: UTF8.self)))
            last = m.range.upperBound
        }
        if last < bytes.count { chunks.append(.text(String(decoding: bytes[last...], as: UTF8.self))) }
        return chunks
    }

    public enum Chunk: Equatable, Sendable {
        case text(String)
        /// An added token's id and the exact text it matched.
        case added(Int, String)
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    private static func isWordBoundary(_ bytes: [UInt8], _ start: Int, _ end: Int) -> Bool {
        func isWordByte(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x5F || b >= 0x80
        }
        let leftOK = start == 0 || !isWordByte(bytes[start - 1])
        let rightOK = end == bytes.count || !isWordByte(bytes[end])
        return leftOK && rightOK
    }

    /// Byte trie of the token texts (added tokens are few; a sorted child list per node is enough).
    private struct Trie: Sendable {
        private var children: [[(byte: UInt8, node: Int32)]] = [[]]
        private var terminal: [Int] = [-1]

        mutating func insert(_ key: [UInt8], id: Int) {
            var node = 0
            for b in key {
                if let next = children[node].first(where: { $0.byte == b }) {
                    node = Int(next.node)
                } else {
                    children.append([]); terminal.append(-1)
                    children[node].append((b, Int32(children.count - 1)))
                    node = children.count - 1
                }
            }
            terminal[node] = id
        }

        /// Forgets `key` (its nodes stay, unmarked).
        mutating func remove(_ key: [UInt8]) {
            var node = 0
            for b in key {
                guard let next = children[node].first(where: { $0.byte == b }) else { return }
                node = Int(next.node)
            }
            terminal[node] = -1
        }

        /// The longest key that starts at `bytes[from...]`: (length, id).
        func longestMatch(_ bytes: [UInt8], from: Int) -> (Int, Int)? {
            var node = 0
            var best: (Int, Int)? = nil
            var i = from
            while i < bytes.count, let next = children[node].first(where: { $0.byte == bytes[i] }) {
                node = Int(next.node)
                i += 1
                if terminal[node] >= 0 { best = (i - from, terminal[node]) }
            }
            return best
        }
    }
}
