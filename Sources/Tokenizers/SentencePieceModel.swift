// SentencePieceModel.swift — the contents of a SentencePiece `.model` file as a Swift value.
//
// The file is a serialized `sentencepiece.ModelProto` (google/sentencepiece, src/sentencepiece_model.proto):
//
//   ModelProto
//     1  pieces            repeated SentencePiece { 1 piece: string, 2 score: float, 3 type: Type = NORMAL }
//     2  trainer_spec      TrainerSpec     — how the model was trained; a few fields steer encoding
//     3  normalizer_spec   NormalizerSpec  — how text is normalized before encoding
//     4  self_test_data    SelfTestData    — sample (input, expected) pairs
//     5  denormalizer_spec NormalizerSpec  — optional rewrite applied after decoding
//
// The id of a piece is its index in `pieces`. Reading and writing go through `ProtobufWire.swift`; each message's
// field numbers and proto names are in one table (`SentencePieceFields.swift`). Fields are declared with the
// proto's defaults. The reader records which fields were present; the writer emits a field when it was present or
// differs from its default, in field-number order, with unknown fields kept verbatim at the end of their message —
// so reading and writing a library-made file gives the same bytes.

import Foundation
import LabCore

/// One `.model` file: the vocabulary with scores and types, plus the trainer and normalizer settings.
///
/// ```swift
/// let model = try SentencePieceModel(contentsOf: URL(fileURLWithPath: "tokenizer.model"))
/// model.pieces[1720].piece   // "This"
/// ```
public struct SentencePieceModel: Equatable, Sendable {
    /// The most bytes a `.model` file is read to: ERNIE's is 1.6 MB, the largest sentencepiece models some tens of MB.
    public static let maxFileBytes = 256 << 20

    /// Piece types (`ModelProto.SentencePiece.Type`).
    public enum PieceType: Int32, Sendable, CaseIterable {
        /// An ordinary vocabulary piece, produced by the segmentation algorithm.
        case normal = 1
        /// The unknown piece `<unk>`; exactly one per model.
        case unknown = 2
        /// Control symbols (`<s>`, `</s>`): never produced from text, decoded to nothing.
        case control = 3
        /// User-defined symbols: always kept whole when they appear in text.
        case userDefined = 4
        /// In the vocabulary but never emitted; an UNUSED piece is re-split into its parts.
        case unused = 5
        /// `<0x00>`…`<0xFF>`: the UTF-8 bytes of characters not in the vocabulary (byte fallback).
        case byte = 6
    }

    /// `ModelProto.SentencePiece`.
    public struct Piece: Equatable, Sendable {
        public var piece: String
        /// Unigram: log-probability. BPE: merge priority (higher merges first; ≈ −merge rank).
        public var score: Float
        public var type: PieceType
        public var unknownFields: [ProtobufUnknownField] = []
        /// Bit n set: field n was in the file (proto2 presence), so the writer emits it even at its default.
        public var fieldsPresent: UInt64 = 0

        public init(piece: String, score: Float, type: PieceType = .normal) {
            self.piece = piece
            self.score = score
            self.type = type
        }
    }

    /// `TrainerSpec.ModelType`.
    public enum ModelType: Int32, Sendable {
        case unigram = 1, bpe = 2, word = 3, char = 4
    }

