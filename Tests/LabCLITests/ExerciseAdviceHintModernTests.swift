// The advice of lessons 6–9's exercises names the hints about the slip it recognises (see ExerciseAdviceHintTests);
// end to end, a slip caught by the very first case gets its hint too, since the advice knows the slip where the
// case's tags are dropped (a first case failing usually means the basics are missing).
import Foundation
import Lab
import LabCore
import LabExercises
import Testing
@testable import LabCLI

private func nums(_ v: [Double]) -> ExerciseValue { .numbers(v) }

private func said(_ name: String, _ c: ExerciseCase, _ yours: ExerciseValue, path: [Int] = [0]) -> ExerciseAdvice? {
    Learner.$language.withValue(.en) { ExerciseSpecs.all[name]!.advise(c, yours, path) }
}

private func hints(_ name: String, _ c: ExerciseCase, _ yours: ExerciseValue, path: [Int] = [0]) -> [Int]? {
    said(name, c, yours, path: path)?.hints
}

@Test func attentionAndHeadAdviceNameTheirHints() {
    let c = ExerciseCase("causalAttention(…)", args: [], expected: .matrix([[1.0, 0], [0.3, 0.7]]))
    #expect(hints("causal_attention", c, .matrix([[0.5, 0.5], [0.3, 0.7]]), path: [0, 0]) == [2], "row 0 saw token 1")
    #expect(hints("bahdanau", ExerciseCase("bahdanau(…)", args: [], expected: .list([])), .list([]),
                  path: [1, 0]) == [3],
            "the context mixes U·h_j")

    let x: [[Double]] = [[1, 2, 3, 4]]
    let split = ExerciseValue.list([.matrix([[1.0, 2]]), .matrix([[3.0, 4]])])
    let s = ExerciseCase("splitHeads(…)", args: [.matrix(x), .int(2), split], expected: .list([split, .matrix(x)]))
    let dealt = ExerciseValue.list([.matrix([[1.0, 3]]), .matrix([[2.0, 4]])])
    let interleaved = said("split_heads", s, .list([dealt, .matrix(x)]), path: [0, 0, 0, 1])
    #expect(interleaved?.hints == [2] && interleaved?.text.contains("in turn") == true,
            "\(String(describing: interleaved))")
    #expect(hints("split_heads", s, .list([.list([.matrix(x)]), .matrix(x)]), path: [0]) == nil, "the starter's [x]")
    let added = said("split_heads", s, .list([split, .matrix([[4.0, 6]])]), path: [1, 0])
    #expect(added?.hints == [3] && added?.text.contains("you added the heads") == true, "\(String(describing: added))")
    let stacked = said("split_heads", s, .list([split, .matrix([[1.0, 2], [3, 4]])]), path: [1])
    #expect(stacked?.hints == [3] && stacked?.text.contains("stacked") == true
            && stacked?.text.contains("adds") == false,
            "\(String(describing: stacked))")

    let g = ExerciseCase("keyValueHeads(queryHeads: 4, keyValueHeads: 4)", args: [.int(4), .int(4)],
                         expected: .ints([0, 1, 2, 3]))
    let wrongCount = said("gqa_heads", g, .ints([0, 0, 0, 0]))
    #expect(wrongCount?.hints == [2, 3] && wrongCount?.text.contains("h % Hkv") == false,
            "h / Hkv: \(String(describing: wrongCount))")
    let g2 = ExerciseCase("keyValueHeads(queryHeads: 4, keyValueHeads: 2)", args: [.int(4), .int(2)],
                          expected: .ints([0, 0, 1, 1]))
    let roundRobin = said("gqa_heads", g2, .ints([0, 1, 0, 1]))
    #expect(roundRobin?.text.contains("h % Hkv") == true && roundRobin?.hints == nil,
            "the starter's round-robin is named, its hints come in order")
}

@Test func normRopeAndQuantisationAdviceNameTheirHints() {
    let r = ExerciseCase("rmsNorm([3, 4], …)", args: [nums([3, 4]), nums([1, 2]), .number(0.01)],
                         expected: nums([3 / (12.5 + 0.01).squareRoot(), 8 / (12.5 + 0.01).squareRoot()]))
    #expect(hints("rms_norm", r, nums([3 / (12.5.squareRoot() + 0.01), 8 / (12.5.squareRoot() + 0.01)])) == [2],
            "ε outside")
    #expect(hints("rms_norm", r, nums([3 / 25.01.squareRoot(), 8 / 25.01.squareRoot()])) == [1], "the sum of squares")

    // Dh = 4, position 3: ERNIE pairs (0, 1), (2, 3); rotate_half pairs (0, 2), (1, 3) with the same two angles.
    let (v, theta) = ([1.0, 2, 3, 4], 10000.0)
    let (a0, a1) = (3.0, 3 * pow(theta, -0.5))
    let adjacent = [v[0] * cos(a0) - v[1] * sin(a0), v[1] * cos(a0) + v[0] * sin(a0),
                    v[2] * cos(a1) - v[3] * sin(a1), v[3] * cos(a1) + v[2] * sin(a1)]
    let rope = ExerciseCase("rope(…)", args: [nums(v), .int(3), .number(theta)], expected: nums(adjacent))
    let halves = [v[0] * cos(a0) - v[2] * sin(a0), v[1] * cos(a1) - v[3] * sin(a1),
                  v[2] * cos(a0) + v[0] * sin(a0), v[3] * cos(a1) + v[1] * sin(a1)]
    let llama = said("rope", rope, nums(halves))
    #expect(llama?.hints == [2] && llama?.text.contains("rotate_half") == true, "\(String(describing: llama))")
    let signs = [v[0] * cos(a0) + v[1] * sin(a0), v[1] * cos(a0) - v[0] * sin(a0),
                 v[2] * cos(a1) + v[3] * sin(a1), v[3] * cos(a1) - v[2] * sin(a1)]
    #expect(hints("rope", rope, nums(signs)) == [3], "the sine's signs")
    #expect(hints("rope", rope, nums(v)) == nil, "the starter's unturned x")

    let zero = ExerciseCase("quantizeRow([0, 0, 0])", args: [nums([0, 0, 0])],
                            expected: .list([.number(0), .ints([0, 0, 0])]))
    let guardless = said("int8_rows", zero, .list([.number(0), .ints([127, 127, 127])]), path: [1, 0])
    #expect(guardless?.hints == [3] && guardless?.text.contains("w / 0") == true, "\(String(describing: guardless))")
    let w = ExerciseCase("quantizeRow([1, -0.3, 0.25])", args: [nums([1, -0.3, 0.25])],
                         expected: .list([.number(1.0 / 127), .ints([127, -38, 32])]))
    let truncated = said("int8_rows", w, .list([.number(1.0 / 127), .ints([127, -38, 31])]), path: [1, 2])
    #expect(truncated?.hints == [2] && truncated?.text.contains("Int(x)") == true, "\(String(describing: truncated))")
    #expect(hints("int8_rows", w, .list([.number(1), .ints([1, 0, 0])])) == nil, "the starter's scale 1")
}

