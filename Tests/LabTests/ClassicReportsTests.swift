// The classic lessons' reports (corpus, n-gram, word2vec) as Output: labelled in the learner's language, numbers
// and JSON keys the same in both, worked on the small luna corpus so every figure can be checked by hand.
import ClassicLMs
import Foundation
import LabCore
import Testing
@testable import Lab

private func corpus(_ name: String) throws -> Corpus {
    let root = try #require(ProjectPaths.root(currentDirectory: #filePath))
    return try Corpus(try CorpusSpec.named(name), dataDirectory: root.appendingPathComponent("Lessons/data"))
}

/// The output built and laid out in `language` (built inside the binding: labels are chosen when it is built).
private func text(_ output: @autoclosure () -> Output, _ language: LessonLanguage) -> String {
    Learner.$language.withValue(language) { PlainRenderer.render(output(), width: 120) }
}

@Test func corpusStatisticsSpeakTheLearnersLanguage() throws {
    let c = try corpus("stories-en")
    let stats = CorpusStatistics(c, top: 3)
    let en = text(CorpusReport.statistics(stats, spec: c.spec), .en)
    let zh = text(CorpusReport.statistics(stats, spec: c.spec), .zh)
    #expect(en.contains("types seen once") && en.contains("Zipf's law") && en.contains("rank"))
    #expect(zh.contains("只出现一次的词型") && zh.contains("齐普夫定律") && zh.contains("排名"))
    #expect(!zh.contains("types seen once"))
    // The numbers do not change with the language.
    #expect(en.contains("\(stats.sentences)") && zh.contains("\(stats.sentences)"))
    #expect(text(CorpusReport.list(), .zh).contains("训练文件"))
}

@Test func zipfPlotIsLogFrequencyAgainstLogRank() throws {
    guard case .linePlot(let plot) = CorpusReport.zipfPlot([100, 10, 1, 0]) else { Issue.record("not a line plot"); return }
    // The zero frequency is left out (log 0); ranks 1, 2, 3 → log₁₀ 0, 0.301, 0.477; frequencies → 2, 1, 0.
    let s = try #require(plot.series.first)
    #expect(s.y == [2, 1, 0])
    #expect(abs(s.x[1] - log10(2)) < 1e-12 && abs(s.x[2] - log10(3)) < 1e-12)
    #expect(CorpusReport.zipfPlot([5]).kind == "text")
}

@Test func ngramReportsKeepTheirNumbersAndKeysInBothLanguages() throws {
    let c = try corpus("stories-en")
    let vocab = c.vocabulary(minCount: 2)
    let (model, seconds) = NGramModel.counted(c, vocabulary: vocab, order: 2, smoothing: .kneserNey(discount: 0.75))
    let summary = NGramSummary(model, corpus: c, countSeconds: seconds)
    #expect(summary.grams.map(\.order) == [1, 2])
    #expect(summary.heldOut != nil)
    let en = text(NGramReport.summary(summary), .en), zh = text(NGramReport.summary(summary), .zh)
    #expect(en.contains("held-out perplexity: ") && en.contains("distinct k-grams"))
    #expect(zh.contains("留出集困惑度：") && zh.contains("不同的 k 元组"))
    #expect(en.contains(NGramReport.perplexity(summary.heldOut!)) && zh.contains(NGramReport.perplexity(summary.heldOut!)))
    // `ngram train --json` keys (a contract).
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as! [String: Any]
    #expect(Set(json.keys) == ["corpus", "order", "smoothing", "vocabulary", "sentences", "tokens", "countSeconds", "grams", "heldOut"])

    // Perplexity by order: each report is the model of that order counted on its own.
    let reports = NGramModel.perplexities(c, vocabulary: vocab, orders: 1...2, smoothing: .laplace)
    let alone = NGramModel.counted(c, vocabulary: vocab, order: 2, smoothing: .laplace).model.perplexity(c.ids(vocab).heldOut)
    #expect(reports.map(\.order) == [1, 2])
    #expect(reports[1] == alone)
    #expect(text(NGramReport.perplexities(reports, corpus: "stories-en", smoothing: .laplace), .zh).contains("的留出集困惑度"))
    let ledger = model.ledger(["the", "cat"].map(vocab.idOrUnknown))
    #expect(text(NGramReport.ledger(ledger), .zh).contains("每词元困惑度"))
    #expect(text(NGramReport.ledger(ledger), .en).contains("per-token perplexity"))
}

