// The checks of lessons 1–2: softmax and the chain rule (lesson 1), scoring a continuation and classifying by
// comparing P(label | prompt) (lesson 2). Each case's expected value comes from the lab's own code: LabCore's
// `softmax`, Decoding's `SentenceScore` (run on an n-gram model of the Luna story).
import ClassicLMs
import Decoding
import ERNIE
import Foundation
import LabCore

enum ProbabilitySpecs {
    /// The Luna story's n-gram model (lessons 1, 2 and 4 use it), on its training sentences.
    static func luna(_ inputs: ExerciseInputs, order: Int, smoothing: NGramSmoothing) throws -> (NGramModel, [[Int]]) {
        let corpus = try Corpus(try CorpusSpec.named("luna-en"), dataDirectory: inputs.dataDirectory)
        let vocabulary = corpus.vocabulary()
        let model = NGramModel(order: order, smoothing: smoothing, vocabulary: vocabulary, sentences: corpus.train)
        let held = (corpus.heldOut.isEmpty ? corpus.train : corpus.heldOut).map { $0.map(vocabulary.idOrUnknown) }
        return (model, held)
    }

    static let softmaxSpec = ExerciseSpec("softmax", tolerance: 1e-9, reference: "LabCore's softmax", cases: { _ in
        var r = CaseRandom(seed: 11)
        let fixed: [[Double]] = [[1, 2, 3], [0, 0, 0, 0], [5], [1000, 999, 998], [-1000, -1001, -1002], [-3, 7.5, 0.25, 2]]
        let random = (0..<20).map { k in r.vector(2 + k % 11, -10, 10) }
        return (fixed + random).map { x in
            ExerciseCase("softmax(\(show(x)))", args: [.numbers(x)], expected: .numbers(softmax(x)),
                         hints: x.contains { abs($0) > 700 } ? [2, 3] : nil)   // exp overflows or underflows
        }
    }, advising: { c, yours, _ in
        if yours.numbers?.contains(where: { $0.isNaN }) == true {
            return Learner.text("exp of a large logit overflows to ∞ and ∞/∞ is nan: subtract the largest logit before exp (it cancels in the division)", "大的 logit 取 exp 会溢出成 ∞，而 ∞/∞ 是 nan：取 exp 前先减去最大的 logit（它在除法中会约掉）").hints(2, 3)
        }
        if let y = yours.numbers, abs(y.reduce(0, +) - 1) > 1e-6 { return Learner.text("your probabilities sum to \(show(y.reduce(0, +))), not 1: divide every exp by their sum", "你的概率之和是 \(show(y.reduce(0, +)))，不是 1：把每个 exp 除以它们的和").advice }
        if c.args.first?.numbers?.contains(where: { abs($0) > 700 }) == true {
            return Learner.text("these logits are too large for exp as they are; clipping them changes the shares — subtract the same number (the largest logit) from every one instead",
                                "这些 logit 直接取 exp 太大了；把它们截断会改变份额——应当给每个 logit 都减去同一个数（最大的 logit）").hints(2, 3)
        }
        return nil
    })

