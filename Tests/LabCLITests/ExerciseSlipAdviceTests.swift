// The advice line of a failed check names the learner's actual slip, computed from the case and the learner's value:
// audited with wrong solutions of every exercise (one slip each), these are the ones whose advice pointed elsewhere
// or only restated the whole formula — a log in base 2, a numerator without k, N counting sentences, k + 1 ids,
// heads added instead of placed side by side, one part of the chat template, greedy fed only its last token.
import Foundation
import Lab
import LabCore
import LabExercises
import Testing
@testable import LabCLI

private func nums(_ v: [Double]) -> ExerciseValue { .numbers(v) }

private func advice(_ name: String, _ call: ExerciseCase, yours: ExerciseValue, path: [Int] = [0], _ language: LessonLanguage = .en) -> String {
    Learner.$language.withValue(language) { ExerciseSpecs.all[name]!.advice(call, yours, path) } ?? ""
}

/// The hints the advice names for the slip it recognises (ExerciseAdviceHintTests has the rest).
private func hints(_ name: String, _ call: ExerciseCase, yours: ExerciseValue, path: [Int] = [0]) -> [Int]? {
    ExerciseSpecs.all[name]!.advise(call, yours, path)?.hints
}

@Test func addKAdviceNamesTheNumeratorWhenUnseenWordsGetZero() {
    // counts [2, 0, 1], k = 1, V = 3: (c + 1) / (3 + 3); forgetting k in the numerator leaves word 1 at 0.
    let c = ExerciseCase("addK(…)", args: [nums([2, 0, 1]), .number(1)], expected: nums([3.0 / 6, 1.0 / 6, 2.0 / 6]))
    let en = advice("add_k", c, yours: nums([2.0 / 6, 0, 1.0 / 6]))
    let zh = advice("add_k", c, yours: nums([2.0 / 6, 0, 1.0 / 6]), .zh)
    #expect(en.contains("word 1 never follows h") && en.contains("numerator"), "\(en)")
    #expect(!en.contains("the denominator is"), "\(en)")
    #expect(zh.contains("词 1 从没跟在 h 后面") && zh.contains("分子"), "\(zh)")
    // The denominator slip (N + k) keeps its own sentence.
    let denominator = advice("add_k", c, yours: nums([3.0 / 4, 1.0 / 4, 2.0 / 4]))
    #expect(denominator.contains("the denominator is N(h) + k·V"), "\(denominator)")
}

@Test func perplexityAdviceNamesTheLogBaseAndTheTokenCount() {
    let sentences = ExerciseValue.list([nums([0.5, 0.25]), nums([0.5])])
    let lnSum = log(0.5) + log(0.25) + log(0.5)
    let c = ExerciseCase("perplexity(…)", args: [sentences], expected: .number(exp(-lnSum / 3)))
    let base2 = advice("ngram_perplexity", c, yours: .number(exp(-(lnSum / log(2)) / 3)), path: [])
    #expect(base2.contains("you took log2"), "\(base2)")
    let perSentence = advice("ngram_perplexity", c, yours: .number(exp(-lnSum / 2)), path: [])
    #expect(perSentence.contains("number of TOKENS (3 here), not of sentences (2)"), "\(perSentence)")
    let zh = advice("ngram_perplexity", c, yours: .number(exp(-lnSum / 2)), path: [], .zh)
    #expect(zh.contains("“词元”数（这里是 3），不是句子数（2）"), "\(zh)")
    // The mean of per-sentence perplexities is neither: the pooling sentence stays.
    let mean = (exp(-(log(0.5) + log(0.25)) / 2) + 2) / 2
    #expect(advice("ngram_perplexity", c, yours: .number(mean), path: []).contains("not the mean of per-sentence perplexities"))
}

@Test func chainRuleAdviceNamesLog2() {
    let c = ExerciseCase("sentenceScore([0.5, 0.5])", args: [nums([0.5, 0.5])], expected: nums([2 * log(0.5), 2]))
    let en = advice("chain_rule", c, yours: nums([-2, exp(1.0)]))
    #expect(en.contains("you took log2"), "\(en)")
    #expect(advice("chain_rule", c, yours: nums([2 * log10(0.5), 2]), .zh).contains("你用了 log10"))
}

