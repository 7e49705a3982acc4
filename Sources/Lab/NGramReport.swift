// NGramReport — lesson 4's n-gram measurements as Output, labelled in the learner's language: the model's size,
// the P(sentence) ledger with the counts behind every factor, held-out perplexity by order, and how many held-out
// k-grams training never saw (`lmlab ngram train | prob | perplexity | sparsity`).
//
//   context    token  P(token | context)    ln P  c(h w)   N(h)
//   <s> <s>    the              0.226912  -1.483    8270  36444
//   <s> the    cat             0.0661939  -2.715     548   8270

import ClassicLMs
import Decoding
import Foundation
import LabCore
import Tokenizers

public enum NGramReport {
    /// The model's size per order and its held-out perplexity.
    public static func summary(_ s: NGramSummary) -> Output {
        var items: [Output] = [
            .text(OutputText(Learner.text(
                "vocabulary \(s.vocabulary) (with <unk> <s> </s>), \(s.sentences) sentences, \(s.tokens) tokens; "
                    + String(format: "counted in %.3f s", s.countSeconds),
                "词表 \(s.vocabulary)（含 <unk> <s> </s>），\(s.sentences) 句，\(s.tokens) 个词元；"
                    + String(format: "计数用时 %.3f 秒", s.countSeconds)))),
            .table(OutputTable(headers: ["k", Learner.text("distinct k-grams", "不同的 k 元组"),
                                         Learner.text("k-gram windows", "k 元组窗口")],
                               rows: s.grams.map { ["\($0.order)", "\($0.types)", "\($0.windows)"] },
                               alignments: [.right, .right, .right])),
        ]
        if let p = s.heldOut {
            items.append(.text(OutputText(Learner.text("held-out perplexity: ", "留出集困惑度：") + perplexity(p))))
        }
        return .group(OutputGroup(title: Learner.text("\(s.order)-gram model of \(s.corpus), \(s.smoothing.learnerName)",
                                                      "\(s.corpus) 的 \(s.order) 元模型，\(s.smoothing.learnerName)"), items))
    }

    /// P(sentence) as a ledger: one row per factor with the counts c(h w) and N(h) behind it, then the total.
    public static func ledger(_ ledger: SentenceScore) -> Output {
        .group(OutputGroup([
            .table(OutputTable(headers: [Learner.text("context", "上文"), Learner.text("token", "词元"),
                                         Learner.text("P(token | context)", "P(词元 | 上文)"), "ln P", "c(h w)", "N(h)"],
                               rows: ledger.entries.map {
                                   [($0.context ?? []).joined(separator: " "), $0.piece, String(format: "%.6g", $0.probability ?? 0),
                                    String(format: "%.3f", $0.logProb ?? 0), "\($0.counts?.word ?? 0)", "\($0.counts?.context ?? 0)"]
                               }, alignments: [.left, .left, .right, .right, .right, .right])),
            .text(OutputText(Learner.text("ln P(sentence)", "ln P(句子)")
                             + String(format: " = %.4f   P = %.4g   ", ledger.totalLogProb, ledger.probability)
                             + Learner.text("per-token perplexity", "每词元困惑度") + String(format: " = %.3f", ledger.perplexity))),
        ]))
    }

    /// Held-out perplexity for each order.
    public static func perplexities(_ reports: [PerplexityReport], corpus: String, smoothing: NGramSmoothing) -> Output {
        .table(OutputTable(title: Learner.text("held-out perplexity of \(corpus), \(smoothing.learnerName)",
                                               "\(corpus) 的留出集困惑度，\(smoothing.learnerName)"),
                           headers: ["n", Learner.text("perplexity", "困惑度"), Learner.text("tokens with P = 0", "P = 0 的词元"),
                                     Learner.text("ppl over P > 0", "P > 0 部分的困惑度")],
                           rows: reports.map { ["\($0.order)", perplexity($0), "\($0.zeroProbabilityTokens)/\($0.tokens)",
                                                $0.perplexityOverNonZero.map { String(format: "%.3f", $0) } ?? "—"] },
                           alignments: [.right, .right, .right, .right]))
    }