    static let chainRule = ExerciseSpec("chain_rule", tolerance: 1e-9, reference: "Decoding's SentenceScore (log P and perplexity)",
                                        cases: { inputs in
        var cases: [ExerciseCase] = []
        func add(_ ledger: SentenceScore) {
            let p = ledger.entries.compactMap(\.probability)
            cases.append(ExerciseCase("sentenceScore(\(show(p)))", args: [.numbers(p)],
                                      expected: .numbers([ledger.totalLogProb, ledger.perplexity]),
                                      hints: p.contains(0) ? [3] : nil))
        }
        // Hand-checkable ledgers first: ½·½ = ¼ is 2 equally likely choices per token; one zero makes P = 0.
        for p in [[0.5, 0.5], [1.0], [0.25, 0.5, 0.125], [0.2, 0, 0.5]] {
            add(SentenceScore(model: "hand", tokens: p.enumerated().map { (id: $0.offset, piece: "w", logProb: log($0.element), context: [], counts: nil) }))
        }
        for (order, smoothing) in [(2, NGramSmoothing.mle), (2, .laplace), (3, .addK(0.1))] {
            let (model, sentences) = try luna(inputs, order: order, smoothing: smoothing)
            for s in sentences.prefix(6) { add(model.ledger(s)) }
        }
        return cases
    }, advising: { c, yours, path in
        if case .list(let e) = c.expected, case .number(let lp) = e[0], let y = yours.numbers?.first,
           let base = Slips.logBase(yours: y, naturalLog: lp) { return Slips.logBaseAdvice(base).hints(2) }
        if case .list(let e) = c.expected, case .number(let lp) = e[0], lp == -.infinity,
           let y = yours.numbers?.first, y.isFinite {
            return Learner.text("a zero probability makes log P = −∞ (and the perplexity ∞): don't skip it, log(0) is −∞ in Double",
                                "一个零概率让 log P = −∞（困惑度为 ∞）：不要跳过它，在 Double 里 log(0) 就是 −∞").hints(3)
        }
        guard path == [1] || path.isEmpty, case .list(let e) = c.expected, case .number(let lp) = e[0] else {
            return Learner.text("log P(sentence) is the SUM of the natural logs of the token probabilities (log, not log10)", "log P(句子) 是各词元概率的自然对数之“和”（log，不是 log10）").advice
        }
        if let y = yours.numbers, y.count == 2, lp.isFinite, abs(y[1] - exp(-lp)) < 1e-9 * exp(-lp) + 1e-12 {
            return Learner.text("perplexity divides by the number of tokens before exp: exp(−log P / N)", "困惑度在取 exp 前要除以词元个数：exp(−log P / N)").hints(3)
        }
        return Learner.text("perplexity = exp(−(1/N) · log P), N = the number of tokens in the ledger; a zero probability makes it ∞", "困惑度 = exp(−(1/N) · log P)，N 是账本中的词元数；一个零概率会让它变成 ∞").advice
    })

    static let continuationScore = ExerciseSpec("continuation_score", tolerance: 1e-5, reference: "Decoding's SentenceScore (the lab's `prob` ledger)",
                                                cases: { inputs in
        var cases: [ExerciseCase] = []
        for (order, smoothing) in [(2, NGramSmoothing.laplace), (3, .addK(0.5))] {
            let (model, sentences) = try luna(inputs, order: order, smoothing: smoothing)
            for s in sentences.prefix(5) {
                let ids = [model.tokens.beginId] + s
                var state = try model.makeState()
                let rows = Array(try model.scoreAll(ids, from: &state).dropLast())   // row i predicts ids[i+1]
                let score = try SentenceScore.score(ids, with: model, pieces: { String($0) })
                let shape = Learner.text("[\(rows.count) rows of \(rows.first?.count ?? 0)]",
                                         "[\(rows.count) 行，每行 \(rows.first?.count ?? 0) 个]")
                cases.append(ExerciseCase("continuationLogProb(ids: \(ExerciseValue.ints(ids)), logProbs: \(shape))",
                                          args: [.ints(ids), .matrix(rows)], expected: .number(score.totalLogProb)))
            }
        }
        return cases
    }, advising: { c, yours, _ in
        continuationSlip(c, yours) ?? Learner.text("row i of logProbs is what the model expects AFTER reading ids[0…i], so it scores ids[i+1]; ids[0] is context only and gets no probability", "logProbs 的第 i 行是模型读完 ids[0…i]“之后”的预期，所以它给 ids[i+1] 打分；ids[0] 只是上文，没有概率").advice
    })

