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
// The id of a piece is its index in `pieces`. Reading and writing go through `ProtobufWire.swift`.
// Fields are declared with the proto's defaults. The reader records which fields were present; the writer
// emits a field when it was present or differs from its default, in field-number order, with unknown fields
// kept verbatim at the end of their message — so reading and writing a library-made file gives the same bytes.

import Foundation

/// One `.model` file: the vocabulary with scores and types, plus the trainer and normalizer settings.
///
/// ```swift
/// let model = try SentencePieceModel(contentsOf: URL(fileURLWithPath: "tokenizer.model"))
/// model.pieces[1720].piece   // "This"
/// ```
public struct SentencePieceModel: Equatable, Sendable {
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
    /// and for writing the file back.
    public struct TrainerSpec: Equatable, Sendable {
        public var input: [String] = []                              // 1
        public var inputFormat: String = ""                           // 7
        public var modelPrefix: String = ""                           // 2
        public var modelType: ModelType = .unigram                    // 3
        public var vocabSize: Int32 = 8000                            // 4
        public var acceptLanguage: [String] = []                      // 5
        public var selfTestSampleSize: Int32 = 0                      // 6
        public var enableDifferentialPrivacy = false                  // 50
        public var differentialPrivacyNoiseLevel: Float = 0           // 51
        public var differentialPrivacyClippingThreshold: UInt64 = 0   // 52
        public var characterCoverage: Float = 0.9995                  // 10
        public var inputSentenceSize: UInt64 = 0                      // 11
        public var shuffleInputSentence = true                        // 19
        public var miningSentenceSize: Int32 = 0                      // 12 (deprecated)
        public var trainingSentenceSize: Int32 = 0                    // 13 (deprecated)
        public var seedSentencepieceSize: Int32 = 1_000_000           // 14
        public var shrinkingFactor: Float = 0.75                      // 15
        public var maxSentenceLength: Int32 = 4192                    // 18
        public var numThreads: Int32 = 16                             // 16
        public var numSubIterations: Int32 = 2                        // 17
        public var maxSentencepieceLength: Int32 = 16                 // 20
        public var splitByUnicodeScript = true                        // 21
        public var splitByNumber = true                               // 23
        public var splitByWhitespace = true                           // 22
        public var treatWhitespaceAsSuffix = false                    // 24
        public var allowWhitespaceOnlyPieces = false                  // 26
        public var splitDigits = false                                // 25
        public var pretokenizationDelimiter: String = ""              // 53
        public var controlSymbols: [String] = []                      // 30
        public var userDefinedSymbols: [String] = []                  // 31
        public var requiredChars: String = ""                         // 36
        public var byteFallback = false                               // 35
        public var vocabularyOutputPieceScore = true                  // 32
        public var hardVocabLimit = true                              // 33
        public var useAllVocab = false                                // 34
        public var unkId: Int32 = 0                                   // 40
        public var bosId: Int32 = 1                                   // 41
        public var eosId: Int32 = 2                                   // 42
        public var padId: Int32 = -1                                  // 43
        public var unkPiece: String = "<unk>"                         // 45
        public var bosPiece: String = "<s>"                           // 46
        public var eosPiece: String = "</s>"                          // 47
        public var padPiece: String = "<pad>"                         // 48
        /// What decoding prints for `<unk>`: " ⁇ " by default.
        public var unkSurface: String = " \u{2047} "                  // 44
        public var trainExtremelyLargeCorpus = false                  // 49
        public var seedSentencepiecesFile: String = ""                // 54
        public var unknownFields: [ProtobufUnknownField] = []
        /// Bit n set: field n was in the file (proto2 presence), so the writer emits it even at its default.
        public var fieldsPresent: UInt64 = 0

        public init() {}
    }

