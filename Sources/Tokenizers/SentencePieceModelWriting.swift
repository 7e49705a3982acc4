// SentencePieceModelWriting — a SentencePieceModel back to the bytes of a `.model` file (SentencePieceModel.swift
// describes the format; ProtobufWire.swift the encoding). A field is written when it was present when read or
// differs from its default, in field-number order, with unknown fields kept verbatim at the end of their message.

import Foundation

extension SentencePieceModel {
    /// The serialized ModelProto: fields that were present in the file or differ from their proto default,
    /// in field-number order; unknown fields at the end of their message. The `sentencepiece` library loads it.
    public func serialized() -> [UInt8] {
        var w = ProtobufWriter()
        for p in pieces {
            var m = ProtobufWriter()
            if p.fieldsPresent & Self.bit(1) != 0 || !p.piece.isEmpty { m.writeString(1, p.piece) }
            if p.fieldsPresent & Self.bit(2) != 0 || p.score.bitPattern != 0 { m.writeFloat(2, p.score) }
            if p.fieldsPresent & Self.bit(3) != 0 || p.type != .normal { m.writeInt32(3, p.type.rawValue) }
            m.writeUnknown(p.unknownFields)
            w.writeMessage(1, m)
        }
        if fieldsPresent & Self.bit(2) != 0 || trainerSpec != TrainerSpec() { w.writeMessage(2, Self.write(trainerSpec)) }
        if fieldsPresent & Self.bit(3) != 0 || normalizerSpec != NormalizerSpec() { w.writeMessage(3, Self.write(normalizerSpec)) }
        if fieldsPresent & Self.bit(4) != 0 || !selfTestSamples.isEmpty {
            var m = ProtobufWriter()
            for s in selfTestSamples {
                var sm = ProtobufWriter()
                sm.writeString(1, s.input)
                sm.writeString(2, s.expected)
                m.writeMessage(1, sm)
            }
            w.writeMessage(4, m)
        }
        if let d = denormalizerSpec { w.writeMessage(5, Self.write(d)) }
        w.writeUnknown(unknownFields)
        return w.bytes
    }

    /// Writes the file (atomically).
    public func write(to url: URL) throws {
        do {
            try Data(serialized()).write(to: url, options: .atomic)
        } catch {
            throw SentencePieceError.cannotWrite(file: url.path, reason: "\(error.localizedDescription)")
        }
    }

    static func write(_ s: NormalizerSpec) -> ProtobufWriter {
        var m = ProtobufWriter()
        let d = NormalizerSpec()
        func has(_ n: Int) -> Bool { s.fieldsPresent & bit(n) != 0 }
        if has(1) || s.name != d.name { m.writeString(1, s.name) }
        if has(2) || !s.precompiledCharsmap.isEmpty { m.writeBytes(2, s.precompiledCharsmap) }
        if has(3) || s.addDummyPrefix != d.addDummyPrefix { m.writeBool(3, s.addDummyPrefix) }
        if has(4) || s.removeExtraWhitespaces != d.removeExtraWhitespaces { m.writeBool(4, s.removeExtraWhitespaces) }
        if has(5) || s.escapeWhitespaces != d.escapeWhitespaces { m.writeBool(5, s.escapeWhitespaces) }
        if has(6) || s.normalizationRuleTSV != d.normalizationRuleTSV { m.writeString(6, s.normalizationRuleTSV) }
        m.writeUnknown(s.unknownFields)
        return m
    }

