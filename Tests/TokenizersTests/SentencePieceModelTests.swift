// SentencePieceModelTests.swift — reading and writing `.model` files (ModelProto) and rejecting bad ones.
//
// Evidence: files written by the sentencepiece library (trainer and Python protobuf) read back field by field
// and re-serialize to the same bytes; a model built with our API serializes to exactly the bytes Python's
// protobuf wrote for it; malformed files give typed errors that name the file and the field.

import Foundation
import Testing
@testable import Tokenizers

@Suite("SentencePiece model file")
struct SentencePieceModelTests {
    static let libraryFiles = ["bpe_ernie", "bpe_default", "unigram", "unigram_ud", "bpe_unused", "unigram_unused", "unigram_rules", "handmade_bpe"]

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: try SPMFixtures.url(name, "model")))
    }

    @Test("library-written files re-serialize to identical bytes", arguments: libraryFiles)
    func roundTrip(name: String) throws {
        let original = try Self.bytes(name)
        let model = try SentencePieceModel(serialized: original, source: "\(name).model")
        let written = model.serialized()
        let firstDiff = zip(original, written).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        print("\(name).model: \(original.count) bytes read, \(written.count) written, first differing byte: \(firstDiff.map(String.init) ?? "none")")
        #expect(written == original)
        #expect(try SentencePieceModel(serialized: written) == model)
    }

    @Test("ERNIE-settings model: trainer and normalizer fields read as trained")
    func fieldsOfErnieSettingsModel() throws {
        let m = try SentencePieceModel(serialized: try Self.bytes("bpe_ernie"), source: "bpe_ernie.model")
        #expect(m.pieces.count == 3000)
        #expect(m.trainerSpec.modelType == .bpe)
        #expect(m.trainerSpec.vocabSize == 3000)
        #expect(m.trainerSpec.byteFallback)
        #expect(m.trainerSpec.splitDigits)
        #expect(m.trainerSpec.allowWhitespaceOnlyPieces)
        #expect(m.trainerSpec.userDefinedSymbols.contains("<mask:1>"))
        #expect(m.trainerSpec.controlSymbols == ["<|CTRL_A|>", "<|CTRL_B|>"])
        #expect(m.trainerSpec.unkSurface == " \u{2047} ")
        #expect(m.normalizerSpec.name == "identity")
        #expect(m.normalizerSpec.precompiledCharsmap.isEmpty)
        #expect(!m.normalizerSpec.addDummyPrefix)
        #expect(!m.normalizerSpec.removeExtraWhitespaces)
        #expect(m.pieces[0].piece == "<unk>" && m.pieces[0].type == .unknown)
        #expect(m.pieces.filter { $0.type == .byte }.count == 256)
        let d = try SentencePieceModel(serialized: try Self.bytes("bpe_default"))
        #expect(d.normalizerSpec.name == "nmt_nfkc")
        #expect(d.normalizerSpec.precompiledCharsmap.count > 100_000)
        #expect(d.normalizerSpec.addDummyPrefix && d.normalizerSpec.removeExtraWhitespaces)
    }

    @Test("a model built with our API serializes to the bytes Python's protobuf wrote")
    func writerMatchesPythonProtobuf() throws {
        var m = SentencePieceModel()
        let pieces: [(String, Float, SentencePieceModel.PieceType)] = [
            ("<unk>", 0, .unknown), ("<s>", 0, .control), ("</s>", 0, .control),
            ("a", -10, .normal), ("b", -10, .normal), ("c", -10, .normal), ("\u{2581}", -10, .normal),
            ("ab", -1, .normal), ("bc", -1, .normal), ("abc", -2, .normal), ("\u{2581}a", -3, .normal), ("ca", -4, .normal),
            ("cab", -0.5, .normal), ("aa", -5, .normal), ("aaa", -5, .normal), ("bb", -0.25, .unused), ("bbb", -0.125, .normal),
            ("<X>", 0, .userDefined),
        ]
        m.pieces = pieces.map { SentencePieceModel.Piece(piece: $0.0, score: $0.1, type: $0.2) }
        m.trainerSpec.modelType = .bpe
        m.trainerSpec.vocabSize = Int32(pieces.count)
        m.normalizerSpec.name = "identity"
        m.normalizerSpec.addDummyPrefix = false
        let python = try Self.bytes("handmade_bpe")
        print("handmade_bpe.model: ours \(m.serialized().count) bytes, Python's \(python.count) bytes")
        #expect(m.serialized() == python)
        // …and the processor built from our value encodes as the library did from Python's file.
        let sp = try SentencePieceProcessor(model: m)
        let fixture = try JSONDecoder().decode(SPMFixture.self, from: Data(contentsOf: try SPMFixtures.url("handmade_bpe", "json")))
        let same = fixture.encode.filter { sp.encode($0.text) == $0.ids }.count
        print("handmade_bpe from our writer: ids match \(same)/\(fixture.encode.count)")
        #expect(same == fixture.encode.count)
    }

    @Test("each message's field table is in field-number order, numbers and names distinct")
    func fieldTablesAreOrdered() {
        func check<M>(_ fields: [SentencePieceField<M>], _ message: String) {
            let numbers = fields.map(\.number)
            #expect(numbers == numbers.sorted() && Set(numbers).count == numbers.count, "\(message): \(numbers)")
            #expect(Set(fields.map(\.label.name)).count == fields.count, "\(message): a proto name repeats")
        }
        check(SentencePieceModel.TrainerSpec.fields, "TrainerSpec")
        check(SentencePieceModel.NormalizerSpec.fields, "NormalizerSpec")
        #expect(SentencePieceModel.TrainerSpec.fields.count == 46 && SentencePieceModel.NormalizerSpec.fields.count == 6)
    }

    @Test("unknown fields are kept and written back")
    func unknownFieldsPreserved() throws {
        var extra = ProtobufWriter()
        extra.writeUInt64(300, 42)
        extra.writeString(301, "future")
        var m = try SentencePieceModel(serialized: try Self.bytes("handmade_bpe"))
        let unknown = try SentencePieceModel(serialized: extra.bytes).unknownFields
        #expect(unknown.map(\.number) == [300, 301])
        m.unknownFields = unknown
        m.pieces[3].unknownFields = unknown
        let back = try SentencePieceModel(serialized: m.serialized())
        #expect(back.unknownFields == unknown)
        #expect(back.pieces[3].unknownFields == unknown)
        #expect(back == m)
    }

    @Test("a truncated file names the file and the field it ends in")
    func truncatedFile() throws {
        let full = try Self.bytes("bpe_ernie")
        // Inside the first piece.
        #expect(throws: ProtobufError.truncated(source: "cut.model", path: "ModelProto.pieces[0]", offset: 0)) {
            try SentencePieceModel(serialized: Array(full.prefix(5)), source: "cut.model")
        }
        // One byte short: inside the last message.
        do {
            _ = try SentencePieceModel(serialized: Array(full.dropLast()), source: "cut.model")
            Issue.record("a file one byte short was accepted")
        } catch let e as ProtobufError {
            guard case let .truncated(source, path, _) = e else { Issue.record("expected .truncated, got \(e)"); return }
            print("one byte short: \(e)")
            #expect(source == "cut.model")
            #expect(path == "ModelProto.normalizer_spec" || path == "ModelProto.trainer_spec")
            #expect(e.description.contains("cut.model") && e.description.contains(path))
        }
        // Inside a varint.
        #expect(throws: ProtobufError.truncated(source: "v.model", path: "ModelProto.trainer_spec.vocab_size", offset: 3)) {
            var spec = ProtobufWriter()
            spec.writeUInt64(4, 0xFFFF)
            var w = ProtobufWriter()
            w.writeMessage(2, spec)
            var b = w.bytes
            b.removeLast()
            b[1] -= 1   // shorten the sub-message length to match
            _ = try SentencePieceModel(serialized: b, source: "v.model")
        }
    }

    @Test("a field with the wrong wire type is rejected by name")
    func wrongWireType() throws {
        var piece = ProtobufWriter()
        piece.writeString(1, "a")
        piece.writeUInt64(2, 5)            // score must be fixed32
        var w = ProtobufWriter()
        w.writeMessage(1, piece)
        #expect(throws: ProtobufError.wrongWireType(source: "w.model", path: "ModelProto.pieces[0].score",
                                                    expected: "fixed32", found: 0, offset: 5)) {
            try SentencePieceModel(serialized: w.bytes, source: "w.model")
        }
        var top = ProtobufWriter()
        top.writeUInt64(3, 1)              // normalizer_spec must be a message
        #expect(throws: ProtobufError.wrongWireType(source: "w.model", path: "ModelProto.normalizer_spec",
                                                    expected: "length-delimited", found: 0, offset: 0)) {
            try SentencePieceModel(serialized: top.bytes, source: "w.model")
        }
        // An 11-byte varint and an obsolete group.
        #expect(throws: ProtobufError.self) { try SentencePieceModel(serialized: [0x08] + [UInt8](repeating: 0xFF, count: 11)) }
        #expect(throws: ProtobufError.self) { try SentencePieceModel(serialized: [0x0B]) }
    }

    @Test("well-formed files the library would refuse get typed errors")
    func semanticErrors() throws {
        let base = try SentencePieceModel(serialized: try Self.bytes("handmade_bpe"))
        var badType = ProtobufWriter(), p = ProtobufWriter()
        p.writeString(1, "x"); p.writeInt32(3, 9)
        badType.writeMessage(1, p)
        #expect(throws: SentencePieceError.invalidField(file: "t.model", field: "ModelProto.pieces[0].type",
                                                        reason: "unknown piece type 9 (valid: 1…6)")) {
            try SentencePieceModel(serialized: badType.bytes, source: "t.model")
        }
        var noUnk = base
        noUnk.pieces[0].type = .control
        #expect(throws: SentencePieceError.self) { try SentencePieceProcessor(model: noUnk) }
        var duplicate = base
        duplicate.pieces[4].piece = "a"
        #expect(throws: SentencePieceError.invalidModel(file: "<memory>", field: "ModelProto.pieces[4]",
                                                        reason: "piece \"a\" is already defined")) {
            try SentencePieceProcessor(model: duplicate)
        }
        var noBytes = base
        noBytes.trainerSpec.byteFallback = true
        #expect(throws: SentencePieceError.self) { try SentencePieceProcessor(model: noBytes) }
        var nfkcWithoutMap = base
        nfkcWithoutMap.normalizerSpec.name = "user_defined"
        nfkcWithoutMap.normalizerSpec.normalizationRuleTSV = "41\t61\n"
        do {
            _ = try SentencePieceProcessor(model: nfkcWithoutMap, file: "n.model")
            Issue.record("a rule TSV without a charsmap was accepted")
        } catch let e as SentencePieceError {
            print("unsupported normalizer: \(e)")
            guard case let .unsupportedNormalizer(file, name, _) = e else { Issue.record("got \(e)"); return }
            #expect(file == "n.model" && name == "user_defined")
        }
        var word = base
        word.trainerSpec.modelType = .word
        #expect(throws: SentencePieceError.unsupportedModelType(file: "<memory>", type: "WORD")) {
            try SentencePieceProcessor(model: word)
        }
        let sp = try SentencePieceProcessor(model: base)
        #expect(throws: SentencePieceError.idOutOfRange(id: 18, vocabSize: 18)) { try sp.decode([3, 18]) }
        #expect(throws: SentencePieceError.self) {
            try SentencePieceModel(contentsOf: URL(fileURLWithPath: "/nonexistent/tokenizer.model"))
        }
    }
}
