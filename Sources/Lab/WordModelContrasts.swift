// WordModelContrasts — two experiments on what a model's input keeps, over the word-level LMs (WordLanguageModels):
//
//   order   (lesson 5, `lmlab nnlm order A B`): A and B hold the same words in another order. Their bags of words (the
//           count of each word) are equal, so every bag-of-words model — the unigram LM P = Π P(w) among them —
//           scores them alike; the NNLM reads its window as an ordered concatenation [C(w₁); …; C(w_N)] and does not.
//   window  (lesson 6, `lmlab nnlm window A B --compare rnn-stories-en`): two contexts that differ only before the
//           NNLM's window of N words. The NNLM's next-word distribution is the same after both (bit for bit: it is
//           a function of the last N words); the RNN's state hₜ carries the earlier word, so its distribution moves.

import ClassicLMs
import Decoding
import Foundation
import LabCore
import Tokenizers

public enum WordModelContrasts {
    /// The order experiment: the two bags of words, then ln P(A), ln P(B) and A − B under the unigram model of the
    /// model's corpus (MLE) and under each of `models`.
    public static func order(_ a: String, _ b: String, models: [WordLanguageModel]) throws -> Output {
        guard let first = models.first else { preconditionFailure("WordModelContrasts.order needs a model") }
        let (wordsA, idsA) = first.words(a), (wordsB, idsB) = first.words(b)
        func bag(_ words: [String]) -> [String: Int] { words.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        let (bagA, bagB) = (bag(wordsA), bag(wordsB))
        let vocabulary = Array(Set(bagA.keys).union(bagB.keys)).sorted()
        let same = bagA == bagB
        let verdict = same
            ? Learner.text("same bag of words: yes — as counts, A and B are one and the same vector",
                           "词袋相同：是——按词计数，A 和 B 是同一个向量")
            : Learner.text("same bag of words: no — A and B do not hold the same words",
                           "词袋相同：否——A 和 B 的词不一样")
        let corpus = try first.trainingCorpus()
        let unigram = NGramModel(order: 1, smoothing: .mle, vocabulary: first.tokens, sentences: corpus.train,
                                 name: Learner.text("unigram (bag of words)", "一元模型（词袋）"))
        func row<M: LanguageModel>(_ model: M, name: String) throws -> [String] {
            let sa = try SentenceScore.score([first.tokens.beginId] + idsA + [first.tokens.endId], with: model, pieces: first.tokens.piece)
            let sb = try SentenceScore.score([first.tokens.beginId] + idsB + [first.tokens.endId], with: model, pieces: first.tokens.piece)
            return [name] + [sa.totalLogProb, sb.totalLogProb, sa.totalLogProb - sb.totalLogProb].map { String(format: "%.3f", $0) }
        }
        var rows = [try row(unigram, name: unigram.name)]
        for m in models { rows.append(try row(m.model, name: m.model.name)) }
        return .group(OutputGroup([
            .text(OutputText("A: " + wordsA.joined(separator: " ") + "\nB: " + wordsB.joined(separator: " "))),
            .table(OutputTable(title: Learner.text("bags of words (how often each word occurs)", "词袋（每个词出现几次）"),
                               headers: [Learner.text("word", "词"), "A", "B"],
                               rows: vocabulary.map { [$0, "\(bagA[$0] ?? 0)", "\(bagB[$0] ?? 0)"] },
                               alignments: [.left, .right, .right])),
            .text(OutputText(verdict)),
            .table(OutputTable(headers: [Learner.text("model", "模型"), "ln P(A)", "ln P(B)", "A − B"], rows: rows,
                               alignments: [.left, .right, .right, .right])),
        ]))
    }

    /// The window experiment: after context A and after context B, each model's next-word distribution — its top
    /// words, the largest change of one word's probability max |ΔP| and the total variation ½ Σ |ΔP|.
    public static func window(_ a: String, _ b: String, models: [WordLanguageModel], top: Int = 2) throws -> Output {
        guard let first = models.first else { preconditionFailure("WordModelContrasts.window needs a model") }
        let (wordsA, idsA) = first.words(a), (wordsB, idsB) = first.words(b)
        let shared = zip(idsA.reversed(), idsB.reversed()).prefix { $0 == $1 }.count
        var lines = ["A: " + wordsA.joined(separator: " ") + " …", "B: " + wordsB.joined(separator: " ") + " …",
                     Learner.text("A and B end in the same \(shared) word\(shared == 1 ? "" : "s"); they differ before that.",
                                  "A 和 B 的最后 \(shared) 个词相同，差别在更早的位置。")]
        var rows: [[String]] = []
        for m in models {
            let pa = try nextWord(m.model, after: [m.tokens.beginId] + idsA)
            let pb = try nextWord(m.model, after: [m.tokens.beginId] + idsB)
            let deltas = zip(pa, pb).map { abs($0 - $1) }
            func best(_ p: [Double]) -> String {
                p.indices.sorted { p[$0] > p[$1] }.prefix(top).map { "\(m.tokens.piece($0)) " + String(format: "%.3f", p[$0]) }
                    .joined(separator: ", ")
            }
            rows.append([m.model.name, String(format: "%.3g", deltas.max() ?? 0), String(format: "%.3g", deltas.reduce(0, +) / 2),
                         best(pa), best(pb)])
        }
        if let window = models.compactMap({ $0.contextSize }).first {
            lines.append(Learner.text("The NNLM reads the last \(window) words only.", "NNLM 只读最后 \(window) 个词。"))
        }
        return .group(OutputGroup([
            .text(OutputText(lines.joined(separator: "\n"))),
            .table(OutputTable(title: Learner.text("the next word after A and after B", "A 之后和 B 之后的下一个词"),
                               headers: [Learner.text("model", "模型"), "max |ΔP|", "½ Σ |ΔP|",
                                         Learner.text("top after A", "A 之后的前几名"), Learner.text("top after B", "B 之后的前几名")],
                               rows: rows, alignments: [.left, .right, .right, .left, .left])),
        ]))
    }

    /// P(next word | `context`) [V] under `model`.
    static func nextWord<M: LanguageModel>(_ model: M, after context: [Int]) throws -> [Double] {
        var state = try model.makeState()
        return try model.append(context, to: &state).map { Foundation.exp(Double($0)) }
    }
}