@Test func dpoAndChatTemplateAdviceNameTheirHints() {
    let d = ExerciseCase("dpo(…)", args: [], expected: nums([0.3, -0.2, log(1 + exp(-0.5))]))
    #expect(hints("dpo_loss", d, nums([0.3, -0.2, log(1 + exp(0.5))]), path: [2]) == [2],
            "the margin the other way round")
    let even = ExerciseCase("dpo(…)", args: [], expected: nums([0, 0, log(2.0)]))
    #expect(hints("dpo_loss", even, nums([0, 0, 0]), path: [2]) == nil, "the starter's zeros")

    func call(_ add: Bool, _ expected: String) -> ExerciseCase {
        ExerciseCase("renderChat(…)", args: [.list([]), .int(add ? 1 : 0)], expected: .text(expected))
    }
    let (bos, eos, hi) = ("<|begin_of_sentence|>", "<|end_of_sentence|>", "<|begin_of_sentence|>User: Hi\n")
    let space = said("chat_template", call(true, hi + "Assistant: "), .text(hi + "Assistant:"))
    #expect(space?.hints == [3] && space?.text.contains("with a space") == true, "\(String(describing: space))")
    let turn = hi + "Assistant: Hey" + eos + "User: Bye\n"
    let newline = said("chat_template", call(false, turn), .text(hi + "Assistant: Hey" + eos + "\nUser: Bye\n"))
    #expect(newline?.hints == [2] && newline?.text.contains("no newline after") == true,
            "\(String(describing: newline))")
    let system = said("chat_template", call(true, bos + "Be brief.\nUser: Hi\nAssistant: "),
                      .text(bos + "System: Be brief.\nUser: Hi\nAssistant: "))
    #expect(system?.hints == [2] && system?.text.contains("its text alone") == true, "\(String(describing: system))")
    #expect(hints("chat_template", call(true, hi + "Assistant: "), .text("<|begin_of_sentence|>User: Hi\n")) == [3],
            "the reply prompt asked for")
    // Where the learner's text ends early, the difference says so rather than showing an empty "".
    let early = Learner.$language.withValue(.en) { ExerciseValue.text("ab").firstDifference(from: .text("ab "),
                                                                                            tolerance: 0) }
    #expect(early?.1.contains("yours ends") == true, "\(String(describing: early))")
}

/// End to end: slips the first case catches get the advice's hint, not hint 1 — chain_rule's log10, top_p's `>` where
/// the sum lands on p, the bigram counter's `= 1` — and a perplexity that skips zero probabilities no longer passes.
@Test func aSlipCaughtByTheFirstCaseGetsItsHint() throws {
    let catalog = try ExerciseCatalog.ofProject()
    let slips: [(name: String, from: String, to: String, hints: [Int], says: String)] = [
        ("chain_rule", "log($1)", "log10($1)", [2], "you took log10"),
        ("top_p", "mass >= p", "mass > p", [2], "the kept sum reaches p"),
        ("bigram_counter", "+= 1", "= 1", [3], "counted it once only"),
        ("ngram_perplexity", "for p in s", "for p in s where p > 0", [3], "don't skip it"),
    ]
    for slip in slips {
        let entry = try catalog.entry(slip.name)
        let solution = try String(contentsOf: catalog.solutionFile(entry), encoding: .utf8)
        #expect(solution.contains(slip.from), "\(slip.name)'s solution no longer has \(slip.from)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(slip.name)-slip-\(getpid()).swift")
        try solution.replacingOccurrences(of: slip.from, with: slip.to).write(to: file, atomically: true,
                                                                              encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let verdict = try Learner.$language.withValue(.en) {
            try ExerciseChecker.check(entry, source: file, catalog: catalog, model: exerciseCheckpoint, api: nil)
        }
        print("\(slip.name), \(slip.to): \(verdict.summary), hints \(verdict.hints ?? [])",
              "· \(verdict.firstDivergence ?? "")")
        #expect(!verdict.passed && verdict.hints == slip.hints, "\(slip.name): \(verdict)")
        #expect((verdict.firstDivergence ?? "").contains(slip.says), "\(slip.name): \(verdict.firstDivergence ?? "")")
    }
}
