// The checks of lesson 4 beyond the bigram counter: add-k smoothing and held-out perplexity. Expected values are
// ClassicLMs' own: `NGramCounts.probability(of:after:smoothing:)` (nltk's formulas, see NGramSmoothing.swift) and
// `NGramModel.perplexity` (what `lmlab ngram perplexity` prints), on the Luna story.
import ClassicLMs
import Tokenizers
import Foundation
import LabCore

enum NGramSpecs {
    static let addK = ExerciseSpec("add_k", tolerance: 1e-9, reference: "ClassicLMs' add-k smoothing (NGramCounts.probability)",
                                   cases: { inputs in
        let (model, _) = try ProbabilitySpecs.luna(inputs, order: 2, smoothing: .mle)
        let counts = model.counts, V = counts.vocabularySize
        var cases: [ExerciseCase] = []
        // Contexts: <s>, the story's words, and </s> (never followed by anything: an unseen context).
        let contexts = [model.tokens.beginId, model.tokens.endId] + Array(stride(from: 3, to: V, by: max(1, V / 12)))
        for (i, h) in contexts.enumerated() {
            let k = [1.0, 0.5, 0.1, 0.01, 2][i % 5]
            let row = (0..<V).map { w in Double(counts.count([h, w])) }
            let expected = (0..<V).map { w in counts.probability(of: w, after: [h], smoothing: .addK(k)) }
            let word = model.tokens.piece(h)
            let total = Int(row.reduce(0, +))
            let counts = Learner.text("<the \(V) counts c(\(word) w), \(total) in all>",
                                      "<\(V) 个计数 c(\(word) w)，共 \(total)>")
            cases.append(ExerciseCase("addK(counts: \(counts), k: \(show(k)))",
                                      args: [.numbers(row), .number(k)], expected: .numbers(expected), hints: total == 0 ? [3] : nil))
        }
        return cases
    }, advice: { c, yours, _ in
        guard let y = yours.numbers, y.count == c.expected.numbers?.count else { return Learner.text("return one probability per word of the vocabulary", "词表中每个词返回一个概率") }
        if let counts = c.args.first?.numbers, let unseen = counts.indices.first(where: { counts[$0] == 0 && y[$0] == 0 }) {
            return Learner.text("word \(unseen) never follows h, yet add-k gives it k / (N(h) + k·V), not 0: add k to every count in the numerator too",
                                "词 \(unseen) 从没跟在 h 后面，可加 k 平滑给它的是 k / (N(h) + k·V)，不是 0：分子里每个计数也要加 k")
        }
        if abs(y.reduce(0, +) - 1) > 1e-6 { return Learner.text("your row sums to \(show(y.reduce(0, +))): the denominator is N(h) + k·V, V = the whole vocabulary (counts.count)", "你的一行之和是 \(show(y.reduce(0, +)))：分母是 N(h) + k·V，V 是整个词表（counts.count）") }
        return Learner.text("P(w | h) = (c(h w) + k) / (N(h) + k·V), N(h) = the sum of the row", "P(w | h) = (c(h w) + k) / (N(h) + k·V)，N(h) 是这一行的和")
    })

    static let perplexity = ExerciseSpec("ngram_perplexity", tolerance: 1e-9, reference: "ClassicLMs' NGramModel.perplexity (`lmlab ngram perplexity`)",
                                         cases: { inputs in
        var cases: [ExerciseCase] = []
        for (order, smoothing) in [(2, NGramSmoothing.laplace), (2, .mle), (3, .addK(0.1)), (1, .laplace)] {
            let (model, held) = try ProbabilitySpecs.luna(inputs, order: order, smoothing: smoothing)
            for range in [0..<1, 0..<4, 2..<9] where range.upperBound <= held.count {
                let sentences = Array(held[range])
                let probs = sentences.map { s in model.ledger(s).entries.map { $0.probability ?? 0 } }
                let report = model.perplexity(sentences)
                let (n, lengths) = (sentences.count, probs.map(\.count))
                let shown = Learner.text(
                    "<\(n) sentence(s) of \(order)-gram \(smoothing) probabilities: \(lengths) tokens>",
                    "<\(n) 个句子在 \(order) 元模型、\(smoothing.learnerName) 下的概率：各 \(lengths) 个词元>")
                let perplexity = report.perplexity ?? .infinity
                cases.append(ExerciseCase("perplexity(\(shown))", args: [.list(probs.map(ExerciseValue.numbers))],
                                          expected: .number(perplexity),
                                          hints: perplexity.isInfinite ? [3] : n > 1 ? [1, 2] : nil))
            }
        }
        return cases
    }, advice: { c, yours, _ in
        if case .number(let e) = c.expected, e.isInfinite { return Learner.text("one token has probability 0, so log P = −∞ and the perplexity is ∞", "有一个词元的概率为 0，所以 log P = −∞，困惑度为 ∞") }
        if let slip = perplexitySlip(c, yours) { return slip }
        return Learner.text("pool every token of every sentence: exp(−(Σ ln p) / N) with N the total number of tokens — not the mean of per-sentence perplexities", "把所有句子的所有词元合在一起：exp(−(Σ ln p) / N)，N 是词元总数——不是各句困惑度的平均")
    })

    /// A perplexity whose log is the lab's times a telling factor: log2 or log10 inside exp, or the sum divided by
    /// the number of sentences (or by nothing) where the number of tokens belongs.
    static func perplexitySlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> String? {
        guard case .number(let e) = c.expected, case .number(let y) = yours, e > 1, y > 0,
              case .list(let sentences) = c.args.first else { return nil }
        let tokens = sentences.reduce(0) { $0 + ($1.numbers?.count ?? 0) }, count = sentences.count
        if let base = Slips.logBase(yours: log(y), naturalLog: log(e)) { return Slips.logBaseAdvice(base) }
        let ratio = log(y) / log(e)
        if Slips.close(ratio, Double(tokens) / Double(count)) {
            return Learner.text("N is the number of TOKENS (\(tokens) here), not of sentences (\(count)): exp(−(Σ ln p) / N)",
                                "N 是「词元」数（这里是 \(tokens)），不是句子数（\(count)）：exp(−(Σ ln p) / N)")
        }
        if Slips.close(ratio, Double(tokens)) {
            return Learner.text("divide Σ ln p by N = \(tokens), the number of tokens, before exp", "取 exp 前要把 Σ ln p 除以 N = \(tokens)（词元数）")
        }
        return nil
    }

    static let all = [addK, perplexity]
}