@Test func neighboursAdviceNamesCountOrderAndDotProduct() {
    let args: [ExerciseValue] = [nums([1, 0]), .matrix([[0, 1], [2, 0], [1, 1], [-1, 0]] as [[Double]]), .int(2)]
    let c = ExerciseCase("nearest(…)", args: args, expected: .ints([1, 2]))
    let extra = advice("cosine_neighbours", c, yours: .ints([1, 2, 0]))
    #expect(extra.contains("return exactly k = 2 ids") && extra.contains("you returned 3"), "\(extra)")
    #expect(advice("cosine_neighbours", c, yours: .ints([3, 0])).contains("LEAST similar"))
    let long = ExerciseCase("nearest(…)", args: [nums([1, 0]), .matrix([[0.5, 0], [3, 3], [0, 1]] as [[Double]]), .int(2)], expected: .ints([0, 1]))
    #expect(advice("cosine_neighbours", long, yours: .ints([1, 0])).contains("ranking by q·v alone"))
    // The starter returns the first k ids: it ranks nothing, which the dot-product advice did not say.
    #expect(advice("cosine_neighbours", c, yours: .ints([0, 1])).contains("the first k ids in order, not the nearest"))
    #expect(advice("cosine_neighbours", c, yours: .ints([0, 1]), .zh).contains("按顺序的前 k 个 id"))
}

@Test func mergeHeadsAdviceSaysSideBySideNotAdded() {
    let c = ExerciseCase("splitHeads(…)", args: [], expected: .list([]))
    let en = advice("split_heads", c, yours: .list([]), path: [1, 0, 0])
    #expect(en.contains("side by side again") && !en.contains("heads[0][t] + heads[1][t]"), "\(en)")
}

@Test func chatTemplateAdviceNamesThePartThatDiffers() {
    func call(_ add: Bool, _ expected: String) -> ExerciseCase {
        ExerciseCase("renderChat(…)", args: [.list([]), .int(add ? 1 : 0)], expected: .text(expected))
    }
    let hi = "<|begin_of_sentence|>User: Hi\n"
    #expect(advice("chat_template", call(true, hi + "Assistant: "), yours: .text("User: Hi\nAssistant: ")).hasPrefix("the text should start with <|begin_of_sentence|>"))
    let turn = hi + "Assistant: Hey<|end_of_sentence|>User: Bye\n"
    let eos = advice("chat_template", call(false, turn), yours: .text(hi + "Assistant: Hey\nUser: Bye\n"), .zh)
    #expect(eos.contains("<|end_of_sentence|>（没有换行）"), "\(eos)")
    #expect(advice("chat_template", call(false, hi), yours: .text(hi + "Assistant: ")).contains("addGenerationPrompt is false"))
    #expect(advice("chat_template", call(true, hi + "Assistant: "), yours: .text(hi)).contains("addGenerationPrompt is true"))
}

/// classify's advice speaks of an underflow: a case must make the naive exp(total) / Σ exp underflow to 0/0 (exp(−700)
/// does not: Double reaches 5e−324), or a solution without the max subtraction passes.
@Test func classifyHasACaseWhereTheNaiveSoftmaxUnderflows() throws {
    let spec = ExerciseSpecs.all["classify"]!
    let cases = try spec.cases(ExerciseInputs(dataDirectory: URL(fileURLWithPath: "/nonexistent")))
    let underflowing = cases.filter { c in
        guard case .list(let labels) = c.args[0] else { return false }
        return labels.map { exp($0.numbers?.reduce(0, +) ?? 0) }.reduce(0, +) == 0
    }
    #expect(!underflowing.isEmpty)
    let c = try #require(underflowing.first)
    #expect(advice("classify", c, yours: nums([Double.nan, Double.nan])).contains("0/0 is nan"))
}

/// min_p keeps a token "at least" minP × the largest probability: a case must have one exactly at the threshold, or a
/// solution that keeps only the tokens above it (`>` for `>=`) passes; its advice names the tie.
@Test func minPHasATokenExactlyAtTheThreshold() throws {
    let spec = ExerciseSpecs.all["min_p"]!
    let cases = try spec.cases(ExerciseInputs(dataDirectory: URL(fileURLWithPath: "/nonexistent")))
    func strict(_ p: [Double], _ m: Double) -> [Double] {
        let kept = p.map { $0 > m * (p.max() ?? 0) ? $0 : 0 }
        return kept.map { $0 / kept.reduce(0, +) }
    }
    let caught = cases.filter { c in
        guard let p = c.args[0].numbers, case .number(let m) = c.args[1], let e = c.expected.numbers else { return false }
        return zip(strict(p, m), e).contains { abs($0 - $1) > spec.tolerance }
    }
    #expect(!caught.isEmpty, "no case tells `>` from `>=`")
    let c = try #require(caught.first)
    let yours = strict(c.args[0].numbers ?? [], { if case .number(let m) = c.args[1] { return m }; return 0 }())
    #expect(advice("min_p", c, yours: nums(yours)).contains("equals the threshold"), "\(c.call)")
}

