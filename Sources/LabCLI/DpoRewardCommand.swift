// `lmlab dpo-reward`: the reward DPO trains without ever writing it down (lesson 9).
//
// Direct Preference Optimization (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290) shows that the policy π
// it learns from a reference π_ref defines a reward implicitly:
//
//     r(x, y) = β · (log π(y | x) − log π_ref(y | x))          (up to a term that depends on x only)
//
// and that preferences follow Bradley–Terry: P(y₁ ≻ y₂ | x) = σ(r(x, y₁) − r(x, y₂)). Decoding/ImplicitReward.swift
// computes both from the models' log-probabilities; this command loads the two models, parses and prints.
import ArgumentParser
import Decoding
import Foundation
import Lab
import LabCore

struct DpoRewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpo-reward",
        abstract: "DPO's implicit reward β·(log π(y|x) − log π_ref(y|x)) of candidate answers, and the preference it implies.",
        discussion: """
        The policy and the reference must share a tokenizer (a model and its fine-tuned version do). With --chat the \
        prompt is a user message in the chat template and each answer is scored as the assistant's reply.

        Examples:
          lmlab dpo-reward "What is the capital of France?" \\
              --answers "Paris is the capital of France.|France is a country." \\
              --policy tiny-ernie-instruct --reference tiny-ernie --chat
          lmlab dpo-reward "The dog says" --answers " woof.| meow." \\
              --policy tiny-ernie-instruct --reference tiny-ernie --beta 0.5
        """)

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

    @Flag(name: .long, help: "Put the prompt in the chat template as a user message.")
    var chat = false

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    var answerList: [String] { answers.split(separator: "|").map(String.init).filter { !$0.isEmpty } }

    func validate() throws {
        if answerList.count < 2 { throw ValidationError(Learner.text("--answers \(answers): give at least two answers separated by '|'",
                                                                       "--answers \(answers)：至少给出两个用 '|' 分隔的回答")) }
        try checkPositive("--beta", beta, maximum: 100, hint: "DPO uses β between 0.1 and 0.5; 0.1 is usual.")
    }

    func run() throws {
        let r = try report()
        if json { print(try jsonString(r)) } else { OutputPrinter.print(Self.output(r)) }
    }

    func report() throws -> ImplicitReward {
        let p = try ModelLoader.load(policy)
        let q = try ModelLoader.load(reference)
        let ps = try p.continuations(answerList, after: prompt, chat: chat, name: policy)
        let qs = try q.continuations(answerList, after: prompt, chat: chat, name: reference)
        let pt = try p.requireTokenizer(policy), qt = try q.requireTokenizer(reference)
        guard p.model.vocabulary.count == q.model.vocabulary.count, zip(ps, qs).allSatisfy({ $0.ids == $1.ids }),
              pt.encode(prompt, addBos: false) == qt.encode(prompt, addBos: false) else {
            throw ModelLoadError(Learner.text(
                "\(policy) and \(reference) tokenize differently, so their log-probabilities are not comparable. HINT: compare a model with the model it was fine-tuned from.",
                "\(policy) 与 \(reference) 的分词方式不同，二者的对数概率无法比较。HINT：拿一个模型和它微调之前的模型比较。"))
        }
        return ImplicitReward(answers: answerList, policy: ps, reference: qs, beta: beta)
    }

    /// The rewards as a table, then every pair's Bradley–Terry preference.
    static func output(_ r: ImplicitReward) -> Output {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        func quoted(_ s: String, _ cells: Int? = nil) -> String {
            let v = VisibleText.escapingControls(s)
            return "\"" + (cells.map { EastAsianWidth.truncate(v, toCells: $0) } ?? v) + "\""
        }
        let table = OutputTable(
            headers: [Learner.text("answer y", "回答 y"), Learner.text("tokens", "词元数"), "log π(y|x)", "log π_ref(y|x)",
                      Learner.text("reward β·Δ", "奖励 β·Δ")],
            rows: r.rows.map { [quoted($0.answer), String($0.tokens), f($0.policyLogProb), f($0.referenceLogProb), f($0.reward)] },
            alignments: [.left, .right, .right, .right, .right])
        var lines = [Learner.text("β = \(r.beta). Bradley–Terry preference σ(r_i − r_j):",
                                  "β = \(r.beta)。Bradley–Terry 偏好概率 σ(r_i − r_j)：")]
        for i in r.rows.indices { for j in r.rows.indices where j > i {
            lines.append("  P(\(quoted(r.rows[i].answer, 24)) ≻ \(quoted(r.rows[j].answer, 24))) = \(f(r.preferences[i][j]))")
        } }
        return .group(OutputGroup([.table(table), .text(lines.joined(separator: "\n"))]))
    }
}
