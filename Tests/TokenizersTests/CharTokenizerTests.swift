// CharTokenizer: hand-checked splits, vocabulary building with min count and <unk>, and the encode/decode round trip.
import Testing
@testable import Tokenizers

@Suite struct CharTokenizerTests {
    @Test func splitsChineseByCharacterAndDropsWhitespace() {
        let tok = CharTokenizer(vocabulary: TokenVocabulary(tokens: []))
        #expect(tok.split("我爱 我的猫。") == ["我", "爱", "我", "的", "猫", "。"])
        // Grapheme clusters: e + combining acute is one character, as is a flag.
        #expect(tok.split("e\u{301}🇨🇳a") == ["e\u{301}", "🇨🇳", "a"])
    }

    @Test func keepsWhitespaceWhenAsked() {
        let tok = CharTokenizer(vocabulary: TokenVocabulary(tokens: []), whitespace: .keep)
        #expect(tok.split("a b\n") == ["a", " ", "b", "\n"])
    }

    @Test func vocabularyOrderMinCountAndUnknown() {
        let tok = CharTokenizer.train(on: ["我爱我的猫", "我爱你"], minCount: 2)
        // 我 ×3, 爱 ×2; 的/猫/你 once → dropped.
        #expect(tok.vocabulary.tokens == ["<unk>", "<s>", "</s>", "我", "爱"])
        #expect(tok.encode("我爱猫") == [3, 4, 0])
        #expect(tok.pieces("我爱猫") == ["我", "爱", "<unk>"])
        #expect(tok.piece(99) == "<unused:99>")
    }

    @Test func tiesAreBrokenByCodePoint() {
        let tok = CharTokenizer.train(on: ["cba"])
        #expect(tok.vocabulary.tokens == ["<unk>", "<s>", "</s>", "a", "b", "c"])
        let capped = CharTokenizer.train(on: ["cba"], maxSize: 4)
        #expect(capped.vocabulary.tokens == ["<unk>", "<s>", "</s>", "a"])
    }

    @Test func roundTripOnKnownText() {
        let corpus = ["The cat sat.", "猫坐在垫子上。"]
        let tok = CharTokenizer.train(on: corpus, whitespace: .keep)
        for line in corpus { #expect(tok.decode(tok.encode(line)) == line) }
    }
}