    /// For k = 1 … n: the held-out k-grams (windows and distinct types) and contexts training never saw.
    public static func sparsity(_ rows: [SparsityRow], corpus: String) -> Output {
        let percent = CorpusReport.percent
        return .table(OutputTable(
            title: Learner.text("held-out k-grams of \(corpus) never seen in training", "\(corpus) 留出集中训练时从未见过的 k 元组"),
            headers: ["k", Learner.text("training k-gram types", "训练集 k 元组种类"), Learner.text("unseen windows", "未见过的窗口"),
                      Learner.text("unseen types", "未见过的种类"), Learner.text("context unseen", "上文也没见过")],
            rows: rows.map {
                let share = { (share: Double) in Learner.text(" (\(percent(share)))", "（\(percent(share))）") }
                return ["\($0.order)", "\($0.trainingTypes)",
                        "\($0.unseenWindows)/\($0.windows)" + share($0.unseenWindowShare),
                        "\($0.unseenTypes)/\($0.types)" + share($0.unseenTypeShare),
                        "\($0.unseenContexts)" + share($0.unseenContextShare)]
            }, alignments: [.right, .right, .right, .right, .right]))
    }

    /// "12.345", or "∞ (3 tokens with P = 0)".
    public static func perplexity(_ r: PerplexityReport) -> String {
        r.perplexity.map { String(format: "%.3f", $0) }
            ?? Learner.text("∞ (\(r.zeroProbabilityTokens) tokens with P = 0)", "∞（\(r.zeroProbabilityTokens) 个词元 P = 0）")
    }
}

extension Corpus {
    /// The vocabulary of the tokens seen at least `minCount` times in training (--min-count).
    /// - Throws: `OptionValueError` when no token reaches it, so every token would read as <unk>.
    public func checkedVocabulary(minCount: Int) throws -> TokenVocabulary {
        let largest = largestMinCount(keeping: 1)
        guard minCount <= largest else {
            throw OptionValueError(Learner.text(
                "--min-count \(minCount) is above every token's count in \(spec.name), so every "
                    + "token would read as <unk>. HINT: use a --min-count of at most \(largest) (2 is usual).",
                "--min-count \(minCount) 比 \(spec.name) 里每个词元的次数都大，所有词元都会变成 <unk>。"
                    + "HINT：用不超过 \(largest) 的 --min-count（常用 2）。"))
        }
        return vocabulary(minCount: minCount)
    }
}

extension NGramModel {
    /// `lmlab ngram`'s model of `order` over the tokens seen at least `minCount` times, with the counting time.
    public static func counted(_ corpus: Corpus, minCount: Int, order: Int, smoothing: NGramSmoothing) throws
        -> (model: NGramModel, seconds: Double) {
        counted(corpus, vocabulary: try corpus.checkedVocabulary(minCount: minCount), order: order,
                smoothing: smoothing)
    }

    /// `ngram perplexity`: held-out perplexity for n = 1 … `maxN`, all over the vocabulary of `minCount`.
    /// - Throws: `CorpusError.noHeldOut` for a corpus without held-out text.
    public static func heldOutPerplexities(_ corpus: Corpus, minCount: Int, maxN: Int, smoothing: NGramSmoothing) throws
        -> [PerplexityReport] {
        guard !corpus.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus.spec.name) }
        return perplexities(corpus, vocabulary: try corpus.checkedVocabulary(minCount: minCount), orders: 1...maxN,
                            smoothing: smoothing)
    }

    /// `ngram sparsity`: for k = 1 … n, the held-out k-grams this model never counted.
    /// - Throws: `CorpusError.noHeldOut` for a corpus without held-out text.
    public func heldOutSparsity(_ corpus: Corpus) throws -> [SparsityRow] {
        guard !corpus.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus.spec.name) }
        return counts.sparsity(of: corpus.ids(tokens).heldOut)
    }
}
