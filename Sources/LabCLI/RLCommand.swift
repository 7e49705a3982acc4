// `lmlab rl`: a short reinforcement-learning run on the tiny instruct model (lesson 9) — sampled answers, a
// checkable reward, a KL penalty to the SFT model, the reward printed step by step. The loop and the wording are
// ErnieTraining/PolicyGradient*.swift; this parses and prints. Nothing is written.
import ArgumentParser
import ErnieTraining
import Foundation
import Lab
import LabCore

struct RLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rl",
        abstract: "Reinforcement learning on the tiny instruct model: reward for the right animal sound, KL to the SFT model.",
        discussion: CommandHelp.rl)

    @Option(name: .long, help: "The SFT model to start from, and the KL reference.")
    var model = "tiny-ernie-instruct"

    @Option(name: .long, parsing: .unconditional, help: "RL steps (1…500).")
    var steps = 30

    @Option(name: .long, parsing: .unconditional, help: "Answers sampled per question (2…64).")
    var group = 8

    @Option(name: .long, parsing: .unconditional, help: "β of the KL penalty (0…100; 0 turns it off).")
    var beta: Double = 0.1

    @Option(name: .long, parsing: .unconditional, help: "AdamW learning rate (above 0, at most 0.1).")
    var lr: Double = 3e-4

    @Option(name: .long, parsing: .unconditional, help: "Seed of the sampling and the question order.")
    var seed: UInt64 = 1

    var options: PolicyGradientOptions {
        get throws {
            try usage {
                try PolicyGradientOptions(steps: steps, group: group, klWeight: beta, learningRate: lr, seed: seed)
            }
        }
    }

    func validate() throws { _ = try options }

    func run() throws {
        let options = try self.options
        let report = try PolicyGradientRun.run(folder: try ModelLoader.folder(model).url, chinese: Learner.isChinese,
                                               options: options) { print($0) }
        print(report.summary)
    }
}
