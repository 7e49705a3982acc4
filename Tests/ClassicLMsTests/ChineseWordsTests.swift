// Chinese words from the generator's lexicon: forward maximum matching cuts the stories exactly into the words the
// generator wrote (nothing left over but punctuation), a hostile lexicon file is refused with its line, and the
// shipped Chinese word vectors (Models/word2vec-stories-zh, trained on those words) answer the zh analogy file.
import Foundation
import Testing
@testable import ClassicLMs

@Suite struct ChineseWordsTests {
    @Test func longestMatchFirstAndUnknownCharactersAlone() {
        let lexicon = ChineseLexicon(words: ["猫", "猫头鹰", "去了", "公园", "露娜", "和", "的", "爸爸"])
        #expect(lexicon.split("露娜和她的爸爸去了公园。") == ["露娜", "和", "她", "的", "爸爸", "去了", "公园", "。"])
        #expect(lexicon.split("猫头鹰 和 猫") == ["猫头鹰", "和", "猫"])
        #expect(lexicon.split("") == [])
        #expect(ChineseLexicon(words: []).split("猫狗") == ["猫", "狗"])
    }

    @Test func theStoriesAreCutIntoTheGeneratorsWords() throws {
        let corpus = try Corpus(CorpusSpec.named("stories-zh-words"), dataDirectory: dataDirectory())
        let lexicon = try #require(corpus.lexicon)
        var outside: [String: Int] = [:]
        var tokens = 0
        for sentence in corpus.train + corpus.heldOut {
            tokens += sentence.count
            for t in sentence where !lexicon.words.contains(t) { outside[t, default: 0] += 1 }
        }
        print("stories-zh-words: \(tokens) tokens, \(lexicon.words.count) lexicon words; outside the lexicon: \(outside)")
        #expect(Set(outside.keys).isSubset(of: ["。", "，"]), "characters the lexicon lacks: \(outside)")
        #expect(corpus.train[0] == ["中午", "，", "露娜", "和", "她", "的", "爸爸", "去了", "图书馆", "。"])
    }

    @Test func aLexiconFileThatIsNotOneWordPerLineIsRefusedWithItsLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-lexicon-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("lexicon.txt")
        try "猫\n\n两个 词\n".write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: CorpusError.self) { try ChineseLexicon(contentsOf: bad) }
        do { _ = try ChineseLexicon(contentsOf: bad) } catch {
            #expect("\(error)".contains("\(bad.path)") && "\(error)".contains("line 3") && "\(error)".contains("HINT:"), "\(error)")
        }
        try String(repeating: "长", count: ChineseLexicon.maxWordLength + 1).write(to: bad, atomically: true, encoding: .utf8)
        #expect(throws: CorpusError.self) { try ChineseLexicon(contentsOf: bad) }
    }

    /// Issue 19: the zh analogy file, asked of the shipped Chinese word vectors, is answered ≥ 60 %.
    @Test func theShippedChineseVectorsAnswerTheChineseAnalogies() throws {
        let root = dataDirectory().deletingLastPathComponent().deletingLastPathComponent()
        let model = try Word2VecModel.load(from: root.appendingPathComponent("Models/word2vec-stories-zh/vectors.safetensors"))
        let questions = try AnalogyQuestions(contentsOf: dataDirectory().appendingPathComponent("analogies.zh.txt"))
        let r = Word2VecEmbeddings(model).evaluate(questions)
        for s in r.sections { print("  \(s.name): \(s.correct)/\(s.asked) = \(String(format: "%.1f%%", 100 * s.accuracy))") }
        print(String(format: "all: %.1f%% of %d", 100 * r.accuracy, r.asked))
        #expect(r.sections.allSatisfy { $0.skipped == 0 }, "questions whose words the vectors lack")
        #expect(r.accuracy >= 0.6)
    }
}
