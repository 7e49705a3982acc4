// The sentence a failed min_p check adds names the learner's actual mistake. Taking minP itself as the threshold
// (not minP × the largest probability) removes tokens well above the real threshold; the advice used to say only
// "keep a token whose probability equals the threshold", which the screen beside it contradicted (0.3 is not 0.25).
import LabCore
import LabExercises
import Testing

private func minPAdvice(_ probs: [Double], _ m: Double, expected: [Double], yours: [Double], _ language: LessonLanguage) -> String? {
    let spec = ExerciseSpecs.all["min_p"]!
    let c = ExerciseCase("minP(…)", args: [.numbers(probs), .number(m)], expected: .numbers(expected))
    return Learner.$language.withValue(language) { spec.advice(c, .numbers(yours), [0]) }
}

@Test func minPAdviceNamesTheThresholdWhenATokenAboveItWasRemoved() {
    // threshold = 0.5 × 0.5 = 0.25: 0.3 stays; a learner comparing with 0.5 itself drops it.
    let args = ([0.5, 0.3, 0.2], 0.5, [0.625, 0.375, 0.0], [0.5, 0.0, 0.0])
    let en = minPAdvice(args.0, args.1, expected: args.2, yours: args.3, .en) ?? ""
    let zh = minPAdvice(args.0, args.1, expected: args.2, yours: args.3, .zh) ?? ""
    #expect(en.contains("0.5 × 0.5 = 0.25") && en.contains("0.3 is above it"), "\(en)")
    #expect(!en.contains("equals the threshold"), "\(en)")
    #expect(zh.contains("0.5 × 0.5 = 0.25") && zh.contains("0.3 高于它"), "\(zh)")
    #expect(!zh.contains("等于阈值"), "\(zh)")
}

@Test func minPAdviceSpeaksOfTheTieWhenOnlyATokenAtTheThresholdWasRemoved() {
    // threshold = 0.5 × 0.4 = 0.2: the token at exactly 0.2 stays; a learner using > instead of ≥ drops it.
    let en = minPAdvice([0.4, 0.4, 0.2], 0.5, expected: [0.4, 0.4, 0.2], yours: [0.5, 0.5, 0.0], .en) ?? ""
    #expect(en.contains("equals the threshold"), "\(en)")
}

private func topKAdvice(_ probs: [Double], k: Int, expected: [Double], yours: [Double], _ language: LessonLanguage) -> String {
    let c = ExerciseCase("topK(…)", args: [.numbers(probs), .int(k)], expected: .numbers(expected))
    return Learner.$language.withValue(language) { ExerciseSpecs.all["top_k"]!.advice(c, .numbers(yours), [0]) } ?? ""
}

/// top_k's advice names the learner's actual slip: k reaching the vocabulary, fewer than k kept, or a tie — it used to
/// speak of ties and of k larger than the vocabulary for every removed token (k = 3 of 3 tokens, 2 kept: neither).
@Test func topKAdviceNamesTheSlip() {
    let all = topKAdvice([0.5, 0.3, 0.2], k: 3, expected: [0.5, 0.3, 0.2], yours: [0.625, 0.375, 0], .zh)
    #expect(all.contains("k = 3 不小于词表大小（3 个词元）：全部保留"), "\(all)")
    let fewer = topKAdvice([0.4, 0.3, 0.2, 0.1], k: 3, expected: [4.0 / 9, 3.0 / 9, 2.0 / 9, 0], yours: [4.0 / 7, 3.0 / 7, 0, 0], .en)
    #expect(fewer.contains("keep the k = 3 most likely tokens; you kept 2"), "\(fewer)")
    let tie = topKAdvice([0.3, 0.3, 0.2, 0.2], k: 3, expected: [0.3, 0.3, 0.2, 0.2], yours: [0.375, 0.375, 0.25, 0], .en)
    #expect(tie.contains("a token tied with the k-th most likely (0.2) stays too"), "\(tie)")
}
