// SentencePieceFixtureTests.swift — our SentencePiece against the `sentencepiece` library itself.
//
// scripts/make_spm_fixtures.py (sentencepiece 0.2.1) trained the models under Fixtures/spm and recorded, for
// thousands of strings, the library's ids and its decode of those ids, plus decodes of arbitrary id
// sequences. Every case must match exactly (ids equal, decoded UTF-8 bytes equal).

import Foundation
import Testing
@testable import Tokenizers

struct SPMFixture: Decodable {
    struct EncodeCase: Decodable { let text: String; let ids: [Int]; let decoded: String }
    struct DecodeCase: Decodable { let ids: [Int]; let decoded: String }
    /// `spans`: [id, begin, end] per piece, offsets in Unicode scalars (the Python API's unit).
    struct SpanCase: Decodable { let text: String; let spans: [[Int]]; let pieces: [String] }
    let sentencepiece: String
    let model: String
    let vocab_size: Int
    let encode: [EncodeCase]
    let decode: [DecodeCase]
    let spans: [SpanCase]
}

enum SPMFixtures {
    static func url(_ name: String, _ ext: String) throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/spm/\(name)", withExtension: ext),
                     "missing fixture spm/\(name).\(ext); run scripts/make_spm_fixtures.py")
    }

    static func load(_ name: String) throws -> (SentencePieceProcessor, SPMFixture) {
        let processor = try SentencePieceProcessor(contentsOf: try url(name, "model"))
        let fixture = try JSONDecoder().decode(SPMFixture.self, from: Data(contentsOf: try url(name, "json")))
        return (processor, fixture)
    }

    /// Escapes a string so invisible characters show in a failure message.
    static func visible(_ s: String) -> String {
        s.unicodeScalars.map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}" }.joined()
    }
}

@Suite("SentencePiece vs the sentencepiece library")
struct SentencePieceFixtureTests {
    static let models = ["bpe_ernie", "bpe_default", "unigram", "unigram_ud", "bpe_unused", "unigram_unused", "unigram_rules", "handmade_bpe"]

    @Test("encode ids and decode text equal the library's", arguments: models)
    func encodeMatchesLibrary(name: String) throws {
        let (sp, fixture) = try SPMFixtures.load(name)
        #expect(sp.vocabSize == fixture.vocab_size)
        var idMatches = 0, decodeMatches = 0
        var firstMismatch: String?
        for (i, c) in fixture.encode.enumerated() {
            let ids = sp.encode(c.text)
            let decoded = try sp.decode(c.ids)
            if ids == c.ids { idMatches += 1 } else if firstMismatch == nil {
                let at = (0..<min(ids.count, c.ids.count)).first { ids[$0] != c.ids[$0] } ?? min(ids.count, c.ids.count)
                firstMismatch = "case \(i) \"\(SPMFixtures.visible(c.text))\": ids differ at \(at): "
                    + "ours \(Array(ids[max(0, at - 3)..<min(ids.count, at + 4)])) "
                    + "library \(Array(c.ids[max(0, at - 3)..<min(c.ids.count, at + 4)])) "
                    + "(ours \(ids.count) ids, library \(c.ids.count)); normalized \"\(SPMFixtures.visible(sp.normalizer.normalize(c.text).normalized))\""
            }
            if Array(decoded.utf8) == Array(c.decoded.utf8) { decodeMatches += 1 } else if firstMismatch == nil {
                firstMismatch = "case \(i) ids \(c.ids.prefix(12)): decode ours \"\(SPMFixtures.visible(decoded))\" library \"\(SPMFixtures.visible(c.decoded))\""
            }
        }
        print("\(name): ids match \(idMatches)/\(fixture.encode.count), decode matches \(decodeMatches)/\(fixture.encode.count)"
              + (firstMismatch.map { "; first mismatch: \($0)" } ?? ""))
        #expect(idMatches == fixture.encode.count, "\(firstMismatch ?? "")")
        #expect(decodeMatches == fixture.encode.count, "\(firstMismatch ?? "")")
        #expect(fixture.encode.count >= (name == "handmade_bpe" ? 400 : 1500))
    }