/// A greedy decoder that gives nextLogProbs only its last token takes the argmax of the wrong distribution: the
/// verdict says so (it used to say "greedy takes the largest log-probability", which the learner did).
@Test func greedyAdviceNamesAShortContext() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry("greedy_decoder")
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("greedy-last-\(getpid()).swift")
    try """
    func greedyDecode(prompt: [Int], maxNewTokens: Int, endToken: Int, nextLogProbs: ([Int]) -> [Float]) -> [Int] {
        var generated: [Int] = []
        while generated.count < maxNewTokens {
            let scores = nextLogProbs(generated.isEmpty ? prompt : [generated.last!])
            var best = 0
            for t in scores.indices where scores[t] > scores[best] { best = t }
            generated.append(best)
            if best == endToken { break }
        }
        return generated
    }
    """.write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let verdict = try ExerciseChecker.check(entry, source: file, catalog: catalog, model: exerciseCheckpoint, api: nil)
    let text = verdict.firstDivergence ?? ""
    print("greedy, last token only: \(text)")
    #expect(!verdict.passed)
    #expect(text.contains("you never passed nextLogProbs the whole context"), "\(text)")
    #expect(!text.contains("greedy takes the largest log-probability"), "\(text)")
}

/// A decoder that returns the prompt with its new tokens is told to return only the new ones: it was told "greedy
/// takes the largest log-probability", sending the learner to mend an argmax that was right (w17 exercise walk 3).
@Test func greedyAdviceNamesAnAnswerThatRepeatsThePrompt() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("greedy-prompt-\(getpid()).swift")
    // The reference solution, returning the prompt in front of its answer.
    let solution = try String(contentsOf: catalog.solutionFile(try catalog.entry("greedy_decoder")), encoding: .utf8)
    #expect(solution.contains("    return generated\n"))
    try solution.replacingOccurrences(of: "    return generated\n", with: "    return prompt + generated\n")
        .write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let verdict = try ExerciseChecker.check(try catalog.entry("greedy_decoder"), source: file, catalog: catalog,
                                            model: exerciseCheckpoint, api: nil)
    let text = verdict.firstDivergence ?? ""
    print("greedy, prompt + generated: \(text)")
    #expect(!verdict.passed && text.contains("return only the new tokens"), "\(text)")
    #expect(!text.contains("greedy takes the largest log-probability"), "\(text)")
}

/// The numeric exercises whose advice restated the whole formula now name the variant the learner's numbers are:
/// each wrong value below is the formula with one part changed, computed here by hand.
@Test func elmanAdviceNamesTanhBiasAndTranspose() {
    let (x, h) = ([0.5, -0.25], [0.1, 0.2])
    let (wih, whh) = ([[0.3, -0.2], [0.1, 0.4]], [[0.2, 0.1], [-0.3, 0.5]])
    let (bih, bhh) = ([0.05, -0.1], [0.2, 0.03])
    let args: [ExerciseValue] = [nums(x), nums(h), .matrix(wih), .matrix(whh), nums(bih), nums(bhh)]
    func pre(_ r: Int, transposed: Bool = false, withBhh: Bool = true) -> Double {
        let w = { (m: [[Double]], i: Int, j: Int) in transposed ? m[j][i] : m[i][j] }
        return w(wih, r, 0) * x[0] + w(wih, r, 1) * x[1] + w(whh, r, 0) * h[0] + w(whh, r, 1) * h[1] + bih[r] + (withBhh ? bhh[r] : 0)
    }
    let c = ExerciseCase("elmanStep(…)", args: args, expected: nums([tanh(pre(0)), tanh(pre(1))]))
    #expect(advice("elman_step", c, yours: nums([pre(0), pre(1)])).contains("apply tanh"))
    #expect(advice("elman_step", c, yours: nums([tanh(pre(0, withBhh: false)), tanh(pre(1, withBhh: false))]), .zh).contains("少了 b_hh"))
    #expect(advice("elman_step", c, yours: nums([tanh(pre(0, transposed: true)), tanh(pre(1, transposed: true))])).contains("transpose"))
    #expect(hints("elman_step", c, yours: nums([pre(0), pre(1)])) == [3], "tanh: the last step's hint")
    #expect(hints("elman_step", c, yours: nums([tanh(pre(0, withBhh: false)), tanh(pre(1, withBhh: false))])) == [3])
    let transposed = nums([tanh(pre(0, transposed: true)), tanh(pre(1, transposed: true))])
    #expect(hints("elman_step", c, yours: transposed) == [1])
}

