// SentencePieceFields — the fields of TrainerSpec and NormalizerSpec as tables: each field's number and name in
// sentencepiece_model.proto and the Swift property that holds it. One table per message drives both reading
// (SentencePieceModel.swift) and writing (SentencePieceModelWriting.swift), so a field is named in one place.
// (A SentencePiece, read once per vocabulary entry, keeps its own faster switch: `readPiece`.)

/// One field of a message: its number, its proto name (used in error messages) and its Swift property.
enum SentencePieceField<M> {
    case string(Int, String, WritableKeyPath<M, String>)
    /// A repeated string: every occurrence is appended on reading and written in order.
    case strings(Int, String, WritableKeyPath<M, [String]>)
    case bytes(Int, String, WritableKeyPath<M, [UInt8]>)
    case bool(Int, String, WritableKeyPath<M, Bool>)
    case int32(Int, String, WritableKeyPath<M, Int32>)
    case uint64(Int, String, WritableKeyPath<M, UInt64>)
    case float(Int, String, WritableKeyPath<M, Float>)
    /// A proto enum by its Int32 value; `set` returns false for a value the enum lacks (made by `enumeration`).
    case enumRaw(Int, String, get: (M) -> Int32, set: (inout M, Int32) -> Bool, what: String, valid: String)

    /// A proto enum field held in a Swift enum; any other value is an error "unknown `what` 9 (valid: `valid`)".
    static func enumeration<E: RawRepresentable>(_ number: Int, _ name: String, _ property: WritableKeyPath<M, E>,
                                                 what: String, valid: String) -> Self where E.RawValue == Int32 {
        .enumRaw(number, name, get: { $0[keyPath: property].rawValue }, set: { message, raw in
            guard let value = E(rawValue: raw) else { return false }
            message[keyPath: property] = value
            return true
        }, what: what, valid: valid)
    }

    /// The field's number and proto name.
    var label: (number: Int, name: String) {
        switch self {
        case .string(let n, let s, _), .strings(let n, let s, _), .bytes(let n, let s, _), .bool(let n, let s, _),
             .int32(let n, let s, _), .uint64(let n, let s, _), .float(let n, let s, _), .enumRaw(let n, let s, _, _, _, _):
            return (n, s)
        }
    }

    var number: Int { label.number }
}

/// A message read and written through its table of fields.
protocol SentencePieceTableMessage: SentencePieceMessage {
    /// Every field the message knows, in field-number order (the order protobuf serializers write).
    static var fields: [SentencePieceField<Self>] { get }
    /// Every field at its proto default: a field that equals it and was absent from the file is not written.
    static var protoDefault: Self { get }
}

extension SentencePieceModel {
    /// Reads one message by its table; fields the table lacks are kept in `unknownFields`.
    static func read<M: SentencePieceTableMessage>(_ r: inout ProtobufReader) throws -> M {
        var message = M.protoDefault
        let fields = M.fields
        try readFields(&r, into: &message) { m, key, r in
            guard let field = fields.first(where: { $0.number == key.number }) else { return false }
            switch field {
            case .string(_, let name, let p): m[keyPath: p] = try r.readString(key, name)
            case .strings(_, let name, let p): m[keyPath: p].append(try r.readString(key, name))
            case .bytes(_, let name, let p): m[keyPath: p] = try r.readBytes(key, name)
            case .bool(_, let name, let p): m[keyPath: p] = try r.readBool(key, name)
            case .int32(_, let name, let p): m[keyPath: p] = try r.readInt32(key, name)
            case .uint64(_, let name, let p): m[keyPath: p] = try r.readUInt64(key, name)
            case .float(_, let name, let p): m[keyPath: p] = try r.readFloat(key, name)
            case .enumRaw(_, let name, _, let set, let what, let valid):
                let raw = try r.readInt32(key, name)
                guard set(&m, raw) else {
                    throw SentencePieceError.invalidField(file: r.source, field: "\(r.path).\(name)",
                                                          reason: "unknown \(what) \(raw) (valid: \(valid))")
                }
            }
            return true
        }
        return message
    }

    /// Writes one message by its table: a field when it was present in the file or differs from its default,
    /// in field-number order, then the unknown fields verbatim.
    static func write<M: SentencePieceTableMessage>(_ m: M) -> ProtobufWriter {
        var w = ProtobufWriter()
        let d = M.protoDefault
        for field in M.fields {
            let present = m.fieldsPresent & bit(field.number) != 0
            func keep<V: Equatable>(_ p: KeyPath<M, V>) -> Bool { present || m[keyPath: p] != d[keyPath: p] }
            switch field {
            case .string(let n, _, let p): if keep(p) { w.writeString(n, m[keyPath: p]) }
            case .strings(let n, _, let p): for v in m[keyPath: p] { w.writeString(n, v) }
            case .bytes(let n, _, let p): if keep(p) { w.writeBytes(n, m[keyPath: p]) }
            case .bool(let n, _, let p): if keep(p) { w.writeBool(n, m[keyPath: p]) }
            case .int32(let n, _, let p): if keep(p) { w.writeInt32(n, m[keyPath: p]) }
            case .uint64(let n, _, let p): if keep(p) { w.writeUInt64(n, m[keyPath: p]) }
            // -0.0 == 0.0, but a file holding -0.0 must keep it: compare the bits.
            case .float(let n, _, let p): if present || m[keyPath: p].bitPattern != d[keyPath: p].bitPattern { w.writeFloat(n, m[keyPath: p]) }
            case .enumRaw(let n, _, let get, _, _, _): if present || get(m) != get(d) { w.writeInt32(n, get(m)) }
            }
        }
        w.writeUnknown(m.unknownFields)
        return w
    }
}

