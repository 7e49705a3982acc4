// SequenceReports — lessons 6 and 7's measurements of sequence models as Output, in the learner's language:
// what attention adds to an encoder–decoder (exact match by source length, with and without attention:
// `lmlab seq2seq lengths`), and sequential against parallel (time per token of an RNN against one self-attention:
// `lmlab rnn parallel`); and one translation with its attention weights, and the held-out score
// (`lmlab seq2seq translate | eval`).
//
//   words  numbers  with attention  without attention
//       3       92          100.0 %             97.8 %

import Foundation
import LabCore
import NeuralLMs

public enum SequenceReports {
    /// Exact match per source length for the translator with attention and its twin without, on the same numbers.
    public static func lengths(attention: Seq2Seq, plain: Seq2Seq, pairs: [NumberPair]) -> Output {
        let (a, p) = (attention.exactMatchByLength(pairs), plain.exactMatchByLength(pairs))
        func percent(_ hits: Int, _ n: Int) -> String { CorpusReport.percent(Double(hits) / Double(max(n, 1))) }
        let rows = zip(a, p).map { x, y in ["\(x.words)", "\(x.numbers)", percent(x.exact, x.numbers), percent(y.exact, y.numbers)] }
        let total = { (r: [(words: Int, numbers: Int, exact: Int)]) in percent(r.map(\.exact).reduce(0, +), r.map(\.numbers).reduce(0, +)) }
        return .group(OutputGroup([
            .table(OutputTable(title: Learner.text("exact match on the \(pairs.count) held-out numbers, by length of the English source",
                                                   "\(pairs.count) 个留出的数的完全正确率，按英文原文的长度"),
                               headers: [Learner.text("words", "词数"), Learner.text("numbers", "个数"),
                                         Learner.text("with attention", "有注意力"), Learner.text("without attention", "无注意力")],
                               rows: rows + [[Learner.text("all", "全部"), "\(pairs.count)", total(a), total(p)]],
                               alignments: [.right, .right, .right, .right])),
            .text(OutputText(Learner.text(
                "parameters: with attention \(attention.parameterCount), without \(plain.parameterCount) (the same encoder and decoder; the twin lacks only the attention's weights)",
                "参数量：有注意力 \(attention.parameterCount)，无注意力 \(plain.parameterCount)（编码器和解码器相同，只少了注意力的权重）"), .dim)),
        ]))
    }

    /// The two times per token and their ratio.
    public static func sequentialVsParallel(_ t: SequentialVsParallelTiming, model: String) -> Output {
        func micro(_ s: Double) -> String { String(format: "%.2f µs", s * 1e6) }
        return .group(OutputGroup([
            .table(OutputTable(title: Learner.text("time per token over \(t.tokens) tokens, hidden size \(t.hiddenSize) (best of \(t.repeats) runs)",
                                                   "\(t.tokens) 个词元、隐藏维度 \(t.hiddenSize) 时每个词元的用时（\(t.repeats) 次中最快的一次）"),
                               headers: [Learner.text("computation", "计算"), Learner.text("per token", "每词元")],
                               rows: [[Learner.text("\(model), one step after another", "\(model)，一步接一步"), micro(t.recurrentSecondsPerToken)],
                                      [Learner.text("self-attention, all positions at once", "自注意力，所有位置一次算完"), micro(t.attentionSecondsPerToken)]],
                               alignments: [.left, .right])),
            .text(OutputText(Learner.text(String(format: "sequential / parallel: %.1f× per token", t.ratio),
                                          String(format: "顺序 / 并行：每词元 %.1f 倍", t.ratio)))),
        ]))
    }

    /// "forty two → 四十二", and with `alignment` the weights αᵢⱼ as a shaded table (rows: output tokens and </s>,
    /// columns: source words).
    public static func translation(_ t: Translation, alignment: Bool) -> Output {
        let words = t.source.joined(separator: " ")
        var text = "\(words) → \(t.output.joined())"
        if NumberTranslation.value(of: t.source) == nil {       // "twelve thousand": translated all the same, wrongly
            text += "\n" + Learner.text(
                "note: \"\(words)\" is not a number 1 … 9999 written as the translator learned them, so its answer is a guess.",
                "注意：“\(words)”不是翻译器学过的写法（1 … 9999 之间的数），它的答案只是猜测。")
        }
        let line = Output.text(OutputText(text))
        guard alignment else { return line }
        let shades = [" ", "░", "▒", "▓", "█"]
        let rows = zip(t.output + ["</s>"], t.alignment).map { token, row in
            [token] + row.map { a in shades[min(4, Int((a * 4).rounded()))] + String(format: " %.2f", a) }
        }
        return .group(OutputGroup([line, .table(OutputTable(headers: ["αᵢⱼ"] + t.source, rows: rows))]))
    }

    /// The held-out score of `eval`: exact match, and for a translator with attention how often its largest weight
    /// falls on the source word the output token comes from.
    public static func evaluation(_ translator: Seq2Seq, pairs: [NumberPair]) -> Output {
        let (exact, aligned) = translator.evaluate(pairs)
        // One measure a line, so each number stays on the line of its label at any cell width.
        var lines = [Learner.text("\(pairs.count) held-out numbers:", "\(pairs.count) 个留出的数："),
                     Learner.text(String(format: "  exact match %.1f%%", 100 * exact), String(format: "  完全正确 %.1f%%", 100 * exact))]
        lines.append(translator.attention == nil
            ? Learner.text("  (no attention, so no alignment)", "  （没有注意力，也就没有对齐）")
            : Learner.text(String(format: "  attention's argmax on the expected source word %.1f%%", 100 * aligned),
                           String(format: "  注意力最大处落在应对齐的源词上 %.1f%%", 100 * aligned)))
        return .text(OutputText(lines.joined(separator: "\n")))
    }
}
