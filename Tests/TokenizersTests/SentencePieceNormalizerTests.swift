// SentencePieceNormalizerTests.swift — hand-checked normalizations, each confirmed with the library
// (`sp.normalize(text)` / `sp.normalize(text, with_offsets=True)`, sentencepiece 0.2.1, on the fixture models).

import Foundation
import Testing
@testable import Tokenizers

@Suite("SentencePiece normalizer")
struct SentencePieceNormalizerTests {
    @Test("identity rules with ERNIE's flags keep every space, as ▁")
    func identity() throws {
        let (sp, _) = try SPMFixtures.load("bpe_ernie")
        #expect(sp.normalizer.normalize("a  b").normalized == "a\u{2581}\u{2581}b")
        // No NFKC: the ligature ﬁ stays, the tab stays, the leading space is kept (no dummy prefix added).
        #expect(sp.normalizer.normalize(" \u{FB01}\t").normalized == "\u{2581}\u{FB01}\t")
    }

    @Test("nmt_nfkc charsmap: NFKC, spaces squeezed and trimmed, dummy prefix")
    func nmtNFKC() throws {
        let (sp, _) = try SPMFixtures.load("bpe_default")
        #expect(sp.normalizer.normalize("  Ｈｅｌｌｏ   world ").normalized == "\u{2581}Hello\u{2581}world")
        // ﬁ → fi, ① → 1, U+3000 → space; NUL is left as it is
        // (library: b'\xe2\x96\x81fi1\xe2\x96\x81x\x00y').
        #expect(sp.normalizer.normalize("\u{FB01}①\u{3000}x\u{0}y").normalized == "\u{2581}fi1\u{2581}x\u{0}y")
        // Other control characters vanish; zero-width space, tab and newline become spaces.
        #expect(sp.normalizer.normalize("a\u{1}b\u{7}c\u{7F}d\u{200B}e\tf\ng").normalized == "\u{2581}abcd\u{2581}e\u{2581}f\u{2581}g")
    }

    @Test("normalized → original offsets equal the library's")
    func offsets() throws {
        let (sp, _) = try SPMFixtures.load("bpe_default")
        let text = "  Ｈｅｌｌｏ   wor ld "
        let (normalized, byteOffsets) = sp.normalizer.normalize(text)
        #expect(normalized == "\u{2581}Hello\u{2581}wor\u{2581}ld")
        // The library reports one offset per normalized character (plus the end), in characters of the input.
        var charAt = [Int: Int]()
        var b = 0
        for (k, u) in text.unicodeScalars.enumerated() { charAt[b] = k; b += UTF8.width(u) }
        charAt[b] = text.unicodeScalars.count
        var perChar: [Int] = []
        var nb = 0
        for u in normalized.unicodeScalars { perChar.append(charAt[byteOffsets[nb]]!); nb += UTF8.width(u) }
        perChar.append(charAt[byteOffsets[nb]]!)
        #expect(perChar == [2, 2, 3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 15, 16])
    }
}
