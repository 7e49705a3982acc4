// The advice that recognises a slip names the hints about it, so the hint shown after a failure is about that slip
// even when no case is tagged for it, or when the first case fails (a hint walk of 89 slipped solutions found the
// advice right and the hint about another step in 21 of them). Each test below hands a spec's advice the value a
// slipped solution returns, computed here by hand, and reads the hint numbers it names; the starter's answers name
// none, so an untouched file still gets hint 1.
import Foundation
import Lab
import LabCore
import LabExercises
import Testing
@testable import LabCLI

private func nums(_ v: [Double]) -> ExerciseValue { .numbers(v) }

private func said(_ name: String, _ c: ExerciseCase, _ yours: ExerciseValue, path: [Int] = [0],
                  _ language: LessonLanguage = .en) -> ExerciseAdvice? {
    Learner.$language.withValue(language) { ExerciseSpecs.all[name]!.advise(c, yours, path) }
}

private func hints(_ name: String, _ c: ExerciseCase, _ yours: ExerciseValue, path: [Int] = [0]) -> [Int]? {
    said(name, c, yours, path: path)?.hints
}

@Test func softmaxAdviceNamesTheOverflowHintsForAClippedLogit() {
    let c = ExerciseCase("softmax([1000, 999, 998])", args: [nums([1000, 999, 998])],
                         expected: nums(softmax([2, 1, 0])))
    let clipped = said("softmax", c, nums([1.0 / 3, 1.0 / 3, 1.0 / 3]))     // exp(min(z, 700)): no nan, wrong shares
    #expect(clipped?.hints == [2, 3] && clipped?.text.contains("clipping") == true, "\(String(describing: clipped))")
    #expect(hints("softmax", c, nums([.nan, .nan, .nan])) == [2, 3])
}

@Test func chainRuleAdviceNamesTheLogBaseTheDivisionAndTheZeroHints() {
    let c = ExerciseCase("sentenceScore([0.5, 0.25])", args: [nums([0.5, 0.25])],
                         expected: nums([log(0.125), exp(-log(0.125) / 2)]))
    #expect(hints("chain_rule", c, nums([log10(0.125), pow(10, -log10(0.125) / 2)])) == [2],
            "log10: the natural-log hint")
    #expect(hints("chain_rule", c, nums([log(0.125), exp(-log(0.125))]), path: [1]) == [3],
            "no ÷ N: the perplexity hint")
    let zero = ExerciseCase("sentenceScore([0.2, 0, 0.5])", args: [nums([0.2, 0, 0.5])],
                            expected: nums([-.infinity, .infinity]))
    let skipped = log(0.2) + log(0.5)
    let advice = said("chain_rule", zero, nums([skipped, exp(-skipped / 2)]))
    #expect(advice?.hints == [3] && advice?.text.contains("don't skip it") == true, "\(String(describing: advice))")
    #expect(hints("chain_rule", c, nums([0, 1])) == nil, "the starter's (0, 1): no hint in particular")
}

@Test func continuationAndClassifyAdviceNameTheirHints() {
    let rows = [[-1.0, -2, -3], [-0.5, -1.5, -2.5]]
    let c = ExerciseCase("continuationLogProb(…)", args: [.ints([1, 2, 0]), .matrix(rows)],
                         expected: .number(-3 + -0.5))
    let mean = said("continuation_score", c, .number(-3.5 / 2))
    #expect(mean?.hints == [3] && mean?.text.contains("MEAN") == true, "\(String(describing: mean))")
    #expect(hints("continuation_score", c, .number(-3.5 - 2)) == [2], "ids[0] scored from row 0")
    #expect(hints("continuation_score", c, .number(0)) == nil, "the starter's 0")

    let labels: [[Double]] = [[-1, -2], [-0.5]]
    let l = ExerciseCase("labelShares(…)", args: [.list(labels.map(ExerciseValue.numbers))],
                         expected: nums(softmax([-3, -0.5])))
    #expect(hints("classify", l, nums(softmax([-1.5, -0.5]))) == [1], "the mean of the log-probabilities")
    #expect(hints("classify", l, nums([3 / 3.5, 0.5 / 3.5])) == [2], "log totals divided by their sum")
    #expect(hints("classify", l, nums([.nan, .nan])) == [3], "0/0")
    #expect(hints("classify", l, nums([0.5, 0.5])) == nil, "the starter's uniform shares")
}

