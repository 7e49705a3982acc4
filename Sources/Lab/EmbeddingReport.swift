// EmbeddingReport — lesson 5's word vectors as Output, labelled in the learner's language: what a word2vec run
// did (speed, loss, analogy accuracy by section), the nearest neighbours of a word, the answers to an analogy,
// and the 2-D PCA map of chosen words (`lmlab embed train | neighbors | analogy | map`).
//
//   dog : woof :: cat : ?
//   rank  word    cosine
//   ────  ──────  ──────
//      1  meow     0.916

import ClassicLMs
import Foundation
import LabCore

public enum EmbeddingReport {
    /// `embed train --json`: the run's settings, vocabulary size, training report and analogy accuracy (the keys
    /// are a contract).
    public struct Summary: Encodable {
        public let corpus: String
        public let config: Word2VecConfig
        public let vocabulary: Int
        public let training: Word2VecTrainingReport
        public let analogies: AnalogyReport?
        public let accuracy: Double?
        public let saved: String?

        public init(corpus: String, model: Word2VecModel, training: Word2VecTrainingReport, analogies: AnalogyReport?,
                    saved: String?) {
            self.corpus = corpus
            config = model.config
            vocabulary = model.vocabulary.count
            self.training = training
            self.analogies = analogies
            accuracy = analogies?.accuracy
            self.saved = saved
        }
    }

    /// The run: settings, speed and loss, the analogy sections, where the vectors went.
    public static func training(_ s: Summary) -> Output {
        let c = s.config, r = s.training
        let rate = TrainingMeter.grouped(Int(r.wordsPerSecond.rounded()))
        var items: [Output] = [
            .text(OutputText(Learner.text(
                "word2vec \(c.architecture.rawValue) on \(s.corpus): vocabulary \(s.vocabulary), D = \(c.dimension), "
                    + "window \(c.window), \(c.negative) negatives, sample \(c.sample), \(c.threads) threads",
                "word2vec \(c.architecture.rawValue)，语料 \(s.corpus)：词表 \(s.vocabulary)，D = \(c.dimension)，"
                    + "窗口 \(c.window)，\(c.negative) 个负样本，下采样 \(c.sample)，\(c.threads) 个线程"))),
            .text(OutputText(Learner.text(
                String(format: "%.2f epochs of %d words in %.2f s (%.2f CPU s): %@ words/s; %d pairs; sampled loss %.3f",
                       r.epochs, r.wordsPerEpoch, r.seconds, r.cpuSeconds, rate, r.pairs, r.finalLoss)
                    + (r.cancelled ? " (cancelled)" : ""),
                String(format: "%.2f 轮，每轮 %d 个词，用时 %.2f 秒（CPU %.2f 秒）：每秒 %@ 词；%d 个词对；采样损失 %.3f",
                       r.epochs, r.wordsPerEpoch, r.seconds, r.cpuSeconds, rate, r.pairs, r.finalLoss)
                    + (r.cancelled ? "（已中断）" : "")))),
        ]
        if let a = s.analogies { items.append(analogies(a)) }
        if let path = s.saved { items.append(.text(OutputText(Learner.text("saved \(path)", "已保存 \(path)")))) }
        return .group(OutputGroup(items))
    }

    /// Accuracy on an analogy file, per section and overall.
    public static func analogies(_ a: AnalogyReport) -> Output {
        let percent = CorpusReport.percent
        return .table(OutputTable(
            headers: [Learner.text("analogy section", "类比题组"), Learner.text("correct", "答对"), Learner.text("asked", "题数"),
                      Learner.text("skipped", "跳过"), Learner.text("accuracy", "准确率")],
            rows: a.sections.map { [sectionName($0.name), "\($0.correct)", "\($0.asked)", "\($0.skipped)", percent($0.accuracy)] }
                + [[Learner.text("all", "全部"), "\(a.correct)", "\(a.asked)", "", percent(a.accuracy)]],
            alignments: [.left, .right, .right, .right, .right]))
    }

    /// The sections of the lab's own analogy files (Lessons/data/analogies.*.txt), named for a Chinese reader;
    /// any other section keeps the name its file gives it.
    static func sectionName(_ name: String) -> String {
        let zh = ["capital-country": "首都–国家", "animal-sound": "动物–叫声", "male-female": "男–女",
                  "animal-plural": "动物单复数", "food-plural": "食物单复数"]
        return Learner.isChinese ? zh[name] ?? name : name
    }

    /// Ranked words with their cosine, under a title.
    public static func ranked(_ words: [(word: String, cosine: Float)], title: String) -> Output {
        .table(OutputTable(title: title, headers: [Learner.text("rank", "排名"), Learner.text("word", "词"), Learner.text("cosine", "余弦")],
                           rows: words.enumerated().map { ["\($0.offset + 1)", $0.element.word, String(format: "%.3f", $0.element.cosine)] },
                           alignments: [.right, .left, .right]))
    }

    /// The nearest neighbours of `word`.
    public static func neighbors(of word: String, _ words: [(word: String, cosine: Float)]) -> Output {
        ranked(words, title: Learner.text("neighbours of \(word)", "\(word) 的近邻"))
    }

    /// The answers to a : b :: c : ?.
    public static func analogy(_ a: String, _ b: String, _ c: String, _ words: [(word: String, cosine: Float)]) -> Output {
        ranked(words, title: "\(a) : \(b) :: \(c) : ?")
    }

    /// The map as a scatter plot, titled with the variance its two axes explain.
    public static func map(_ m: Word2VecMap) -> Output {
        let (pc1, pc2) = (100 * m.explained[0], 100 * (m.explained.count > 1 ? m.explained[1] : 0))
        let title = Learner.text(String(format: "PCA of %d unit word vectors: PC1 %.1f%%, PC2 %.1f%% of the variance", m.points.count, pc1, pc2),
                                 String(format: "%d 个单位词向量的 PCA：PC1 解释 %.1f%% 的方差，PC2 解释 %.1f%%", m.points.count, pc1, pc2))
        return .scatter(Scatter(title: title, xLabel: "PC1", yLabel: "PC2",
                                points: m.points.map { ScatterPoint($0.word, x: $0.x, y: $0.y) }))
    }
}
