// CorpusReport — the corpora of the classic lessons as Output: the list, and one corpus's statistics (sizes,
// vocabulary, the most frequent tokens and Zipf's law as a log–log plot of frequency against rank), labelled in
// the learner's language (`lmlab corpus list`, `lmlab corpus stats`).
//
//   stories-en  (Lessons/data/stories.en.train.txt, words)
//   measure                          value
//   sentences                        36444
//   …
//   Zipf's law: frequency ≈ C / rank^1.29

import ClassicLMs
import Foundation
import LabCore

public enum CorpusReport {
    /// The corpora under Lessons/data, one row each.
    public static func list(_ specs: [CorpusSpec] = CorpusSpec.all) -> Output {
        .table(OutputTable(headers: [Learner.text("name", "名称"), Learner.text("language", "语言"),
                                     Learner.text("tokens", "切分"), Learner.text("train file", "训练文件"),
                                     Learner.text("held-out file", "留出文件")],
                           rows: specs.map { [$0.name, $0.language, cut($0.tokenization), $0.trainFile, $0.heldOutFile ?? "—"] }))
    }

    /// Sizes, vocabulary, the top tokens and the Zipf plot of `s`, computed from `spec`'s corpus.
    public static func statistics(_ s: CorpusStatistics, spec: CorpusSpec) -> Output {
        var facts: [[String]] = [
            [Learner.text("sentences", "句子数"), "\(s.sentences)"], [Learner.text("tokens", "词元数"), "\(s.tokens)"],
            [Learner.text("bytes", "字节数"), "\(s.bytes)"], [Learner.text("types (vocabulary)", "词型数（词表）"), "\(s.types)"],
            [Learner.text("types seen once", "只出现一次的词型"),
             "\(s.singletons)" + Learner.text(" (", "（") + percent(Double(s.singletons) / Double(max(s.types, 1))) + Learner.text(")", "）")],
        ]
        if spec.heldOutFile != nil {
            facts.append([Learner.text("held-out sentences", "留出集句子数"), "\(s.heldOutSentences)"])
            facts.append([Learner.text("held-out tokens", "留出集词元数"), "\(s.heldOutTokens)"])
            facts.append([Learner.text("held-out tokens unseen in train", "训练集中没见过的留出词元"), "\(s.heldOutUnknown)"])
        }
        let top = s.top.enumerated().map { i, t in
            ["\(i + 1)", t.token, "\(t.count)", percent(Double(t.count) / Double(max(s.tokens, 1)))]
        }
        let source = "Lessons/data/\(spec.trainFile)"
        let title = s.name + Learner.text("  (\(source), \(cut(spec.tokenization)))", "（\(source)，\(cut(spec.tokenization))）")
        return .group(OutputGroup(title: title, [
            .table(OutputTable(headers: [Learner.text("measure", "指标"), Learner.text("value", "数值")], rows: facts,
                               alignments: [.left, .right])),
            .table(OutputTable(headers: [Learner.text("rank", "排名"), Learner.text("token", "词元"),
                                         Learner.text("count", "次数"), Learner.text("share", "占比")],
                               rows: top, alignments: [.right, .left, .right, .right])),
            .text(OutputText(Learner.text(String(format: "Zipf's law: frequency ≈ C / rank^%.2f", s.zipfExponent),
                                          String(format: "齐普夫定律：频次 ≈ C / 排名^%.2f", s.zipfExponent)))),
            zipfPlot(s.frequencies),
        ]))
    }

    /// How a corpus is cut, for the learner: the option value in English (words, characters, lexicon-words), in
    /// words in Chinese.
    static func cut(_ t: CorpusTokenization) -> String {
        switch t {
        case .words: Learner.text(t.rawValue, "按词")
        case .characters: Learner.text(t.rawValue, "按字")
        case .lexiconWords: Learner.text(t.rawValue, "按词表切词")
        }
    }

    /// log₁₀ frequency against log₁₀ rank: Zipf's law is the straight line it falls on.
    public static func zipfPlot(_ frequencies: [Int]) -> Output {
        let ranked = frequencies.enumerated().filter { $0.element > 0 }
        guard ranked.count > 1 else { return .text(OutputText(Learner.text("(too few types to plot)", "（词型太少，画不出图）"))) }
        return .linePlot(LinePlot(xLabel: Learner.text("log₁₀ rank", "log₁₀ 排名"), yLabel: Learner.text("log₁₀ frequency", "log₁₀ 频次"),
                                  series: [PlotSeries(name: Learner.text("frequency", "频次"),
                                                      x: ranked.map { Foundation.log10(Double($0.offset + 1)) },
                                                      y: ranked.map { Foundation.log10(Double($0.element)) })]))
    }

    /// 0.1234 → "12.3%".
    public static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
}