@Test func temperatureAndFilterAdviceNameTheirHints() {
    let t = ExerciseCase("softmaxWithTemperature(…)", args: [nums([1, 2, 3]), .number(0.5)],
                         expected: nums(softmax([2, 4, 6])))
    #expect(hints("temperature", t, nums(softmax([0.5, 1, 1.5]))) == [1], "× T")
    #expect(hints("temperature", t, nums([.nan, .nan, .nan])) == [2], "overflow")

    let p = [0.5, 0.3, 0.2]
    let k2 = ExerciseCase("topK(…)", args: [nums(p), .int(2)], expected: nums([0.625, 0.375, 0]))
    #expect(hints("top_k", k2, nums([0.5, 0.3, 0])) == [3], "not renormalised")
    let none = said("top_k", k2, nums([.nan, .nan, .nan]))
    #expect(none?.hints == [2] && none?.text.contains("kept no token") == true
            && none?.text.contains("kept set is right") == false,
            "`>` against the k-th keeps nothing: \(String(describing: none))")
    #expect(hints("top_k", k2, nums(p)) == nil, "the starter returns its input: nothing filtered")
    let tie = ExerciseCase("topK(…)", args: [nums([0.3, 0.3, 0.2, 0.2]), .int(3)],
                           expected: nums([0.3, 0.3, 0.2, 0.2]))
    #expect(hints("top_k", tie, nums([0.375, 0.375, 0.25, 0])) == [2], "a tie at the threshold dropped")

    let onP = ExerciseCase("topP(…)", args: [nums(p), .number(0.5)], expected: nums([1, 0, 0]))
    #expect(hints("top_p", onP, nums([0.625, 0.375, 0])) == [2], "`>` where the sum lands on p")
    #expect(hints("top_p", onP, nums(p)) == nil, "the starter")
    let crosses = ExerciseCase("topP(…)", args: [nums(p), .number(0.6)], expected: nums([0.625, 0.375, 0]))
    #expect(hints("top_p", crosses, nums([1, 0, 0])) == [2], "stopped before the token that crosses p")
    #expect(hints("top_p", crosses, nums([0.5, 0.3, 0])) == [3], "not renormalised")
    let unsorted = ExerciseCase("topP(…)", args: [nums([0.1, 0.2, 0.7]), .number(0.05)], expected: nums([0, 0, 1]))
    let sorted = said("top_p", unsorted, nums([1, 0, 0]))
    #expect(sorted?.hints == [1] && sorted?.text.contains("wrong places") == true, "\(String(describing: sorted))")
    #expect(said("top_p", unsorted, nums([1, 0, 0]), .zh)?.text.contains("质量") == false)

    let m = ExerciseCase("minP(…)", args: [nums(p), .number(0.5)], expected: nums([0.625, 0.375, 0]))
    #expect(hints("min_p", m, nums([1, 0, 0])) == [1], "the threshold taken as minP itself")
    #expect(hints("min_p", m, nums([0.5, 0.3, 0])) == [3], "not renormalised")
    let at = ExerciseCase("minP(…)", args: [nums([0.5, 0.25, 0.125, 0.125]), .number(0.5)],
                          expected: nums([2.0 / 3, 1.0 / 3, 0, 0]))
    #expect(hints("min_p", at, nums([1, 0, 0, 0])) == [2], "`>` at the threshold")
}

