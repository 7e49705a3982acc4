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
    #expect(zh.contains("「词元」数（这里是 3），不是句子数（2）"), "\(zh)")
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
}

@Test func mergeHeadsAdviceSaysSideBySideNotAdded() {
    let c = ExerciseCase("splitHeads(…)", args: [], expected: .list([]))
    let en = advice("split_heads", c, yours: .list([]), path: [1, 0, 0])
    #expect(en.contains("not adds them") && !en.contains("heads[0][t] + heads[1][t]"), "\(en)")
}

@Test func chatTemplateAdviceNamesThePartThatDiffers() {
    func call(_ add: Bool, _ expected: String) -> ExerciseCase {
        ExerciseCase("renderChat(…)", args: [.list([]), .int(add ? 1 : 0)], expected: .text(expected))
    }
    let hi = "<|begin_of_sentence|>User: Hi\n"
    #expect(advice("chat_template", call(true, hi + "Assistant: "), yours: .text("User: Hi\nAssistant: ")).hasPrefix("the text starts with <|begin_of_sentence|>"))
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
