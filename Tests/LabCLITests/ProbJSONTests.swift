// `lmlab prob`'s two faces: the --json contract (keys, null for the unscored first token, the ledger's numbers —
// the same in every language) and the printed Output, which answers a zh learner in Chinese.
import ClassicLMs
import Decoding
import Foundation
import Lab
import LabCore
import Testing
import Tokenizers
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

private func score() throws -> SentenceScore {
    let loaded = try ModelLoader.load(checkpoint)
    let ids = try loaded.requireTokenizer(checkpoint).encode("The dog says woof.", addBos: true)
    return try SentenceScore.score(ids, with: loaded.model, pieces: loaded.model.vocabulary.piece)
}

@Test func probJSONHasTheDocumentedKeysAndTheLedgersNumbers() throws {
    let s = try score()
    let data = try JSONEncoder().encode(SentenceScoreJSON(s, compare: s, bos: "ids as given"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(Set(object.keys) == ["model", "bos", "tokens", "total_logprob", "perplexity", "compare"])
    let tokens = try #require(object["tokens"] as? [[String: Any]])
    #expect(tokens.count == s.entries.count)
    #expect(tokens[0]["logprob"] is NSNull)
    #expect(tokens.map { $0["id"] as? Int } == s.entries.map { Optional($0.id) })
    var worst = 0.0
    for (t, e) in zip(tokens.dropFirst(), s.entries.dropFirst()) {
        worst = max(worst, abs(try #require(t["logprob"] as? Double) - Double(Float(try #require(e.logProb)))))
    }
    let total = try #require(object["total_logprob"] as? Double)
    let ppl = try #require(object["perplexity"] as? Double)
    print("prob --json: max |Δ logprob| vs the ledger \(worst)")
    #expect(worst < 1e-6 && abs(total - s.totalLogProb) <= 1e-9)
    #expect(abs(ppl - exp(-total / Double(s.scoredCount))) <= 1e-6 * ppl)
}

@Test func probPrintsInTheLearnersLanguageAndItsJSONKeysDoNot() throws {
    let s = try score()
    let en = Learner.$language.withValue(.en) { PlainRenderer.render(ProbReport.output(s, nil, header: []), width: 100) }
    let zh = Learner.$language.withValue(.zh) { PlainRenderer.render(ProbReport.output(s, nil, header: []), width: 100) }
    #expect(en.contains("perplexity") && en.contains("running") && !en.contains("困惑度"))
    #expect(zh.contains("困惑度") && zh.contains("累计") && !zh.contains("perplexity"))
    // The numbers are the same in both: only the words change.
    let number = String(format: "%.3f", s.totalLogProb)
    #expect(en.contains(number) && zh.contains(number))
    let keys = { () throws -> Set<String> in
        let data = try JSONEncoder().encode(SentenceScoreJSON(s, bos: "x"))
        return Set((try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]).keys)
    }
    #expect(try Learner.$language.withValue(.zh) { try keys() } == (try Learner.$language.withValue(.en) { try keys() }))
}

@Test func classifyAndDpoRewardTablesSpeakChinese() throws {
    let rows = [LabelScore(label: " woof", ids: [1, 2], totalLogProb: -1, meanLogProb: -0.5, share: 0.7),
                LabelScore(label: " meow", ids: [3], totalLogProb: -2, meanLogProb: -2, share: 0.3)]
    let zh = Learner.$language.withValue(.zh) { PlainRenderer.render(LabelScore.output(rows), width: 100) }
    let en = Learner.$language.withValue(.en) { PlainRenderer.render(LabelScore.output(rows), width: 100) }
    #expect(zh.contains("最可能的续写：\" woof\"") && zh.contains("占比"))
    #expect(en.contains("most likely continuation: \" woof\"") && en.contains("share"))
    let reward = ImplicitReward(answers: ["a", "b"], policy: [.init(ids: [1], logProb: -1), .init(ids: [2], logProb: -3)],
                                reference: [.init(ids: [1], logProb: -2), .init(ids: [2], logProb: -2)], beta: 0.5)
    #expect(reward.rows.map(\.reward) == [0.5, -0.5])
    let text = Learner.$language.withValue(.zh) { PlainRenderer.render(reward.output, width: 100) }
    #expect(text.contains("奖励 β·Δ") && text.contains("偏好概率"))
}

@Test func ngramLedgerJSONWritesNoLogForAZeroProbability() throws {
    let sentences = [["the", "cat", "says", "meow", "."], ["the", "dog", "says", "woof", "."]]
    let vocab = TokenVocabulary.build(from: sentences)
    let m = NGramModel(order: 2, smoothing: .mle, vocabulary: vocab, sentences: sentences)
    let ledger = m.ledger(["the", "cat", "woof", "."].map(vocab.idOrUnknown))   // P(woof | cat) = 0
    let data = try JSONEncoder().encode(NGramLedgerJSON(ledger))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let rows = try #require(object["rows"] as? [[String: Any]])
    #expect(Set(rows[0].keys) == ["context", "token", "probability", "logProbability", "count", "contextCount"])
    #expect(rows.map { $0["count"] as? Int } == [2, 1, 0, 1, 2])
    #expect(rows[2]["logProbability"] == nil)                     // P = 0: no −∞ in JSON, the key is absent
    #expect(abs(try #require(rows[1]["logProbability"] as? Double) - log(0.5)) < 1e-12)
    #expect(object["logProbability"] == nil && object["perplexity"] == nil)
    // The display ledger of the same score: the zero row is −∞ (nil) and so is the total.
    let shown = Ledger(ledger)
    #expect(shown.entries.count == 5 && shown.entries[2].logProb == nil && shown.total == nil)
}

/// The ledger's "weights:" line names each model's precision in the learner's language, what it costs included
/// (a zh lesson compares as-stored with int8), and says "copied" when the format does not change.
@Test func theWeightsLineSpeaksTheLearnersLanguage() throws {
    let stored = try ModelLoader.load(checkpoint)
    let int8 = try ModelLoader.load(checkpoint, precision: .int8)
    let f32 = try ModelLoader.load(checkpoint, precision: .f32)      // the fixture is f32: a copy, not a conversion
    let zh = Learner.$language.withValue(.zh) { ProbReport.precisionLine(stored, int8) }
    let en = Learner.$language.withValue(.en) { ProbReport.precisionLine(stored, int8) }
    print(zh)
    #expect(zh.contains("量化为 int8") && !zh.contains("quantised") && !zh.contains("weights"), "\(zh)")
    #expect(en.contains("weights quantised to int8"), "\(en)")
    let copied = Learner.$language.withValue(.en) { ProbReport.precisionLine(f32, nil) }
    #expect(copied.contains("copied at load") && !copied.contains("converted"), "\(copied)")
}
