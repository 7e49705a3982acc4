// TokenMatch — which local token a server's token is, when the server does not say its id.
//
// With ids (vLLM's "token_id:N", llama-server's `content[].id`) there is nothing to guess. Without, the server's
// text is all there is, and it is ambiguous: "" is how llama-cpp-python shows a lone byte of a Chinese character,
// an unused id past the tokenizer's pieces and a control token alike. So every local id is indexed under each way
// a server may render it (`TokenText`), and a server token resolves to the candidate with that rendering whose
// local log-prob is closest to the server's own: the same model gives the same number to the same token
// (seen: local "<unused:6018>", llama-cpp-python "", both −1.534).

import Foundation

public struct TokenMatch: Sendable {
    /// Server rendering → the local ids that may read so.
    private let idsByText: [String: [Int]]
    public let count: Int

    /// - Parameters:
    ///   - count: the local vocabulary size (ids 0..<count).
    ///   - piece: an id's piece ("▁the", "<0xE4>", "</s>", "<unused:6018>").
    ///   - isSpecial: control and added special tokens, which many servers show as "".
    public init(count: Int, piece: (Int) -> String, isSpecial: (Int) -> Bool) {
        var map: [String: [Int]] = [:]
        for id in 0..<count {
            for text in Self.renderings(piece: piece(id), special: isSpecial(id)) { map[text, default: []].append(id) }
        }
        idsByText = map
        self.count = count
    }

    /// Every text a server may show for a token with this piece.
    public static func renderings(piece: String, special: Bool) -> Set<String> {
        let bytes = TokenText.bytes(ofPiece: piece)
        var out: Set<String> = [piece, TokenText.display(bytes), TokenText.ignoringInvalid(bytes),
                                String(decoding: bytes, as: UTF8.self)]
        if special || piece.hasPrefix("<unused:") { out.insert("") }
        return out
    }

    /// The local ids a server text may stand for.
    public func candidates(_ text: String) -> [Int] { idsByText[text] ?? [] }

    /// The local id of a server token: its id when the server gave one; else, among the local ids that render as its
    /// text, the one whose local log-prob (`localLogProbs`, the distribution it was chosen from [V]) is closest to
    /// the server's, or the most likely one when the server gave no log-prob. Nil when no local id reads so.
    public func resolve(_ token: TokenLogprob, localLogProbs: [Float]) -> Int? {
        if let id = token.id { return id }
        let ids = candidates(token.text).filter { $0 < localLogProbs.count }
        guard !ids.isEmpty else { return nil }
        if let lp = token.logprob {
            return ids.min { abs(Double(localLogProbs[$0]) - lp) < abs(Double(localLogProbs[$1]) - lp) }
        }
        return ids.max { localLogProbs[$0] < localLogProbs[$1] }
    }
}