@Test func rmsNormAdviceNamesSumVarianceAndEpsilon() {
    let c = ExerciseCase("rmsNorm([3, 4], …)", args: [nums([3, 4]), nums([1, 2]), .number(0.01)],
                         expected: nums([3 / (12.5 + 0.01).squareRoot(), 8 / (12.5 + 0.01).squareRoot()]))
    #expect(advice("rms_norm", c, yours: nums([3 / 25.01.squareRoot(), 8 / 25.01.squareRoot()])).contains("divide the sum of squares by n = 2"))
    #expect(advice("rms_norm", c, yours: nums([3 / 0.26.squareRoot(), 8 / 0.26.squareRoot()])).contains("variance"))
    #expect(advice("rms_norm", c, yours: nums([3 / (12.5.squareRoot() + 0.01), 8 / (12.5.squareRoot() + 0.01)])).contains("ε goes inside the square root"))
}

@Test func ropeAdviceNamesTheExponentAndTheSign() {
    // Dh = 4, position 3: pair 1 turns by 3 · θ^(−2/4); with the exponent i/Dh it turns by 3 · θ^(−1/4).
    let (x, theta) = ([1.0, 2, 3, 4], 10000.0)
    func turn(_ a0: Double, _ a1: Double, sign: Double = 1) -> [Double] {
        [x[0] * cos(a0) - sign * x[1] * sin(a0), x[1] * cos(a0) + x[0] * sin(a0),
         x[2] * cos(a1) - sign * x[3] * sin(a1), x[3] * cos(a1) + x[2] * sin(a1)]
    }
    let c = ExerciseCase("rope(…)", args: [nums(x), .int(3), .number(theta)], expected: nums(turn(3, 3 * pow(theta, -0.5))))
    #expect(advice("rope", c, yours: nums(turn(3, 3 * pow(theta, -0.25)))).contains("the exponent has 2i, not i"))
    #expect(advice("rope", c, yours: nums(turn(3, 3 * pow(theta, -0.5), sign: -1))).contains("a sine's sign is wrong"))
}

@Test func causalAttentionAdviceNamesAMissingScale() {
    // Two tokens, Dh = 2: row 1 mixes v[0] and v[1] by softmax(q1·k / √2); unscaled it uses q1·k.
    let (q, k, v) = ([[1.0, 0], [1, 2]], [[0.5, 1], [2, -1]], [[1.0, 0], [0, 1]])
    func row1(_ scale: Double) -> [Double] {
        let s = [q[1][0] * k[0][0] + q[1][1] * k[0][1], q[1][0] * k[1][0] + q[1][1] * k[1][1]].map { exp($0 * scale) }
        return [s[0] / (s[0] + s[1]), s[1] / (s[0] + s[1])]
    }
    let c = ExerciseCase("causalAttention(…)", args: [.matrix(q), .matrix(k), .matrix(v)], expected: .matrix([[1.0, 0], row1(1 / 2.0.squareRoot())]))
    let en = advice("causal_attention", c, yours: .matrix([[1.0, 0], row1(1)]), path: [1, 0])
    #expect(en.contains("the scores are not scaled: divide q·k by √Dh"), "\(en)")
    #expect(hints("causal_attention", c, yours: .matrix([[1.0, 0], row1(1)]), path: [1, 0]) == [1])
}

@Test func bahdanauAdviceNamesMissingSoftmax() {
    let c = ExerciseCase("bahdanau(…)", args: [], expected: .list([nums([0.3, 0.7]), nums([1, 2])]))
    let en = advice("bahdanau", c, yours: .list([nums([-0.4, 0.45]), nums([1, 2])]), path: [0, 0])
    #expect(en.contains("your weights sum to 0.05, not 1"), "\(en)")
}

@Test func analogyAdviceNamesTheSwappedQuery() {
    // â = x, b̂ = y, ĉ = x: b̂ − â + ĉ = y picks w4 = (0, 1); â − b̂ + ĉ = (2, −1)/… picks w2 = (1, −1)/√2.
    let vectors: [[Double]] = [[1, 0], [0, 1], [1, -1], [1, 0.01], [0.01, 1]]
    let c = ExerciseCase("analogy(…)", args: [.int(0), .int(1), .int(3), .matrix(vectors)], expected: .int(4))
    let en = advice("analogy", c, yours: .int(2), path: [])
    #expect(en.contains("â − b̂ + ĉ"), "\(en)")
    #expect(!advice("analogy", c, yours: .int(4), path: []).contains("â − b̂ + ĉ"))
}