extension SentencePieceModel.NormalizerSpec: SentencePieceTableMessage {
    static let protoDefault = Self()
    static let fields: [SentencePieceField<Self>] = [
        .string(1, "name", \.name),
        .bytes(2, "precompiled_charsmap", \.precompiledCharsmap),
        .bool(3, "add_dummy_prefix", \.addDummyPrefix),
        .bool(4, "remove_extra_whitespaces", \.removeExtraWhitespaces),
        .bool(5, "escape_whitespaces", \.escapeWhitespaces),
        .string(6, "normalization_rule_tsv", \.normalizationRuleTSV),
    ]
}

extension SentencePieceModel.TrainerSpec: SentencePieceTableMessage {
    static let protoDefault = Self()
    static let fields: [SentencePieceField<Self>] = [
        .strings(1, "input", \.input),
        .string(2, "model_prefix", \.modelPrefix),
        .enumeration(3, "model_type", \.modelType, what: "model type",
                     valid: "1 UNIGRAM, 2 BPE, 3 WORD, 4 CHAR"),
        .int32(4, "vocab_size", \.vocabSize),
        .strings(5, "accept_language", \.acceptLanguage),
        .int32(6, "self_test_sample_size", \.selfTestSampleSize),
        .string(7, "input_format", \.inputFormat),
        .float(10, "character_coverage", \.characterCoverage),
        .uint64(11, "input_sentence_size", \.inputSentenceSize),
        .int32(12, "mining_sentence_size", \.miningSentenceSize),
        .int32(13, "training_sentence_size", \.trainingSentenceSize),
        .int32(14, "seed_sentencepiece_size", \.seedSentencepieceSize),
        .float(15, "shrinking_factor", \.shrinkingFactor),
        .int32(16, "num_threads", \.numThreads),
        .int32(17, "num_sub_iterations", \.numSubIterations),
        .int32(18, "max_sentence_length", \.maxSentenceLength),
        .bool(19, "shuffle_input_sentence", \.shuffleInputSentence),
        .int32(20, "max_sentencepiece_length", \.maxSentencepieceLength),
        .bool(21, "split_by_unicode_script", \.splitByUnicodeScript),
        .bool(22, "split_by_whitespace", \.splitByWhitespace),
        .bool(23, "split_by_number", \.splitByNumber),
        .bool(24, "treat_whitespace_as_suffix", \.treatWhitespaceAsSuffix),
        .bool(25, "split_digits", \.splitDigits),
        .bool(26, "allow_whitespace_only_pieces", \.allowWhitespaceOnlyPieces),
        .strings(30, "control_symbols", \.controlSymbols),
        .strings(31, "user_defined_symbols", \.userDefinedSymbols),
        .bool(32, "vocabulary_output_piece_score", \.vocabularyOutputPieceScore),
        .bool(33, "hard_vocab_limit", \.hardVocabLimit),
        .bool(34, "use_all_vocab", \.useAllVocab),
        .bool(35, "byte_fallback", \.byteFallback),
        .string(36, "required_chars", \.requiredChars),
        .int32(40, "unk_id", \.unkId),
        .int32(41, "bos_id", \.bosId),
        .int32(42, "eos_id", \.eosId),
        .int32(43, "pad_id", \.padId),
        .string(44, "unk_surface", \.unkSurface),
        .string(45, "unk_piece", \.unkPiece),
        .string(46, "bos_piece", \.bosPiece),
        .string(47, "eos_piece", \.eosPiece),
        .string(48, "pad_piece", \.padPiece),
        .bool(49, "train_extremely_large_corpus", \.trainExtremelyLargeCorpus),
        .bool(50, "enable_differential_privacy", \.enableDifferentialPrivacy),
        .float(51, "differential_privacy_noise_level", \.differentialPrivacyNoiseLevel),
        .uint64(52, "differential_privacy_clipping_threshold", \.differentialPrivacyClippingThreshold),
        .string(53, "pretokenization_delimiter", \.pretokenizationDelimiter),
        .string(54, "seed_sentencepieces_file", \.seedSentencepiecesFile),
    ]
}