@Test func addKAndPerplexityAdviceNameTheirHints() {
    let c = ExerciseCase("addK(…)", args: [nums([2, 0, 1]), .number(1)], expected: nums([3.0 / 6, 1.0 / 6, 2.0 / 6]))
    #expect(hints("add_k", c, nums([2.0 / 6, 0, 1.0 / 6])) == nil, "k missing from the numerator: the starter's MLE")
    #expect(hints("add_k", c, nums([3.0 / 4, 1.0 / 4, 2.0 / 4])) == [2], "N + k for N + k·V")
    let unseen = ExerciseCase("addK(…)", args: [nums([0, 0, 0]), .number(0.5)],
                              expected: nums([1.0 / 3, 1.0 / 3, 1.0 / 3]))
    let zeros = said("add_k", unseen, nums([0, 0, 0]))
    #expect(zeros?.hints == [3] && zeros?.text.contains("1/V") == true && zeros?.text.contains("numerator") == false,
            "an unseen context returned as zeros: \(String(describing: zeros))")
    #expect(said("add_k", c, nums([0.5, 0.5, 0.5]), .zh)?.text.hasPrefix("你这一行的和是") == true)

    let sentences = ExerciseValue.list([nums([0.5, 0.25]), nums([0.5])])
    let lnSum = log(0.5) + log(0.25) + log(0.5)
    let pp = ExerciseCase("perplexity(…)", args: [sentences], expected: .number(exp(-lnSum / 3)))
    #expect(hints("ngram_perplexity", pp, .number(exp(-(lnSum / log(2)) / 3)), path: []) == [2], "log2")
    #expect(hints("ngram_perplexity", pp, .number(exp(-lnSum / 2)), path: []) == [1, 2], "N counts sentences")
    let zero = ExerciseCase("perplexity(…)", args: [.list([nums([0.5, 0.25]), nums([0.2, 0])])],
                            expected: .number(.infinity))
    let finite = exp(-(log(0.5) + log(0.25) + log(0.2)) / 3)
    #expect(hints("ngram_perplexity", zero, .number(finite), path: []) == [3], "a zero probability skipped")
}

@Test func neighbourAndAnalogyAdviceNameTheirHints() {
    let long = ExerciseCase("nearest(…)",
                            args: [nums([1, 0]), .matrix([[0.5, 0], [3, 3], [0, 1]] as [[Double]]), .int(2)],
                            expected: .ints([0, 1]))
    #expect(hints("cosine_neighbours", long, .ints([1, 0])) == [2], "ranked by the dot product")
    let four = ExerciseCase("nearest(…)",
                            args: [nums([1, 0]), .matrix([[0, 1], [2, 0], [1, 1], [-1, 0]] as [[Double]]), .int(2)],
                            expected: .ints([1, 2]))
    #expect(hints("cosine_neighbours", four, .ints([3, 0])) == [3], "least similar first")
    #expect(hints("cosine_neighbours", four, .ints([0, 1])) == nil, "the starter's first k ids")
    let tie = ExerciseCase("nearest(…)",
                           args: [nums([1, 1]), .matrix([[10, 10], [1, 0], [0, 1], [-1, -1]] as [[Double]]), .int(4)],
                           expected: .ints([0, 1, 2, 3]))
    let order = said("cosine_neighbours", tie, .ints([0, 2, 1, 3]))
    #expect(order?.hints == [3] && order?.text.contains("the lower id comes first") == true,
            "\(String(describing: order))")

    let vectors: [[Double]] = [[1, 0], [0, 1], [1, -1], [1, 0.01], [0.01, 1]]
    let a = ExerciseCase("analogy(…)", args: [.int(0), .int(1), .int(3), .matrix(vectors)], expected: .int(4))
    #expect(hints("analogy", a, .int(1), path: []) == [2], "b itself: a, b, c not left out")
    #expect(hints("analogy", a, .int(3), path: []) == nil, "c is what the starter returns")
    #expect(hints("analogy", a, .int(2), path: []) == [2], "the swapped query")
}

@Test func negativeSamplingAdviceNamesTheNegativeTermAndTheUpdateHints() {
    let (h, u) = ([1.0, 0], [[0.5, 0.2], [0.1, -0.3], [0.4, 0.4]])
    let c = ExerciseCase("negativeSamplingStep(…)", args: [nums(h), .matrix(u), .ints([0, 2]), .number(0.1)],
                         expected: .list([.number(0), .matrix(u), nums([0, 0])]))
    let asTrue = log(1 + exp(-0.5)) + log(1 + exp(-0.4))         // −log σ(s) for the negative too
    let loss = said("negative_sampling", c, .list([.number(asTrue), .matrix(u), nums([0, 0])]))
    #expect(loss?.hints == [2] && loss?.text.contains("−log σ(−s), not −log σ(s)") == true,
            "\(String(describing: loss))")
    #expect(hints("negative_sampling", c, .list([.number(0), .matrix(u), nums([0, 0])])) == nil, "the starter's loss 0")
    #expect(hints("negative_sampling", c, .list([]), path: [1, 0, 0]) == [2], "the gradient")
    #expect(hints("negative_sampling", c, .list([]), path: [2, 0]) == [3], "the error from updated vectors")
}
