// SentencePieceProcessor.swift — text ⇄ token ids with a SentencePiece model, exactly as the
// `sentencepiece` library's SentencePieceProcessor (Encode / Decode, no sampling).
//
// Encode:  text ─normalize→ "▁Hello▁world" ─segment (BPE or unigram)→ pieces ─ids→ [Int]
//   • an <unk> piece becomes the UTF-8 bytes <0xXX> of its text when byte_fallback is on;
//     otherwise a run of adjacent <unk> pieces collapses into one <unk>.
// Decode:  ids → pieces → text
//   • control pieces (<s>, </s>) vanish; <unk> prints trainer_spec.unk_surface (" ⁇ ");
//   • runs of byte pieces are joined and read as UTF-8, each malformed byte becoming U+FFFD;
//   • "▁" becomes " "; when add_dummy_prefix (or remove_extra_whitespaces) is set, the "▁" that starts the
//     text is dropped (decode(encode("Hello")) == "Hello", not " Hello");
//   • a denormalizer_spec charsmap, if the model has one, is applied last.
//
// Example with ERNIE-4.5's tokenizer (BPE, byte fallback, no dummy prefix):
//   encode("Hello, world!") == [16276, 93938, 3135, 94018];  decode([30802]) == " Hello"

import Foundation

/// A loaded SentencePiece model that encodes and decodes.
public struct SentencePieceProcessor: Sendable {
    public let model: SentencePieceModel
    public let vocabulary: SentencePieceVocabulary
    public let normalizer: SentencePieceNormalizer
    let denormalizer: SentencePieceNormalizer?
    private let segmenter: Segmenter

    private enum Segmenter: Sendable {
        case bpe(SentencePieceBPE)
        case unigram(SentencePieceUnigram)
    }

    /// Loads a `.model` file.
    public init(contentsOf url: URL) throws {
        try self.init(model: try SentencePieceModel(contentsOf: url), file: url.path)
    }

    /// Prepares a model for encoding. `file` names it in error messages.
    public init(model: SentencePieceModel, file: String = "<memory>") throws {
        self.model = model
        let vocab = try SentencePieceVocabulary(model: model, file: file)
        vocabulary = vocab
        normalizer = try SentencePieceNormalizer(spec: model.normalizerSpec,
                                                 treatWhitespaceAsSuffix: model.trainerSpec.treatWhitespaceAsSuffix,
                                                 userDefined: vocab.userDefined, file: file, field: "ModelProto.normalizer_spec")
        if let d = model.denormalizerSpec, !d.precompiledCharsmap.isEmpty {
            denormalizer = try SentencePieceNormalizer(spec: d, treatWhitespaceAsSuffix: false, userDefined: nil,
                                                       file: file, field: "ModelProto.denormalizer_spec")
        } else {
            denormalizer = nil
        }
        switch model.trainerSpec.modelType {
        case .bpe: segmenter = .bpe(SentencePieceBPE(vocab: vocab))
        case .unigram: segmenter = .unigram(SentencePieceUnigram(vocab: vocab))
        case .word: throw SentencePieceError.unsupportedModelType(file: file, type: "WORD")
        case .char: throw SentencePieceError.unsupportedModelType(file: file, type: "CHAR")
        }
    }

    // MARK: Vocabulary

    /// Number of pieces; valid ids are 0..<vocabSize.
    public var vocabSize: Int { vocabulary.count }
    public func piece(for id: Int) -> String { vocabulary.pieces[id] }
    /// The library's PieceToId: the id of `piece`, or the unk id.
    public func id(for piece: String) -> Int { vocabulary.id(of: piece) }
    public func type(of id: Int) -> SentencePieceModel.PieceType { vocabulary.types[id] }
    public func score(of id: Int) -> Float { vocabulary.scores[id] }

    public var unkId: Int { specialId(model.trainerSpec.unkPiece, "<unk>", .unknown) }
    public var bosId: Int { specialId(model.trainerSpec.bosPiece, "<s>", .control) }
    public var eosId: Int { specialId(model.trainerSpec.eosPiece, "</s>", .control) }
    public var padId: Int { specialId(model.trainerSpec.padPiece, "<pad>", .control) }

