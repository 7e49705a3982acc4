// What `lmlab nnlm prob` shows: P(sentence) token by token under Bengio's NNLM beside the trigram MLE model of the
// same corpus — where the counts have never seen a context the network still answers. Its fields are the
// command's --json keys.
import ClassicLMs
import Foundation
import LabCore
import NeuralLMs

public struct NNLMComparison: Encodable, Sendable {
    public struct Row: Encodable, Sendable { public let context: [String]; public let token: String; public let nnlm: Double; public let mle: Double }
    public let rows: [Row]
    public let nnlmLogProbability: Double
    public let mleLogProbability: Double?
    /// Words of the sentence the NNLM's vocabulary lacks, scored as <unk> (a Chinese word: the NNLM read English).
    public let unknownWords: [String]

    /// Scores `sentence` (tokenized like `corpus`) under `nnlm` and under the trigram MLE of `corpus`.
    public init(_ sentence: String, nnlm: NNLM, corpus: Corpus) throws {
        let words = corpus.split(sentence)
        let ids = words.map(nnlm.tokens.idOrUnknown)
        var unknown: [String] = []
        for (w, id) in zip(words, ids) where id == nnlm.tokens.unknownId && w != nnlm.tokens.piece(id) && !unknown.contains(w) {
            unknown.append(w)
        }
        unknownWords = unknown
        let mle = NGramModel(order: 3, smoothing: .mle, vocabulary: nnlm.tokens, sentences: corpus.train)
        var state = try nnlm.makeState()
        let logProbs = try nnlm.scoreAll([nnlm.tokens.beginId] + ids, from: &state)
        var rows: [Row] = []
        var history: [Int] = []
        for (i, w) in (ids + [nnlm.tokens.endId]).enumerated() {
            rows.append(Row(context: nnlm.context(history).map(nnlm.tokens.piece), token: nnlm.tokens.piece(w),
                            nnlm: Foundation.exp(Double(logProbs[i][w])), mle: mle.probability(of: w, after: history)))
            history.append(w)
        }
        let nnlmLog = rows.map { Foundation.log($0.nnlm) }.reduce(0, +)
        let mleLog = rows.contains { $0.mle == 0 } ? nil : rows.map { Foundation.log($0.mle) }.reduce(0, +)
        (self.rows, nnlmLogProbability, mleLogProbability) = (rows, nnlmLog, mleLog)
    }

    /// The ledger of both models and the totals.
    public var output: Output {
        let (rows, nnlmLog, mleLog) = (self.rows, nnlmLogProbability, mleLogProbability)
        let unseen = Learner.text("0 (unseen)", "0（没见过）")
        var items: [Output] = [
            .table(OutputTable(headers: [Learner.text("context", "上文"), Learner.text("token", "词元"), "P NNLM",
                                         Learner.text("P 3-gram MLE", "P 三元 MLE")],
                               rows: rows.map { [$0.context.joined(separator: " "), $0.token, String(format: "%.6g", $0.nnlm),
                                                 $0.mle == 0 ? unseen : String(format: "%.6g", $0.mle)] },
                               alignments: [.left, .left, .right, .right])),
            .text(Learner.text(String(format: "ln P(sentence): NNLM %.4f (per-token perplexity %.3f); 3-gram MLE ", nnlmLog,
                                      Foundation.exp(-nnlmLog / Double(rows.count))),
                               String(format: "ln P(句子)：NNLM %.4f（每词元困惑度 %.3f）；三元 MLE ", nnlmLog,
                                      Foundation.exp(-nnlmLog / Double(rows.count))))
                  + (mleLog.map { String(format: "%.4f", $0) } ?? "−∞ (P = 0)")),
        ]
        if !unknownWords.isEmpty {
            items.append(.text(OutputText(Learner.text(
                "not in the NNLM's vocabulary, scored as <unk>: \(unknownWords.joined(separator: ", ")). "
                    + "HINT: the NNLM read only the English stories; try an English sentence.",
                "NNLM 的词表里没有这些词，按 <unk> 计分：\(unknownWords.joined(separator: "、"))。"
                    + "HINT：NNLM 只读过英文故事，换一个英文句子试试。"), .dim)))
        }
        return .group(OutputGroup(items))
    }
}