    static func write(_ s: TrainerSpec) -> ProtobufWriter {
        var m = ProtobufWriter()
        let d = TrainerSpec()
        func has(_ n: Int) -> Bool { s.fieldsPresent & bit(n) != 0 }
        func str(_ n: Int, _ v: String, _ dv: String) { if has(n) || v != dv { m.writeString(n, v) } }
        func i32(_ n: Int, _ v: Int32, _ dv: Int32) { if has(n) || v != dv { m.writeInt32(n, v) } }
        func u64(_ n: Int, _ v: UInt64, _ dv: UInt64) { if has(n) || v != dv { m.writeUInt64(n, v) } }
        func bool(_ n: Int, _ v: Bool, _ dv: Bool) { if has(n) || v != dv { m.writeBool(n, v) } }
        func f32(_ n: Int, _ v: Float, _ dv: Float) { if has(n) || v.bitPattern != dv.bitPattern { m.writeFloat(n, v) } }
        // Field-number order, as protobuf serializers emit.
        for v in s.input { m.writeString(1, v) }
        str(2, s.modelPrefix, d.modelPrefix)
        i32(3, s.modelType.rawValue, d.modelType.rawValue)
        i32(4, s.vocabSize, d.vocabSize)
        for v in s.acceptLanguage { m.writeString(5, v) }
        i32(6, s.selfTestSampleSize, d.selfTestSampleSize)
        str(7, s.inputFormat, d.inputFormat)
        f32(10, s.characterCoverage, d.characterCoverage)
        u64(11, s.inputSentenceSize, d.inputSentenceSize)
        i32(12, s.miningSentenceSize, d.miningSentenceSize)
        i32(13, s.trainingSentenceSize, d.trainingSentenceSize)
        i32(14, s.seedSentencepieceSize, d.seedSentencepieceSize)
        f32(15, s.shrinkingFactor, d.shrinkingFactor)
        i32(16, s.numThreads, d.numThreads)
        i32(17, s.numSubIterations, d.numSubIterations)
        i32(18, s.maxSentenceLength, d.maxSentenceLength)
        bool(19, s.shuffleInputSentence, d.shuffleInputSentence)
        i32(20, s.maxSentencepieceLength, d.maxSentencepieceLength)
        bool(21, s.splitByUnicodeScript, d.splitByUnicodeScript)
        bool(22, s.splitByWhitespace, d.splitByWhitespace)
        bool(23, s.splitByNumber, d.splitByNumber)
        bool(24, s.treatWhitespaceAsSuffix, d.treatWhitespaceAsSuffix)
        bool(25, s.splitDigits, d.splitDigits)
        bool(26, s.allowWhitespaceOnlyPieces, d.allowWhitespaceOnlyPieces)
        for v in s.controlSymbols { m.writeString(30, v) }
        for v in s.userDefinedSymbols { m.writeString(31, v) }
        bool(32, s.vocabularyOutputPieceScore, d.vocabularyOutputPieceScore)
        bool(33, s.hardVocabLimit, d.hardVocabLimit)
        bool(34, s.useAllVocab, d.useAllVocab)
        bool(35, s.byteFallback, d.byteFallback)
        str(36, s.requiredChars, d.requiredChars)
        i32(40, s.unkId, d.unkId)
        i32(41, s.bosId, d.bosId)
        i32(42, s.eosId, d.eosId)
        i32(43, s.padId, d.padId)
        str(44, s.unkSurface, d.unkSurface)
        str(45, s.unkPiece, d.unkPiece)
        str(46, s.bosPiece, d.bosPiece)
        str(47, s.eosPiece, d.eosPiece)
        str(48, s.padPiece, d.padPiece)
        bool(49, s.trainExtremelyLargeCorpus, d.trainExtremelyLargeCorpus)
        bool(50, s.enableDifferentialPrivacy, d.enableDifferentialPrivacy)
        f32(51, s.differentialPrivacyNoiseLevel, d.differentialPrivacyNoiseLevel)
        u64(52, s.differentialPrivacyClippingThreshold, d.differentialPrivacyClippingThreshold)
        str(53, s.pretokenizationDelimiter, d.pretokenizationDelimiter)
        str(54, s.seedSentencepiecesFile, d.seedSentencepiecesFile)
        m.writeUnknown(s.unknownFields)
        return m
    }
}
