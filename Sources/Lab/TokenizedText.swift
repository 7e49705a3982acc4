// TokenizedText — where a tokenizer cuts a text (`lmlab tokenize`, lessons 1 and 8): the ids, each piece, the
// UTF-8 bytes each piece stands for, and the decoded round trip. The grid the learner sees is the command's.
//
//   "Hello, 世界!"  →  Hello │ , │ ▁世 │ 界 │ !       bytes 48 65 6C 6C 6F │ 2C │ 20 E4 B8 96 │ E7 95 8C │ 21
// "▁" marks a space that belongs to the piece; a byte-fallback piece <0xE4> stands for its one byte; an added token
// (matched literally before SentencePiece) for its own text; a control token (<s>) for nothing.

import LabCore
import Tokenizers

/// One text through one tokenizer.
public struct TokenizedText: Equatable, Sendable {
    /// The text that was encoded (the chat prompt with `chat`).
    public var input: String
    public var ids: [Int]
    public var pieces: [String]
    /// The UTF-8 bytes each token stands for in the text.
    public var bytes: [[UInt8]]
    public var decoded: String
    public var tokenizerSummary: String
    /// Ids of added tokens (matched literally before SentencePiece): their bytes are the token's own text.
    public var added: Set<Int> = []
    /// Things the learner should know about how the text was prepared (e.g. a defaulted chat template).
    public var notes: [String] = []

    /// `tokenize --json`: {"ids", "pieces", "decoded"}.
    public struct JSON: Encodable, Equatable { public let ids: [Int]; public let pieces: [String]; public let decoded: String }
    public var json: JSON { JSON(ids: ids, pieces: pieces, decoded: decoded) }

    /// Encodes `text` (or, with `chat`, its chat prompt as a user turn; <s> first with `bos`) and gathers pieces,
    /// bytes and the decoded text.
    /// - Throws: the tokenizer's chat-template error.
    public static func make(_ text: String, with tok: ErnieTokenizer, bos: Bool, chat: Bool) throws -> TokenizedText {
        let input = chat ? try tok.renderChat([ChatMessage(.user, text)]) : text
        let ids = chat ? (bos ? [tok.bosId].compactMap { $0 } : []) + tok.encode(input, addBos: false)
                       : tok.encode(input, addBos: bos || tok.addBosToken)
        let bytes = ids.map { id -> [UInt8] in
            let p = tok.piece(id)
            if tok.addedTokens.token(id) != nil { return Array(p.utf8) }
            if id < tok.sentencePiece.vocabSize, tok.sentencePiece.type(of: id) == .byte,
               let b = UInt8(p.dropFirst(3).prefix(2), radix: 16) { return [b] }
            if id < tok.sentencePiece.vocabSize, tok.sentencePiece.type(of: id) == .control { return [] }
            return Array(p.replacingOccurrences(of: "\u{2581}", with: " ").utf8)
        }
        let extra = tok.count - tok.sentencePiece.vocabSize
        let summary = Learner.text("\(tok.source): \(tok.sentencePiece.vocabSize) pieces" + (extra > 0 ? " + \(extra) added tokens" : ""),
                                   "\(tok.source)：词表 \(tok.sentencePiece.vocabSize) 个词片段" + (extra > 0 ? " + \(extra) 个添加的词元" : ""))
        var notes: [String] = []
        if chat, case .success(let template) = tok.chatTemplate, template.source == .defaulted {
            notes.append(Learner.text("note: \(tok.source) has no chat_template; ERNIE-4.5's chat format was used",
                                      "注意：\(tok.source) 没有 chat_template，已使用文心 ERNIE-4.5 的对话格式"))
            for marker in [template.clsToken, template.sepToken] where tok.id(of: marker) == nil {
                notes.append(Learner.text("note: \(marker) is not a token of this tokenizer, so it is spelled in pieces",
                                          "注意：\(marker) 不是这个分词器的词元，因此被拆成多个词元拼出"))
            }
        }
        return TokenizedText(input: input, ids: ids, pieces: ids.map(tok.piece), bytes: bytes, decoded: tok.decode(ids),
                             tokenizerSummary: summary, added: Set(ids.filter { tok.addedTokens.token($0) != nil }),
                             notes: notes)
    }
}