    /// `NormalizerSpec`: how raw text becomes the string the segmenter sees.
    public struct NormalizerSpec: Equatable, Sendable {
        /// "nmt_nfkc" (the trainer's default), "nfkc", "identity", "user_defined", …
        public var name: String = ""                                  // 1
        /// A compiled rule table: a Darts double-array trie plus a blob of replacement strings
        /// (see `PrecompiledCharsMap.swift`). Empty for "identity".
        public var precompiledCharsmap: [UInt8] = []                  // 2
        /// Prepend "▁" so a word at the start of text looks like one after a space.
        public var addDummyPrefix = true                              // 3
        /// Strip leading/trailing spaces and squeeze runs of spaces to one.
        public var removeExtraWhitespaces = true                      // 4
        /// Replace " " by "▁" (U+2581) so pieces can carry spaces.
        public var escapeWhitespaces = true                           // 5
        /// The source rules of a user-defined normalizer (only informative: the charsmap is what runs).
        public var normalizationRuleTSV: String = ""                  // 6
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
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw SentencePieceError.cannotRead(file: url.path, reason: "\(error.localizedDescription)")
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
                model.trainerSpec = try Self.readTrainerSpec(&sub)
            case 3:
                var sub = try reader.readMessage(key, "normalizer_spec")
                model.normalizerSpec = try Self.readNormalizerSpec(&sub)
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
                model.denormalizerSpec = try Self.readNormalizerSpec(&sub)
            default: return false
            }
            return true
        }
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

    static func readNormalizerSpec(_ r: inout ProtobufReader) throws -> NormalizerSpec {
        var spec = NormalizerSpec()
        try readFields(&r, into: &spec) { s, key, r in
            switch key.number {
            case 1: s.name = try r.readString(key, "name")
            case 2: s.precompiledCharsmap = try r.readBytes(key, "precompiled_charsmap")
            case 3: s.addDummyPrefix = try r.readBool(key, "add_dummy_prefix")
            case 4: s.removeExtraWhitespaces = try r.readBool(key, "remove_extra_whitespaces")
            case 5: s.escapeWhitespaces = try r.readBool(key, "escape_whitespaces")
            case 6: s.normalizationRuleTSV = try r.readString(key, "normalization_rule_tsv")
            default: return false
            }
            return true
        }
        return spec
    }

    static func readTrainerSpec(_ r: inout ProtobufReader) throws -> TrainerSpec {
        var spec = TrainerSpec()
        try readFields(&r, into: &spec) { s, key, r in
            switch key.number {
            case 1: s.input.append(try r.readString(key, "input"))
            case 7: s.inputFormat = try r.readString(key, "input_format")
            case 2: s.modelPrefix = try r.readString(key, "model_prefix")
            case 3:
                let raw = try r.readInt32(key, "model_type")
                guard let t = ModelType(rawValue: raw) else {
                    throw SentencePieceError.invalidField(file: r.source, field: "\(r.path).model_type",
                                                          reason: "unknown model type \(raw) (valid: 1 UNIGRAM, 2 BPE, 3 WORD, 4 CHAR)")
                }
                s.modelType = t
            case 4: s.vocabSize = try r.readInt32(key, "vocab_size")
            case 5: s.acceptLanguage.append(try r.readString(key, "accept_language"))
            case 6: s.selfTestSampleSize = try r.readInt32(key, "self_test_sample_size")
            case 50: s.enableDifferentialPrivacy = try r.readBool(key, "enable_differential_privacy")
            case 51: s.differentialPrivacyNoiseLevel = try r.readFloat(key, "differential_privacy_noise_level")
            case 52: s.differentialPrivacyClippingThreshold = try r.readUInt64(key, "differential_privacy_clipping_threshold")
            case 10: s.characterCoverage = try r.readFloat(key, "character_coverage")
            case 11: s.inputSentenceSize = try r.readUInt64(key, "input_sentence_size")
            case 19: s.shuffleInputSentence = try r.readBool(key, "shuffle_input_sentence")
            case 12: s.miningSentenceSize = try r.readInt32(key, "mining_sentence_size")
            case 13: s.trainingSentenceSize = try r.readInt32(key, "training_sentence_size")
            case 14: s.seedSentencepieceSize = try r.readInt32(key, "seed_sentencepiece_size")
            case 15: s.shrinkingFactor = try r.readFloat(key, "shrinking_factor")
            case 18: s.maxSentenceLength = try r.readInt32(key, "max_sentence_length")
            case 16: s.numThreads = try r.readInt32(key, "num_threads")
            case 17: s.numSubIterations = try r.readInt32(key, "num_sub_iterations")
            case 20: s.maxSentencepieceLength = try r.readInt32(key, "max_sentencepiece_length")
            case 21: s.splitByUnicodeScript = try r.readBool(key, "split_by_unicode_script")
            case 23: s.splitByNumber = try r.readBool(key, "split_by_number")
            case 22: s.splitByWhitespace = try r.readBool(key, "split_by_whitespace")
            case 24: s.treatWhitespaceAsSuffix = try r.readBool(key, "treat_whitespace_as_suffix")
            case 26: s.allowWhitespaceOnlyPieces = try r.readBool(key, "allow_whitespace_only_pieces")
            case 25: s.splitDigits = try r.readBool(key, "split_digits")
            case 53: s.pretokenizationDelimiter = try r.readString(key, "pretokenization_delimiter")
            case 30: s.controlSymbols.append(try r.readString(key, "control_symbols"))
            case 31: s.userDefinedSymbols.append(try r.readString(key, "user_defined_symbols"))
            case 36: s.requiredChars = try r.readString(key, "required_chars")
            case 35: s.byteFallback = try r.readBool(key, "byte_fallback")
            case 32: s.vocabularyOutputPieceScore = try r.readBool(key, "vocabulary_output_piece_score")
            case 33: s.hardVocabLimit = try r.readBool(key, "hard_vocab_limit")
            case 34: s.useAllVocab = try r.readBool(key, "use_all_vocab")
            case 40: s.unkId = try r.readInt32(key, "unk_id")
            case 41: s.bosId = try r.readInt32(key, "bos_id")
            case 42: s.eosId = try r.readInt32(key, "eos_id")
            case 43: s.padId = try r.readInt32(key, "pad_id")
            case 45: s.unkPiece = try r.readString(key, "unk_piece")
            case 46: s.bosPiece = try r.readString(key, "bos_piece")
            case 47: s.eosPiece = try r.readString(key, "eos_piece")
            case 48: s.padPiece = try r.readString(key, "pad_piece")
            case 44: s.unkSurface = try r.readString(key, "unk_surface")
            case 49: s.trainExtremelyLargeCorpus = try r.readBool(key, "train_extremely_large_corpus")
            case 54: s.seedSentencepiecesFile = try r.readString(key, "seed_sentencepieces_file")
            default: return false
            }
            return true
        }
        return spec
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
