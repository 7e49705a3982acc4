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
    }, advising: { c, yours, _ in
        guard let y = yours.numbers, y.count == c.expected.numbers?.count else { return Learner.text("return one probability per word of the vocabulary", "词表中每个词返回一个概率").advice }
        if let counts = c.args.first?.numbers, counts.allSatisfy({ $0 == 0 }) {
            return Learner.text("h was never seen (every count is 0), yet the formula needs no special case: every word gets k / (k·V) = 1/V = \(show(1 / Double(counts.count)))",
                                "h 从没出现过（计数全为 0），可公式不需要特殊处理：每个词得到 k / (k·V) = 1/V = \(show(1 / Double(counts.count)))").hints(3)
        }
        if let counts = c.args.first?.numbers, let unseen = counts.indices.first(where: { counts[$0] == 0 && y[$0] == 0 }) {
            return Learner.text("word \(unseen) never follows h, yet add-k gives it k / (N(h) + k·V), not 0: add k to every count in the numerator too",
                                "词 \(unseen) 从没跟在 h 后面，可加 k 平滑给它的是 k / (N(h) + k·V)，不是 0：分子里每个计数也要加 k").advice
        }
        if abs(y.reduce(0, +) - 1) > 1e-6 { return Learner.text("your row sums to \(show(y.reduce(0, +))): the denominator is N(h) + k·V, V = the whole vocabulary (counts.count)", "你这一行的和是 \(show(y.reduce(0, +)))：分母是 N(h) + k·V，V 是整个词表（counts.count）").hints(2) }
        return Learner.text("P(w | h) = (c(h w) + k) / (N(h) + k·V), N(h) = the sum of the row", "P(w | h) = (c(h w) + k) / (N(h) + k·V)，N(h) 是这一行的和").advice
    })

    static let perplexity = ExerciseSpec("ngram_perplexity", tolerance: 1e-9, reference: "ClassicLMs' NGramModel.perplexity (`lmlab ngram perplexity`)",
                                         cases: { inputs in
        var cases: [ExerciseCase] = []
        func add(_ model: NGramModel, _ sentences: [[Int]]) {
            let probs = sentences.map { s in model.ledger(s).entries.map { $0.probability ?? 0 } }
            let perplexity = model.perplexity(sentences).perplexity ?? .infinity
            let n = sentences.count, lengths = probs.map { String($0.count) }
            let orders = [1: "一元", 2: "二元", 3: "三元"]
            let name = model.smoothing.learnerName
            let shown = Learner.text(
                "<\(counted(n, "sentence")) (\(lengths.joined(separator: ", ")) tokens) under a \(model.order)-gram \(name) model>",
                "<\(n) 个句子（\(n == 1 ? "" : "各 ")\(lengths.joined(separator: "、")) 个词元）在\(orders[model.order] ?? "\(model.order) 元") \(name)\(name.hasSuffix("）") ? "" : " ")模型下的概率>")
            cases.append(ExerciseCase("perplexity(\(shown))", args: [.list(probs.map(ExerciseValue.numbers))],
                                      expected: .number(perplexity),
                                      hints: perplexity.isInfinite ? [3] : n > 1 ? [1, 2] : nil))
        }
        for (order, smoothing) in [(2, NGramSmoothing.laplace), (2, .mle), (3, .addK(0.1)), (1, .laplace)] {
            let (model, held) = try ProbabilitySpecs.luna(inputs, order: order, smoothing: smoothing)
            for range in [0..<1, 0..<4, 2..<9] where range.upperBound <= held.count { add(model, Array(held[range])) }
            // A sentence the story never has (one of its own, backwards): under MLE a bigram it never saw gets
            // probability 0, so log P = −∞ and the perplexity is ∞ — a solution that skips the zeros is finite.
            if smoothing == .mle, let unseen = held.lazy.map({ Array($0.reversed()) })
                .first(where: { s in model.ledger(s).entries.contains { $0.probability == 0 } }) {
                add(model, [held[0], unseen])
            }
        }
        return cases
    }, advising: { c, yours, _ in
        if case .number(let e) = c.expected, e.isInfinite {
            return Learner.text("one token has probability 0, so log P = −∞ and the perplexity is ∞ — don't skip it",
                                "有一个词元的概率为 0，所以 log P = −∞，困惑度为 ∞——不要跳过它").hints(3)
        }
        if let slip = perplexitySlip(c, yours) { return slip }
        return Learner.text("pool every token of every sentence: exp(−(Σ ln p) / N) with N the total number of tokens — not the mean of per-sentence perplexities", "把所有句子的所有词元合在一起：exp(−(Σ ln p) / N)，N 是词元总数——不是各句困惑度的平均").advice
    })

    /// A perplexity whose log is the lab's times a telling factor: log2 or log10 inside exp, or the sum divided by
    /// the number of sentences (or by nothing) where the number of tokens belongs.
    static func perplexitySlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard case .number(let e) = c.expected, case .number(let y) = yours, e > 1, y > 0,
              case .list(let sentences) = c.args.first else { return nil }
        let tokens = sentences.reduce(0) { $0 + ($1.numbers?.count ?? 0) }, count = sentences.count
        if let base = Slips.logBase(yours: log(y), naturalLog: log(e)) { return Slips.logBaseAdvice(base).hints(2) }
        let ratio = log(y) / log(e)
        if Slips.close(ratio, Double(tokens) / Double(count)) {
            return Learner.text("N is the number of TOKENS (\(tokens) here), not of sentences (\(count)): exp(−(Σ ln p) / N)",
                                "N 是“词元”数（这里是 \(tokens)），不是句子数（\(count)）：exp(−(Σ ln p) / N)").hints(1, 2)
        }
        if Slips.close(ratio, Double(tokens)) {
            return Learner.text("divide Σ ln p by N = \(tokens), the number of tokens, before exp", "取 exp 前要把 Σ ln p 除以 N = \(tokens)（词元数）").hints(3)
        }
        return nil
    }

    static let all = [addK, perplexity]
}
