// WordTokenizer: the documented rules (contractions whole, numbers whole, punctuation split, Chinese per character),
// case folding, vocabulary with min count, and the readable decode.
import Testing
@testable import Tokenizers

@Suite struct WordTokenizerTests {
    @Test func englishWordsAndPunctuation() {
        #expect(WordTokenizer.split("Don't panic: it's 3.14, not 42!")
                == ["Don't", "panic", ":", "it's", "3.14", ",", "not", "42", "!"])
        #expect(WordTokenizer.split("The students' well-known rock'n'roll...")
                == ["The", "students", "'", "well-known", "rock'n'roll", "..."])
        #expect(WordTokenizer.split("In 2024, 1,000 people paid $5.") == ["In", "2024", ",", "1,000", "people", "paid", "$", "5", "."])
        #expect(WordTokenizer.split("He said “hi” (twice)") == ["He", "said", "“", "hi", "”", "(", "twice", ")"])
        #expect(WordTokenizer.split("don’t") == ["don’t"])
    }

    @Test func chineseAndMixedText() {
        #expect(WordTokenizer.split("我爱NLP和GPT-4！") == ["我", "爱", "NLP", "和", "GPT-4", "！"])
        #expect(WordTokenizer.split("我的 iPhone 15 很好") == ["我", "的", "iPhone", "15", "很", "好"])
    }

    @Test func lowercasingIsOptional() {
        #expect(WordTokenizer.split("The THE the", lowercase: true) == ["the", "the", "the"])
        let tok = WordTokenizer.train(on: ["The cat.", "the dog."], lowercase: true)
        #expect(tok.vocabulary.tokens == ["<unk>", "<s>", "</s>", ".", "the", "cat", "dog"])
        #expect(tok.pieces("THE bird.") == ["the", "<unk>", "."])
    }

    @Test func minCountDropsRareWords() {
        let tok = WordTokenizer.train(on: ["I love my cat.", "I love my dog.", "I love tea."], minCount: 2)
        // I, love and "." occur 3 times (ties in code-point order: "." < "I" < "love"), my twice; cat, dog, tea once.
        #expect(tok.vocabulary.tokens == ["<unk>", "<s>", "</s>", ".", "I", "love", "my"])
        #expect(tok.encode("I love my tea.") == [4, 5, 6, 0, 3])
    }

    @Test func decodeIsReadable() {
        let tok = WordTokenizer.train(on: ["Don't panic: it's 3.14, not 42!", "我爱NLP和GPT-4！", "He said (twice) ok."])
        #expect(tok.decode(tok.encode("Don't panic: it's 3.14, not 42!")) == "Don't panic: it's 3.14, not 42!")
        #expect(tok.decode(tok.encode("我爱NLP和GPT-4！")) == "我爱NLP和GPT-4！")
        #expect(tok.decode(tok.encode("He said (twice) ok.")) == "He said (twice) ok.")
    }
}