    /// A continuation score that is the mean of the scored tokens' log-probabilities where their sum belongs, or
    /// that also scores ids[0] (from row 0, as if something came before it).
    static func continuationSlip(_ c: ExerciseCase, _ yours: ExerciseValue) -> ExerciseAdvice? {
        guard c.args.count == 2, let ids = c.args[0].numbers?.map({ Int($0) }), let rows = c.args[1].rows,
              case .number(let y) = yours, case .number(let sum) = c.expected,
              ids.count > 1, rows.count >= ids.count - 1,
              ids.allSatisfy({ $0 >= 0 && $0 < (rows.first?.count ?? 0) }) else { return nil }
        let n = ids.count - 1
        if Slips.close(y, sum / Double(n)) {
            return Learner.text("that is the MEAN of the \(n) log-probabilities: log P of the continuation is their sum",
                                "这是 \(n) 个对数概率的“平均”：续写的 log P 是它们的和").hints(3)
        }
        if Slips.close(y, sum + rows[0][ids[0]]) {
            return Learner.text("you also scored ids[0] (from row 0): ids[0] is context only; row i − 1 scores ids[i], for i ≥ 1",
                                "你把 ids[0] 也算了分（用的是第 0 行）：ids[0] 只是上文；第 i − 1 行给 ids[i] 打分（i ≥ 1）").hints(2)
        }
        return nil
    }

    static let classify = ExerciseSpec("classify", tolerance: 1e-9, reference: "`lmlab classify`'s shares (softmax over the labels' total log P)",
                                       cases: { _ in
        var r = CaseRandom(seed: 23)
        var cases: [ExerciseCase] = []
        let fixed: [[[Double]]] = [[[-1], [-2]], [[-0.5, -0.5], [-1]], [[-3, -0.1, -0.1], [-2.5]], [[-700], [-701], [-705]], [[-1000, -2], [-1003]]]
        let random = (0..<16).map { k in (0..<(2 + k % 4)).map { _ in r.vector(r.int(1...4), -6, -0.01) } }
        for labels in fixed + random {
            let totals = labels.map { $0.reduce(0, +) }
            cases.append(ExerciseCase("labelShares(\(ExerciseValue.list(labels.map(ExerciseValue.numbers))))",
                                      args: [.list(labels.map(ExerciseValue.numbers))], expected: .numbers(softmax(totals)),
                                      hints: totals.allSatisfy { exp($0) == 0 } ? [3] : nil))   // exp underflows: 0/0
        }
        return cases
    }, advising: { c, yours, _ in
        if yours.numbers?.contains(where: { $0.isNaN }) == true { return Learner.text("exp(−1000) underflows to 0 and 0/0 is nan: subtract the largest total before exp", "exp(−1000) 会下溢成 0，而 0/0 是 nan：取 exp 前先减去最大的总分").hints(3) }
        if case .list(let labels) = c.args.first {
            let tokens = labels.compactMap(\.numbers), totals = tokens.map { $0.reduce(0, +) }
            let sum = totals.reduce(0, +)
            if Slips.matches(yours, softmax(tokens.map { $0.reduce(0, +) / Double(max($0.count, 1)) })) {
                return Learner.text("you averaged each label's log-probabilities: its score is their SUM (the chain rule multiplies the probabilities)",
                                    "你对每个标签的对数概率取了平均：得分是它们的“和”（链式法则把概率相乘）").hints(1)
            }
            if sum != 0, Slips.matches(yours, totals.map { $0 / sum }) {
                return Learner.text("you divided the log totals by their sum: a share is exp(total) / Σ exp(totals), the softmax",
                                    "你把对数总分直接除以它们的和：份额是 exp(总分) / Σ exp(总分)，也就是 softmax").hints(2)
            }
        }
        return Learner.text("a label's score is the SUM of its tokens' log-probabilities (the chain rule); the shares are the softmax of those sums", "一个标签的得分是它各词元对数概率之“和”（链式法则）；份额是这些和的 softmax").advice
    })

    static let all = [softmaxSpec, chainRule, continuationScore, classify]
}
