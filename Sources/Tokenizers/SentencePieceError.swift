// SentencePieceError.swift — what can go wrong loading or running a SentencePiece model.
// Malformed bytes (truncation, wrong wire type) are reported as `ProtobufError` by the wire reader;
// these are the errors about a well-formed file whose contents we cannot use.

import LabCore

/// Errors of the SentencePiece tokenizer. Every message names the file, the field and what to do.
public enum SentencePieceError: Error, Equatable, CustomStringConvertible {
    case cannotRead(file: String, reason: String)
    /// A FIFO, a device, a folder… stands where the file goes (`found` says which: "a character device").
    case notRegularFile(file: String, found: String)
    case cannotWrite(file: String, reason: String)
    /// A field holds a value outside its declared range (an unknown enum value, …).
    case invalidField(file: String, field: String, reason: String)
    /// The vocabulary breaks an invariant the library also enforces (duplicate piece, no `<unk>`, …).
    case invalidModel(file: String, field: String, reason: String)
    /// A piece longer than `TokenLimit.maxBytes`: `index` in ModelProto.pieces, `bytes` its UTF-8 length.
    case pieceTooLong(file: String, index: Int, piece: String, bytes: Int)
    /// A normalizer this implementation cannot reproduce exactly.
    case unsupportedNormalizer(file: String, name: String, reason: String)
    /// A file that parses but stops where a real one goes on: no pieces, or no trainer_spec after them (a download
    /// cut at a piece boundary parses cleanly; without trainer_spec the model type would default to UNIGRAM).
    case truncated(file: String, bytes: Int, pieces: Int, missing: String)
    /// WORD and CHAR models are not implemented.
    case unsupportedModelType(file: String, type: String)
    /// `decode` was given an id outside `0..<vocabSize`.
    case idOutOfRange(id: Int, vocabSize: Int)

    /// The message, with any control character a stranger's file put in a piece or a name shown escaped.
    public var description: String { VisibleText.escapingControls(message, keepingNewlines: true) }

    private var message: String {
        switch self {
        case let .cannotRead(file, reason):
            return "\(file): cannot read the SentencePiece model: \(reason). HINT: check the path and permissions."
        case let .notRegularFile(file, found):
            return "\(file): is \(found), not a regular file. HINT: put the real tokenizer.model there (a plain "
                + "file: download the model again, or copy the file in)."
        case let .cannotWrite(file, reason):
            return "\(file): cannot write the SentencePiece model: \(reason). HINT: check the directory exists and is writable."
        case let .invalidField(file, field, reason):
            return "\(file): field \(field) is invalid: \(reason). HINT: the file is corrupt or from a newer sentencepiece."
        case let .invalidModel(file, field, reason):
            return "\(file): \(field): \(reason). HINT: the sentencepiece library rejects this model too; re-export it."
        case let .pieceTooLong(file, index, piece, bytes):
            return "\(file): ModelProto.pieces[\(index)] is \(bytes) bytes long, over the limit of "
                + "\(TokenLimit.maxBytes): \(VisibleText.quoted(piece)). HINT: pieces are short (spm_train makes "
                + "them at most 16 characters by default; user-defined ones are markers such as <|LOC_5|>); this "
                + "file is damaged or made to slow the tokenizer down: use the model's own tokenizer.model, or "
                + "remove the piece and re-export it."
        case let .truncated(file, bytes, pieces, missing):
            return "\(file): \(missing) is missing: the file (\(bytes) bytes) ends after \(pieces) pieces, where every "
                + "file sentencepiece writes goes on. HINT: the file is truncated (an interrupted download or copy?); "
                + "download tokenizer.model again."
        case let .unsupportedNormalizer(file, name, reason):
            return "\(file): normalizer_spec.name \(VisibleText.quoted(name)) is not supported: \(reason). "
                + "HINT: re-train or re-export the model so normalizer_spec carries a precompiled_charsmap (or use \"identity\")."
        case let .unsupportedModelType(file, type):
            return "\(file): trainer_spec.model_type \(type) is not supported (only BPE and UNIGRAM). "
                + "HINT: train the model with --model_type=bpe or unigram."
        case let .idOutOfRange(id, vocabSize):
            return "token id \(id) is out of range 0..<\(vocabSize). HINT: the ids come from a different vocabulary."
        }
    }
}
