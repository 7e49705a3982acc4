// Tokenizer — the small protocol every tokenizer of the lab speaks: text → ids → text.
//
// Lessons swap tokenizers freely (characters for Chinese n-grams, words for English, SentencePiece BPE for ERNIE),
// so every explorer that shows "where the text splits" is written against this protocol only. A tokenizer is also a
// LabCore `Vocabulary`, so a model can hand its tokenizer to decoders as its vocabulary.
import LabCore

/// Turns text into token ids and back.
///
/// `encode` never fails: text the vocabulary cannot spell becomes `<unk>` (or UTF-8 byte pieces when the model has
/// byte fallback). `decode` never traps on a bad id; an id outside the vocabulary reads as a visible placeholder.
public protocol Tokenizer: Vocabulary {
    /// The ids of `text`, with nothing added at either end (no BOS/EOS unless the tokenizer's own settings ask).
    func encode(_ text: String) -> [Int]
    /// The text of `ids`, special tokens included as their text.
    func decode(_ ids: [Int]) -> String
    /// The id of a piece spelled exactly `piece`, or nil.
    func id(of piece: String) -> Int?
}

extension Tokenizer {
    /// The pieces of `text` as the tokenizer sees them (`piece(_:)` of every id of `encode(text)`).
    public func pieces(_ text: String) -> [String] { encode(text).map(piece) }
}