    @Test("decode of arbitrary id sequences (lone bytes, control, unk) equals the library's", arguments: models)
    func decodeMatchesLibrary(name: String) throws {
        let (sp, fixture) = try SPMFixtures.load(name)
        var matches = 0
        var firstMismatch: String?
        for c in fixture.decode {
            let decoded = try sp.decode(c.ids)
            if Array(decoded.utf8) == Array(c.decoded.utf8) { matches += 1 } else if firstMismatch == nil {
                firstMismatch = "ids \(c.ids) pieces \(c.ids.map { sp.piece(for: $0) }): ours \"\(SPMFixtures.visible(decoded))\" library \"\(SPMFixtures.visible(c.decoded))\""
            }
        }
        print("\(name): decode matches \(matches)/\(fixture.decode.count)" + (firstMismatch.map { "; first mismatch: \($0)" } ?? ""))
        #expect(matches == fixture.decode.count, "\(firstMismatch ?? "")")
    }

    @Test("token spans in the input equal the library's begin/end", arguments: models)
    func spansMatchLibrary(name: String) throws {
        let (sp, fixture) = try SPMFixtures.load(name)
        var matches = 0
        var firstMismatch: String?
        for c in fixture.spans {
            // UTF-8 byte offset → Unicode scalar offset.
            var scalarAt = [Int](repeating: 0, count: c.text.utf8.count + 1)
            var byte = 0
            for (k, u) in c.text.unicodeScalars.enumerated() {
                for j in 0..<UTF8.width(u) { scalarAt[byte + j] = k }
                byte += UTF8.width(u)
            }
            scalarAt[byte] = c.text.unicodeScalars.count
            let ours = sp.encodeWithOffsets(c.text)
            let oursSpans = ours.map { [$0.id, scalarAt[$0.utf8Range.lowerBound], scalarAt[$0.utf8Range.upperBound]] }
            if oursSpans == c.spans && ours.map(\.piece) == c.pieces { matches += 1 } else if firstMismatch == nil {
                firstMismatch = "\"\(SPMFixtures.visible(c.text))\": ours \(oursSpans) \(ours.map(\.piece)) library \(c.spans) \(c.pieces)"
            }
        }
        print("\(name): spans match \(matches)/\(fixture.spans.count)" + (firstMismatch.map { "; first mismatch: \($0)" } ?? ""))
        #expect(matches == fixture.spans.count, "\(firstMismatch ?? "")")
        #expect(fixture.spans.count >= 400)
    }

    @Test("fast BPE (heap, pair table) equals its naive twin (rescan all pairs)", arguments: ["bpe_ernie", "bpe_default"])
    func bpeMatchesNaiveTwin(name: String) throws {
        let (sp, fixture) = try SPMFixtures.load(name)
        let bpe = SentencePieceBPE(vocab: sp.vocabulary)
        var same = 0
        for c in fixture.encode.prefix(1500) {
            let normalized = Array(sp.normalizer.normalize(c.text).normalized.utf8)
            let (fast, naive) = normalized.withUnsafeBufferPointer { buf -> ([SentencePieceSegment], [SentencePieceSegment]) in
                var out: [SentencePieceSegment] = []
                bpe.segment(buf, into: &out)
                return (out, bpe.segmentNaive(buf))
            }
            if fast.map({ [$0.start, $0.length, $0.id] }) == naive.map({ [$0.start, $0.length, $0.id] }) { same += 1 }
        }
        print("\(name): fast BPE equals naive on \(same)/\(min(1500, fixture.encode.count)) strings")
        #expect(same == min(1500, fixture.encode.count))
    }

    @Test("the ERNIE-settings model: byte fallback, user-defined pieces whole, control text not matched")
    func ernieSettingsSpotChecks() throws {
        let (sp, _) = try SPMFixtures.load("bpe_ernie")
        // 𪚥 (U+2A6A5) is not in the vocabulary: its four UTF-8 bytes come out as byte pieces.
        #expect(sp.id(for: "𪚥") == sp.unkId)
        #expect(sp.encodeAsPieces("𪚥") == ["<0xF0>", "<0xAA>", "<0x9A>", "<0xA5>"])
        // Digits are user-defined single pieces, so numbers split into digits.
        #expect(sp.encodeAsPieces("2026") == ["2", "0", "2", "6"])
        // A user-defined piece inside text stays whole; a control piece's text does not.
        #expect(sp.encodeAsPieces("a<mask:1>b").contains("<mask:1>"))
        #expect(!sp.encode("<|CTRL_A|>").contains(sp.id(for: "<|CTRL_A|>")))
        // No dummy prefix and no leading-space strip on decode.
        #expect(try sp.decode(sp.encode(" Hello")) == " Hello")
        #expect(sp.type(of: sp.id(for: "<0x41>")) == .byte)
    }
}
