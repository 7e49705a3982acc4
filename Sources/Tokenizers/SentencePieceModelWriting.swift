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
}