@Test func largestMinCountIsTheNthHighestCount() throws {
    let c = try corpus("luna-en")
    let counts = Dictionary(c.train.joined().map { ($0, 1) }, uniquingKeysWith: +).values.sorted(by: >)
    #expect(c.largestMinCount(keeping: 1) == counts[0])
    #expect(c.largestMinCount(keeping: 2) == counts[1])
    #expect(c.largestMinCount(keeping: counts.count + 1) == 0)
}

@Test func word2vecReportsSpeakTheLearnersLanguage() throws {
    let c = try corpus("luna-en")
    var config = Word2VecConfig()
    config.dimension = 8; config.epochs = 1; config.minCount = 1; config.threads = 1
    let (model, report) = try Word2VecModel.train(on: c, config: config)
    #expect(report.words > 0 && !report.cancelled)
    config.minCount = c.largestMinCount(keeping: 2) + 1
    #expect(throws: Word2VecError.self) { try Word2VecModel.train(on: c, config: config) }

    let e = Word2VecEmbeddings(model)
    let words = Array(model.vocabulary.words.prefix(4))
    let map = try e.map(words)
    #expect(map.points.map(\.word) == words && map.explained.count == 2)
    #expect(throws: Word2VecError.self) { try e.map(["no-such-word-here"]) }
    #expect(text(EmbeddingReport.map(map), .zh).contains("的 PCA"))
    let near = try e.neighbors(of: words[0], k: 2)
    #expect(text(EmbeddingReport.neighbors(of: words[0], near), .zh).contains("的近邻"))
    #expect(text(EmbeddingReport.neighbors(of: words[0], near), .en).contains("neighbours of \(words[0])"))
    let summary = EmbeddingReport.Summary(corpus: "luna-en", model: model, training: report, analogies: nil, saved: nil)
    #expect(text(EmbeddingReport.training(summary), .zh).contains("词表 \(model.vocabulary.count)"))
    let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(summary)) as! [String: Any]
    #expect(Set(json.keys) == ["corpus", "config", "vocabulary", "training"])
}

@Test func ngramSentencesAreSeededAndNeverWriteUnknown() throws {
    let c = try corpus("stories-en")
    let vocab = c.vocabulary(minCount: 2)
    let model = NGramModel.counted(c, vocabulary: vocab, order: 3, smoothing: .kneserNey(discount: 0.75)).model
    let prompt = ["the", "cat"].map(vocab.idOrUnknown)
    let a = try model.sentences(prompt: prompt, count: 3, maxTokens: 20, greedy: false, temperature: 1.5, seed: 7, tokenization: .words)
    let b = try model.sentences(prompt: prompt, count: 3, maxTokens: 20, greedy: false, temperature: 1.5, seed: 7, tokenization: .words)
    #expect(a == b && a.count == 3)
    #expect(a.allSatisfy { $0.hasPrefix("the cat") && !$0.contains("<unk>") && !$0.contains("<s>") })
    // Greedy ignores the temperature and the seed: every sentence is the same most probable one.
    let g = try model.sentences(prompt: prompt, count: 2, maxTokens: 20, greedy: true, temperature: 3, seed: 1, tokenization: .words)
    #expect(g[0] == g[1])
    #expect(g == (try model.sentences(prompt: prompt, count: 2, maxTokens: 20, greedy: true, temperature: 1, seed: 9, tokenization: .words)))
}
