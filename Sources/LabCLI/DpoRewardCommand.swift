// `lmlab dpo-reward`: the reward DPO trains without ever writing it down (lesson 9).
//
// Direct Preference Optimization (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290) shows that the policy π
// it learns from a reference π_ref defines a reward implicitly:
//
//     r(x, y) = β · (log π(y | x) − log π_ref(y | x))          (up to a term that depends on x only)
//
// and that preferences follow Bradley–Terry: P(y₁ ≻ y₂ | x) = σ(r(x, y₁) − r(x, y₂)). Decoding/ImplicitReward.swift
// computes both from the models' log-probabilities, Lab/ContinuationReports.swift loads the two models and
// words the result; this command parses and prints.
import ArgumentParser
import Decoding
import Foundation
import Lab
import LabCore

struct DpoRewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpo-reward",
        abstract: "DPO's implicit reward β·(log π(y|x) − log π_ref(y|x)) of candidate answers, and the preference it implies.",
        discussion: CommandHelp.dpoReward)

    @Argument(help: "The prompt x.")
    var prompt: String

    @Option(name: .long, help: "Candidate answers y, separated by '|'.")
    var answers: String

    @Option(name: .long, help: "The post-trained model π (a folder or a name).")
    var policy: String

    @Option(name: .long, help: "The reference model π_ref it was trained from.")
    var reference: String

    @Option(name: .long, parsing: .unconditional, help: "β, the strength of the KL constraint (default 0.1; above 0, at most 100).")
    var beta: Double = 0.1

    @OptionGroup var turn: ChatTurn

    @OptionGroup var output: JSONOutput

    func validate() throws {
        _ = try usage { try ImplicitReward.answers(answers) }
        try checkPositive("--beta", beta, maximum: 100, hint: Learner.text(
            "DPO uses β between 0.1 and 0.5; 0.1 is usual.", "DPO 的 β 取 0.1 到 0.5，常用 0.1。"))
    }

    func run() throws {
        let r = try report()
        try output.show(r.output, json: r)
    }

    func report() throws -> ImplicitReward {
        try ImplicitReward.compare(try ImplicitReward.answers(answers), after: prompt, policy: policy, reference: reference,
                                   chat: turn.chat, beta: beta)
    }
}