/// A greedy decoder that never stops at the end token, or stops without appending it: the model's own end token
/// does not come within the check's 12 tokens, so the check adds a task whose end token comes early.
@Test func greedyDecoderThatNeverStopsOrDropsTheEndTokenFails() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let entry = try catalog.entry("greedy_decoder")
    for (slip, stop, says) in [("never-stops", "", "you went on with"),
                               ("drops-end", "if best == endToken { break }\n", "this task's end token")] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("greedy-\(slip)-\(getpid()).swift")
        try """
        func greedyDecode(prompt: [Int], maxNewTokens: Int, endToken: Int, nextLogProbs: ([Int]) -> [Float]) -> [Int] {
            var generated: [Int] = []
            while generated.count < maxNewTokens {
                let scores = nextLogProbs(prompt + generated)
                var best = 0
                for t in scores.indices where scores[t] > scores[best] { best = t }
                \(stop)generated.append(best)
            }
            return generated
        }
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let verdict = try ExerciseChecker.check(entry, source: file, catalog: catalog, model: exerciseCheckpoint, api: nil)
        print("greedy, \(slip): \(verdict.summary) · \(verdict.firstDivergence ?? "")")
        #expect(!verdict.passed && (verdict.firstDivergence ?? "").contains(says), "\(slip): \(verdict.firstDivergence ?? "")")
        #expect(!(verdict.firstDivergence ?? "").contains("-0.000") && verdict.hints == [3], "\(slip): \(verdict)")
    }
    let solution = try ExerciseChecker.check(entry, source: catalog.solutionFile(entry), catalog: catalog, model: exerciseCheckpoint, api: nil)
    #expect(solution.passed && solution.summary.hasPrefix("5/5 prompts"), "\(solution.summary)")
}

/// What `exercise list` and the card say a check compares on ("… on 34 distributions") is the number of cases it
/// runs, in both languages.
@Test func anExercisesCaseCountIsTheOneItsCardStates() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let inputs = ExerciseChecker.inputs(catalog)
    var stated = 0
    for entry in catalog.entries {
        let en = entry.checks(.en)
        guard let match = en.firstMatch(of: #/on (\d+) /#), let n = Int(match.1),
              let spec = ExerciseSpecs.all[entry.name] else { continue }
        stated += 1
        #expect(try spec.cases(inputs).count == n, "\(entry.name): \(en)")
        #expect(entry.checks(.zh).contains("\(n) "), "\(entry.name): the Chinese states \(n) as well")
    }
    #expect(stated >= 15, "the cards state their case counts")
}

private func cases(_ name: String) throws -> [ExerciseCase] {
    try ExerciseSpecs.all[name]!.cases(ExerciseInputs(dataDirectory: URL(fileURLWithPath: "/nonexistent")))
}

/// SwiGLU's slips each get their sentence: the sigmoid for silu, silu on the other projection or on both or on none,
/// the hidden vector without W_down.
@Test func swigluAdviceNamesTheActivationSlip() throws {
    let c = try #require(try cases("swiglu").first)
    let x = c.args[0].numbers!, wg = c.args[1].rows!, wu = c.args[2].rows!, wd = c.args[3].rows!
    let dot = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let g = wg.map { dot($0, x) }, u = wu.map { dot($0, x) }
    let sigmoid = { (z: Double) in 1 / (1 + exp(-z)) }
    func out(_ h: [Double]) -> ExerciseValue { nums(wd.map { dot($0, h) }) }
    #expect(advice("swiglu", c, yours: out(g.indices.map { sigmoid(g[$0]) * u[$0] })).contains("sigmoid σ(z); silu is z·σ(z)"))
    #expect(advice("swiglu", c, yours: out(g.indices.map { g[$0] * u[$0] * sigmoid(u[$0]) })).contains("not on the up projection"))
    #expect(advice("swiglu", c, yours: out(g.indices.map { g[$0] * u[$0] })).contains("goes through silu before the product"))
    #expect(advice("swiglu", c, yours: nums(g.indices.map { g[$0] * sigmoid(g[$0]) * u[$0] })).contains("W_down · h"))
    #expect(advice("swiglu", c, yours: out(g.indices.map { sigmoid(g[$0]) * u[$0] }), .zh).contains("silu 是 z·σ(z)"))
    #expect(hints("swiglu", c, yours: out(g.indices.map { sigmoid(g[$0]) * u[$0] })) == [2], "sigmoid: the silu hint")
    #expect(hints("swiglu", c, yours: out(g.indices.map { g[$0] * u[$0] * sigmoid(u[$0]) })) == [2], "silu on up")
    #expect(hints("swiglu", c, yours: nums(g.indices.map { g[$0] * sigmoid(g[$0]) * u[$0] })) == [3], "no W_down")
    #expect(advice("swiglu", c, yours: nums([1, 2])).contains("out = W_down · (silu(W_gate·x) ⊙ W_up·x)"), "else the formula")
}

/// Bahdanau weights without the bias, or without the tanh, are named.
@Test func bahdanauAdviceNamesAMissingBiasOrTanh() throws {
    let c = try #require(try cases("bahdanau").first { ($0.args[1].rows?.count ?? 0) >= 3 }, "one source word has weight 1 however")
    let s = c.args[0].numbers!, h = c.args[1].rows!, w = c.args[2].rows!, b = c.args[3].numbers!, u = c.args[4].rows!
    let v = c.args[5].numbers!
    let dot = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    func weights(bias: Bool, tanh f: (Double) -> Double) -> ExerciseValue {
        let e = h.map { hj in dot(v, w.indices.map { f(dot(w[$0], s) + (bias ? b[$0] : 0) + dot(u[$0], hj)) }) }
        let m = e.max()!, z = e.map { exp($0 - m) }.reduce(0, +)
        return .list([nums(e.map { exp($0 - m) / z }), nums([0])])
    }
    #expect(advice("bahdanau", c, yours: weights(bias: false, tanh: tanh), path: [0]).contains("the bias b is missing"))
    #expect(advice("bahdanau", c, yours: weights(bias: true, tanh: { $0 }), path: [0]).contains("through tanh before v"))
    #expect(advice("bahdanau", c, yours: weights(bias: false, tanh: tanh), path: [0], .zh).contains("少了偏置 b"))
    #expect(hints("bahdanau", c, yours: weights(bias: true, tanh: { $0 }), path: [0]) == [2], "the tanh step")
    #expect(hints("bahdanau", c, yours: weights(bias: false, tanh: tanh), path: [0]) == [1], "W·s + b")
}

/// An analogy answered from raw vectors (query not normalised, or candidates ranked by the dot product) is caught by
/// the check's cases and named by the advice.
@Test func analogyAdviceNamesTheVectorsLeftUnnormalised() throws {
    let all = try cases("analogy")
    let dot = { (a: [Double], b: [Double]) in zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let unit = { (v: [Double]) in v.map { $0 / dot(v, v).squareRoot() } }
    func answer(_ c: ExerciseCase, unitQuery: Bool, cosine: Bool) -> Int {
        let vs = c.args[3].rows!
        let pick = { (k: Int) in unitQuery ? unit(vs[Int(c.args[k].numberValue)]) : vs[Int(c.args[k].numberValue)] }
        let q = zip(zip(pick(0), pick(1)), pick(2)).map { $0.1 - $0.0 + $1 }
        let excluded = (0..<3).map { Int(c.args[$0].numberValue) }
        return vs.indices.filter { !excluded.contains($0) }
            .max { dot(cosine ? unit(vs[$0]) : vs[$0], q) < dot(cosine ? unit(vs[$1]) : vs[$1], q) }!
    }
    let byDot = all.filter { answer($0, unitQuery: true, cosine: false) != Int($0.expected.numberValue) }
    let rawQuery = all.filter { answer($0, unitQuery: false, cosine: true) != Int($0.expected.numberValue) }
    #expect(!byDot.isEmpty && !rawQuery.isEmpty, "the cases tell both slips from 3CosAdd")
    if let c = byDot.first {
        #expect(advice("analogy", c, yours: .number(Double(answer(c, unitQuery: true, cosine: false)))).contains("dot product"))
    }
    if let c = rawQuery.first {
        #expect(advice("analogy", c, yours: .number(Double(answer(c, unitQuery: false, cosine: true))))
                .contains("query from the raw vectors"))
        #expect(hints("analogy", c, yours: .number(Double(answer(c, unitQuery: false, cosine: true)))) == [1],
                "normalise first")
    }
}

private extension ExerciseValue {
    var numberValue: Double { if case .number(let x) = self { return x }; return .nan }
}