    /// `TrainerSpec`: the training options. At encode time only `modelType`, `byteFallback`,
    /// `treatWhitespaceAsSuffix`, the special pieces and `unkSurface` matter; the rest is kept for display
    /// and for writing the file back. Field numbers and proto names: `TrainerSpec.fields`.
    public struct TrainerSpec: Equatable, Sendable {
        public var input: [String] = []
        public var inputFormat: String = ""
        public var modelPrefix: String = ""
        public var modelType: ModelType = .unigram
        public var vocabSize: Int32 = 8000
        public var acceptLanguage: [String] = []
        public var selfTestSampleSize: Int32 = 0
        public var enableDifferentialPrivacy = false
        public var differentialPrivacyNoiseLevel: Float = 0
        public var differentialPrivacyClippingThreshold: UInt64 = 0
        public var characterCoverage: Float = 0.9995
        public var inputSentenceSize: UInt64 = 0
        public var shuffleInputSentence = true
        public var miningSentenceSize: Int32 = 0  // deprecated
        public var trainingSentenceSize: Int32 = 0  // deprecated
        public var seedSentencepieceSize: Int32 = 1_000_000
        public var shrinkingFactor: Float = 0.75
        public var maxSentenceLength: Int32 = 4192
        public var numThreads: Int32 = 16
        public var numSubIterations: Int32 = 2
        public var maxSentencepieceLength: Int32 = 16
        public var splitByUnicodeScript = true
        public var splitByNumber = true
        public var splitByWhitespace = true
        public var treatWhitespaceAsSuffix = false
        public var allowWhitespaceOnlyPieces = false
        public var splitDigits = false
        public var pretokenizationDelimiter: String = ""
        public var controlSymbols: [String] = []
        public var userDefinedSymbols: [String] = []
        public var requiredChars: String = ""
        public var byteFallback = false
        public var vocabularyOutputPieceScore = true
        public var hardVocabLimit = true
        public var useAllVocab = false
        public var unkId: Int32 = 0
        public var bosId: Int32 = 1
        public var eosId: Int32 = 2
        public var padId: Int32 = -1
        public var unkPiece: String = "<unk>"
        public var bosPiece: String = "<s>"
        public var eosPiece: String = "</s>"
        public var padPiece: String = "<pad>"
        /// What decoding prints for `<unk>`: " ⁇ " by default.
        public var unkSurface: String = " \u{2047} "
        public var trainExtremelyLargeCorpus = false
        public var seedSentencepiecesFile: String = ""
        public var unknownFields: [ProtobufUnknownField] = []
        /// Bit n set: field n was in the file (proto2 presence), so the writer emits it even at its default.
        public var fieldsPresent: UInt64 = 0

        public init() {}
    }

    /// `NormalizerSpec`: how raw text becomes the string the segmenter sees.
    public struct NormalizerSpec: Equatable, Sendable {
        /// "nmt_nfkc" (the trainer's default), "nfkc", "identity", "user_defined", …
        public var name: String = ""
        /// A compiled rule table: a Darts double-array trie plus a blob of replacement strings
        /// (see `PrecompiledCharsMap.swift`). Empty for "identity".
        public var precompiledCharsmap: [UInt8] = []
        /// Prepend "▁" so a word at the start of text looks like one after a space.
        public var addDummyPrefix = true
        /// Strip leading/trailing spaces and squeeze runs of spaces to one.
        public var removeExtraWhitespaces = true
        /// Replace " " by "▁" (U+2581) so pieces can carry spaces.
        public var escapeWhitespaces = true
        /// The source rules of a user-defined normalizer (only informative: the charsmap is what runs).
        public var normalizationRuleTSV: String = ""
        public var unknownFields: [ProtobufUnknownField] = []
        /// Bit n set: field n was in the file (proto2 presence), so the writer emits it even at its default.
        public var fieldsPresent: UInt64 = 0

        public init() {}
    }

    /// `SelfTestData.Sample`.
    public struct SelfTestSample: Equatable, Sendable {
        public var input: String
        public var expected: String
    }

    public var pieces: [Piece] = []
    public var trainerSpec = TrainerSpec()
    public var normalizerSpec = NormalizerSpec()
    public var selfTestSamples: [SelfTestSample] = []
    /// Present only when the file has field 5.
    public var denormalizerSpec: NormalizerSpec?
    public var unknownFields: [ProtobufUnknownField] = []
    /// Bit n set: field n was in the file, so the writer emits it even when empty.
    public var fieldsPresent: UInt64 = 0

    public init() {}
}

// MARK: - Reading

