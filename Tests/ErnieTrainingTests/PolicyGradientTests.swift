// The RL run of lesson 9 (ErnieTraining/PolicyGradient*.swift) on the shipped tiny instruct model: the reward it
// is built to raise rises on a fixed seed, the KL term starts at zero (policy = reference), and nothing is written.
import Foundation
import LabCore
import ModelFiles
import Testing
import Tokenizers
@testable import ErnieTraining

private let instruct = projectRoot.appendingPathComponent("Models/tiny-ernie-instruct")

@Test func rlRaisesTheRewardOnASeedAndWritesNothing() throws {
    let weights = instruct.appendingPathComponent("model.safetensors")
    let before = try Data(contentsOf: weights)
    let files = try FileManager.default.contentsOfDirectory(atPath: instruct.path).sorted()
    var options = PolicyGradientOptions()
    options.steps = 60                                  // lesson 9's cell: `rl --steps 60 --seed 1`
    var lines: [String] = []
    let report = try PolicyGradientRun.run(folder: instruct, chinese: false, options: options) { lines.append($0) }
    #expect(lines.first?.hasPrefix("each step: the mean reward of its \(options.group) samples, KL to the SFT model (weighed by β = ") == true,
            "the legend comes first: \(lines.first ?? "")")
    let (first, last) = (report.meanReward(first: report.window), report.meanReward(last: report.window))
    print("RL reward: first \(report.window) steps \(first), last \(report.window) steps \(last); greedy \(report.greedyBefore) → \(report.greedyAfter); \(report.seconds) s")
    #expect(last > first + 0.1)
    #expect(report.steps.first!.kl < 1e-4, "policy and reference are the same model before the first update")
    #expect(report.steps.last!.kl > 0)
    #expect(try Data(contentsOf: weights) == before)
    #expect(try FileManager.default.contentsOfDirectory(atPath: instruct.path).sorted() == files)
}

@Test func rewardIsTheExactAnswerThenTheEndOfTurn() throws {
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: instruct))
    let model = try TinyErnie(folder: instruct)
    let q = ChatExample(question: "What does the dog say?", answer: "The dog says woof.")
    let trainer = try PolicyGradientTrainer(policy: model, reference: model, tokenizer: tokenizer, examples: [q],
                                            options: PolicyGradientOptions())
    let sep = try #require(tokenizer.sepId)
    #expect(trainer.reward(tokenizer.encode("The dog says woof.", addBos: false) + [sep], reference: q.answer) == 1)
    #expect(trainer.reward(tokenizer.encode("The dog says woof.", addBos: false), reference: q.answer) == 0)   // never ended
    #expect(trainer.reward(tokenizer.encode("The dog says meow.", addBos: false) + [sep], reference: q.answer) == 0)
}

@Test func soundQuestionsArePickedInEachLanguage() {
    let chats = [ChatExample(question: "What does the dog say?", answer: "The dog says woof."),
                 ChatExample(question: "狗怎么叫？", answer: "狗汪汪地叫。"),
                 ChatExample(question: "What is the capital of Peru?", answer: "Lima is the capital of Peru.")]
    #expect(PolicyGradientRun.soundQuestions(chats, chinese: false).map(\.question) == ["What does the dog say?"])
    #expect(PolicyGradientRun.soundQuestions(chats, chinese: true).map(\.question) == ["狗怎么叫？"])
}

/// Lesson 9 (zh) explains why its RL cell needs twice the English steps: a Chinese animal-sound answer is one token
/// and "。" ("牛哞哞地叫" + "。"), so the model must pick the whole answer from the animal in the question, while an
/// English answer copies the animal word from the question ("The" "▁cow" "▁says" "▁moo" ".").
@Test func chineseSoundAnswersAreOneTokenAndAFullStop() throws {
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: instruct))
    let chats = try ChatExample.load(instruct.appendingPathComponent("data/train.jsonl"))
    let zh = PolicyGradientRun.soundQuestions(chats, chinese: true), en = PolicyGradientRun.soundQuestions(chats, chinese: false)
    #expect(zh.count == 15 && en.count == 15)
    for e in zh {
        let pieces = tokenizer.encode(e.answer, addBos: false).map { tokenizer.decode([$0], skipSpecialTokens: true) }
        #expect(pieces == [String(e.answer.dropLast()), "。"], "\(e.answer)")
    }
    for e in en { #expect(tokenizer.encode(e.answer, addBos: false).count > 2, "\(e.answer)") }
}

/// The greedy shares print as every other share of the lab does ("98.7%"): "13%", not "13 %".
@Test func theGreedySharesPrintWithoutASpaceBeforePercent() {
    let report = PolicyGradientReport(questions: 15, steps: [], greedyBefore: 2.0 / 15, greedyAfter: 0.2, seconds: 1)
    let zh = Learner.$language.withValue(.zh) { report.summary }
    let en = Learner.$language.withValue(.en) { report.summary }
    #expect(zh.contains("训练前 13%，训练后 20%"), "\(zh)")
    #expect(en.contains("before 13%, after 20%"), "\(en)")
}