    /// Like the library: the id of the named special piece if it has the expected type, else -1.
    private func specialId(_ piece: String, _ fallback: String, _ type: SentencePieceModel.PieceType) -> Int {
        let id = vocabulary.id(of: piece.isEmpty ? fallback : piece)
        return vocabulary.types[id] == type ? id : -1
    }

    // MARK: Encode

    /// Token ids of `text` (no BOS/EOS added, as the library's default).
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        encode(text, into: &ids)
        return ids
    }

    /// Appends the token ids of `text` to `ids`.
    public func encode(_ text: String, into ids: inout [Int]) {
        var t = text
        t.withUTF8 { input in
            var normalized: [UInt8] = []
            var noOffsets: [Int32]? = nil
            normalizer.normalize(input, into: &normalized, normToOrig: &noOffsets)
            var segments: [SentencePieceSegment] = []
            segments.reserveCapacity(normalized.count / 2 + 1)
            normalized.withUnsafeBufferPointer { norm in
                segment(norm, into: &segments)
                appendIds(segments, normalized: norm, into: &ids)
            }
        }
    }

    /// One token of `encodeWithOffsets`: its id, its piece text, and the UTF-8 byte range of the input it
    /// came from (the library's begin/end). Control pieces and all but the last byte piece of a character
    /// have an empty range; a run of <unk> characters (without byte fallback) is one token over the run.
    public struct Token: Equatable, Sendable {
        public var id: Int
        public var piece: String
        public var utf8Range: Range<Int>
    }

    /// Token ids with their source spans in `text`, as the library's EncodeAsImmutableProto.
    public func encodeWithOffsets(_ text: String) -> [Token] {
        var t = text
        var tokens: [Token] = []
        t.withUTF8 { input in
            var normalized: [UInt8] = []
            var offsets: [Int32]? = []
            normalizer.normalize(input, into: &normalized, normToOrig: &offsets)
            let map = offsets ?? []
            var segments: [SentencePieceSegment] = []
            normalized.withUnsafeBufferPointer { norm in
                segment(norm, into: &segments)
                var consumed = 0
                var prevUnknown = false
                for seg in segments {
                    let id = Int(seg.id)
                    let type = vocabulary.types[id]
                    let isUnknown = type == .unknown
                    let pieceText = String(decoding: norm[Int(seg.start)..<Int(seg.start + seg.length)], as: UTF8.self)
                    if type == .control {
                        let at = Int(map[consumed])
                        tokens.append(Token(id: id, piece: pieceText, utf8Range: at..<at))
                        prevUnknown = false
                        continue
                    }
                    let begin = Int(map[consumed]), end = Int(map[consumed + Int(seg.length)])
                    if isUnknown && vocabulary.byteFallback {
                        for k in 0..<Int(seg.length) {
                            let b = norm[Int(seg.start) + k]
                            let last = k == Int(seg.length) - 1
                            tokens.append(Token(id: Int(vocabulary.byteIds[Int(b)]), piece: SentencePieceVocabulary.bytePiece(b),
                                                utf8Range: begin..<(last ? end : begin)))
                        }
                    } else if prevUnknown && isUnknown, let previous = tokens.popLast() {
                        tokens.append(Token(id: previous.id, piece: previous.piece + pieceText,
                                            utf8Range: previous.utf8Range.lowerBound..<end))
                    } else {
                        tokens.append(Token(id: id, piece: pieceText, utf8Range: begin..<end))
                    }
                    consumed += Int(seg.length)
                    prevUnknown = isUnknown
                }
            }
        }
        return tokens
    }

    /// The pieces of `text` as strings (byte pieces as "<0xXX>").
    public func encodeAsPieces(_ text: String) -> [String] {
        encode(text).map { vocabulary.pieces[$0] }
    }

    func segment(_ normalized: UnsafeBufferPointer<UInt8>, into segments: inout [SentencePieceSegment]) {
        switch segmenter {
        case .bpe(let bpe): bpe.segment(normalized, into: &segments)
        case .unigram(let uni): uni.segment(normalized, into: &segments)
        }
    }

    /// The library's PopulateSentencePieceText, ids only.
    private func appendIds(_ segments: [SentencePieceSegment], normalized: UnsafeBufferPointer<UInt8>, into ids: inout [Int]) {
        let types = vocabulary.types
        var prevUnknown = false
        for seg in segments {
            let id = Int(seg.id)
            let type = types[id]
            let isUnknown = type == .unknown
            if type == .control {
                ids.append(id)
            } else if isUnknown && vocabulary.byteFallback {
                for k in Int(seg.start)..<Int(seg.start + seg.length) {
                    ids.append(Int(vocabulary.byteIds[Int(normalized[k])]))
                }
            } else if !(prevUnknown && isUnknown) {
                ids.append(id)
            }
            prevUnknown = isUnknown
        }
    }

    // MARK: Decode

    /// The text of `ids`, as the library's DecodeIds.
    /// - Throws: `SentencePieceError.idOutOfRange` for an id outside 0..<vocabSize.
    public func decode(_ ids: [Int]) throws -> String {
        let n = vocabulary.count
        for id in ids where id < 0 || id >= n { throw SentencePieceError.idOutOfRange(id: id, vocabSize: n) }
        let types = vocabulary.types
        let dummyPrefixRule = model.normalizerSpec.addDummyPrefix || model.normalizerSpec.removeExtraWhitespaces
        let removeExtra = model.normalizerSpec.removeExtraWhitespaces
        let unkSurface = Array(model.trainerSpec.unkSurface.utf8)
        var text: [UInt8] = []
        text.reserveCapacity(ids.count * 4)
        var bytes: [UInt8] = []          // the pending run of byte pieces
        var isBosWhitespace = true       // still at the start, where one leading "▁" may be dropped
        var bosWhitespaceSeen = false

        func flushBytes() {
            guard !bytes.isEmpty else { return }
            bytes.withUnsafeBufferPointer { b in
                var i = 0
                while i < b.count {
                    if let len = SentencePieceUTF8.validLength(b, i, b.count) {
                        text.append(contentsOf: b[i..<(i + len)])
                        i += len
                    } else {
                        text.append(contentsOf: SentencePieceUTF8.replacement)
                        i += 1
                    }
                }
            }
            bytes.removeAll(keepingCapacity: true)
        }

        for rawId in ids {
            // The library maps id → piece → id, so a piece shadowed by a reserved piece reads as that one.
            let piece = vocabulary.pieceBytes[rawId]
            let id = piece.withUnsafeBufferPointer { Int(vocabulary.id(of: $0, 0..<$0.count)) }
            let type = types[id]
            if type == .byte {
                bytes.append(SentencePieceVocabulary.byteValue(of: vocabulary.pieces[id]) ?? 0)
                continue
            }
            flushBytes()
            if bosWhitespaceSeen || !text.isEmpty { isBosWhitespace = false }
            switch type {
            case .control:
                bosWhitespaceSeen = false
            case .unknown:
                text.append(contentsOf: vocabulary.pieceBytes[id] == piece ? unkSurface : piece)
                bosWhitespaceSeen = false
            default:
                var start = 0
                var consumedBos = false
                if isBosWhitespace && dummyPrefixRule && piece.starts(with: SentencePieceUTF8.spaceSymbol) {
                    start = 3
                    consumedBos = !removeExtra
                }
                bosWhitespaceSeen = consumedBos
                var k = start
                while k < piece.count {
                    if k + 2 < piece.count && piece[k] == 0xE2 && piece[k + 1] == 0x96 && piece[k + 2] == 0x81 {
                        text.append(0x20)
                        k += 3
                    } else {
                        text.append(piece[k])
                        k += 1
                    }
                }
            }
        }
        flushBytes()

        if let d = denormalizer {
            var out: [UInt8] = []
            var noOffsets: [Int32]? = nil
            text.withUnsafeBufferPointer { d.normalize($0, into: &out, normToOrig: &noOffsets) }
            text = out
        }
        return String(decoding: text, as: UTF8.self)
    }
}