extension SentencePieceModel {
    /// Reads a `.model` file. Errors name the file and the field (`ModelProto.pieces[12].score`). A file must
    /// hold pieces and, after them, trainer_spec, as every file the library writes does: a file cut at a piece
    /// boundary parses cleanly and would otherwise load as a smaller (UNIGRAM) model.
    /// - Throws: `SentencePieceError` (`.truncated` for such a file), `ProtobufError` for malformed bytes.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try readRegularFile(url, limit: Self.maxFileBytes) } catch {
            if case .notRegularFile(let found) = error {
                throw SentencePieceError.notRegularFile(file: url.path, found: found)
            }
            throw SentencePieceError.cannotRead(file: url.path, reason: error.reason)
        }
        try self.init(serialized: [UInt8](data), source: url.path)
        for (field, name) in [(1, "ModelProto.pieces"), (2, "ModelProto.trainer_spec")]
        where fieldsPresent & Self.bit(field) == 0 {
            throw SentencePieceError.truncated(file: url.path, bytes: data.count, pieces: pieces.count, missing: name)
        }
    }

    /// Parses serialized ModelProto bytes; `source` names them in error messages.
    public init(serialized bytes: [UInt8], source: String = "<memory>") throws {
        var reader = ProtobufReader(bytes: bytes, source: source, path: "ModelProto")
        self.init()
        try Self.readFields(&reader, into: &self) { model, key, reader in
            switch key.number {
            case 1:
                var sub = try reader.readMessage(key, "pieces[\(model.pieces.count)]")
                model.pieces.append(try Self.readPiece(&sub))
            case 2:
                var sub = try reader.readMessage(key, "trainer_spec")
                model.trainerSpec = try Self.read(&sub)
            case 3:
                var sub = try reader.readMessage(key, "normalizer_spec")
                model.normalizerSpec = try Self.read(&sub)
            case 4:
                var sub = try reader.readMessage(key, "self_test_data")
                while let k = try sub.nextKey() {
                    if k.number == 1 {
                        var s = try sub.readMessage(k, "samples[\(model.selfTestSamples.count)]")
                        var sample = SelfTestSample(input: "", expected: "")
                        while let sk = try s.nextKey() {
                            switch sk.number {
                            case 1: sample.input = try s.readString(sk, "input")
                            case 2: sample.expected = try s.readString(sk, "expected")
                            default: _ = try s.skip(sk)
                            }
                        }
                        model.selfTestSamples.append(sample)
                    } else {
                        _ = try sub.skip(k)
                    }
                }
            case 5:
                var sub = try reader.readMessage(key, "denormalizer_spec")
                model.denormalizerSpec = try Self.read(&sub) as NormalizerSpec
            default: return false
            }
            return true
        }
    }

    /// A piece is read once per vocabulary entry (103k for ERNIE's tokenizer), so it has its own switch: reading
    /// 103k pieces through the field table took 230 ms against 80 ms with this switch (-O).
    static func readPiece(_ r: inout ProtobufReader) throws -> Piece {
        var piece = Piece(piece: "", score: 0)
        try readFields(&r, into: &piece) { piece, key, r in
            switch key.number {
            case 1: piece.piece = try r.readString(key, "piece")
            case 2: piece.score = try r.readFloat(key, "score")
            case 3:
                let raw = try r.readInt32(key, "type")
                guard let t = PieceType(rawValue: raw) else {
                    throw SentencePieceError.invalidField(file: r.source, field: "\(r.path).type",
                                                          reason: "unknown piece type \(raw) (valid: 1…6)")
                }
                piece.type = t
            default: return false
            }
            return true
        }
        return piece
    }

    @inline(__always) static func bit(_ number: Int) -> UInt64 { number < 64 ? 1 << UInt64(number) : 0 }

    /// Reads every field of one message into `message` the proto2 way: each field read is marked present
    /// (`fieldsPresent`), `field` reads the ones the message knows and returns false for any other, which is kept
    /// verbatim in `unknownFields` so writing the message back gives the same bytes.
    static func readFields<M: SentencePieceMessage>(_ r: inout ProtobufReader, into message: inout M,
                                                    _ field: (inout M, ProtobufReader.Key, inout ProtobufReader) throws -> Bool) throws {
        while let key = try r.nextKey() {
            message.fieldsPresent |= bit(key.number)
            if try !field(&message, key, &r) { message.unknownFields.append(try r.skip(key)) }
        }
    }
}

/// A message of the `.model` file as read: which of its fields were present, and the fields it does not know.
protocol SentencePieceMessage {
    var fieldsPresent: UInt64 { get set }
    var unknownFields: [ProtobufUnknownField] { get set }
}

extension SentencePieceModel: SentencePieceMessage {}
extension SentencePieceModel.Piece: SentencePieceMessage {}
extension SentencePieceModel.TrainerSpec: SentencePieceMessage {}
extension SentencePieceModel.NormalizerSpec: SentencePieceMessage {}
