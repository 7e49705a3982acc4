// `lmlab dpo-reward`: the reward DPO trains without ever writing it down (lesson 9).
//
// Direct Preference Optimization (Rafailov et al. 2023, https://arxiv.org/abs/2305.18290) shows that the policy π
// it learns from a reference π_ref defines a reward implicitly:
//
//     r(x, y) = β · (log π(y | x) − log π_ref(y | x))          (up to a term that depends on x only)
//
// and that preferences follow Bradley–Terry: P(y₁ ≻ y₂ | x) = σ(r(x, y₁) − r(x, y₂)). Given a prompt, candidate
// answers and the two models, this command computes both for real, from the models' log-probabilities.
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import TerminalUI

struct DpoRewardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dpo-reward",
        abstract: "DPO's implicit reward β·(log π(y|x) − log π_ref(y|x)) of candidate answers, and the preference it implies.",
        discussion: """
        The policy and the reference must share a tokenizer (a model and its fine-tuned version do). With --chat the \
        prompt is a user message in the chat template and each answer is scored as the assistant's reply.

        Examples:
          lmlab dpo-reward "What is the capital of France?" --answers "Paris is the capital of France.|France is a country." --policy tiny-ernie-instruct --reference tiny-ernie --chat
          lmlab dpo-reward "The dog says" --answers " woof.| meow." --policy tiny-ernie-instruct --reference tiny-ernie --beta 0.5
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
        if answerList.count < 2 { throw ValidationError("--answers \(answers): give at least two answers separated by '|'") }
        try checkPositive("--beta", beta, maximum: 100, hint: "DPO uses β between 0.1 and 0.5; 0.1 is usual.")
    }

    struct Row: Codable, Equatable {
        let answer: String
        let tokens: Int
        let policyLogProb: Double
        let referenceLogProb: Double
        /// β · (log π − log π_ref)
        let reward: Double
    }

    struct Report: Codable, Equatable {
        let beta: Double
        let rows: [Row]
        /// P(answer i ≻ answer j) = σ(r_i − r_j), for every ordered pair i < j.
        let preferences: [[Double]]
    }

    func run() throws {
        let r = try report()
        print(json ? try jsonString(r) : Self.render(r))
    }

    func report() throws -> Report {
        let p = try ProbCommand.load(policy)
        let q = try ProbCommand.load(reference)
        let (ps, pt) = try ClassifyCommand.continuations(answerList, after: prompt, chat: chat, with: p, name: policy)
        let (qs, qt) = try ClassifyCommand.continuations(answerList, after: prompt, chat: chat, with: q, name: reference)
        guard p.model.vocabulary.count == q.model.vocabulary.count, zip(ps, qs).allSatisfy({ $0.ids == $1.ids }),
              pt.encode(prompt, addBos: false) == qt.encode(prompt, addBos: false) else {
            throw ProbCommand.ProbError("\(policy) and \(reference) tokenize differently, so their log-probabilities are not comparable. HINT: compare a model with the model it was fine-tuned from.")
        }
        let rows = zip(answerList, zip(ps, qs)).map { a, s in
            Row(answer: a, tokens: s.0.ids.count, policyLogProb: s.0.logProb, referenceLogProb: s.1.logProb,
                reward: PreferenceReward.reward(beta: beta, policyLogProb: s.0.logProb, referenceLogProb: s.1.logProb))
        }
        let prefs = rows.map { ri in rows.map { rj in PreferenceReward.preference(ri.reward, over: rj.reward) } }
        return Report(beta: beta, rows: rows, preferences: prefs)
    }

    static func render(_ r: Report) -> String {
        func f(_ x: Double) -> String { String(format: "%.3f", x) }
        let w = min(40, max(8, r.rows.map { DisplayWidth.of($0.answer) + 2 }.max() ?? 8)) + 2
        var lines = [DisplayWidth.pad("answer y", toCells: w) + DisplayWidth.pad("tokens", toCells: 8)
                     + DisplayWidth.pad("log π(y|x)", toCells: 13) + DisplayWidth.pad("log π_ref(y|x)", toCells: 16) + "reward β·Δ"]
        for row in r.rows {
            lines.append(DisplayWidth.pad("\"\(row.answer)\"", toCells: w) + DisplayWidth.pad(String(row.tokens), toCells: 8)
                         + DisplayWidth.pad(f(row.policyLogProb), toCells: 13) + DisplayWidth.pad(f(row.referenceLogProb), toCells: 16)
                         + f(row.reward))
        }
        lines.append("β = \(r.beta). Bradley–Terry preference σ(r_i − r_j):")
        for i in r.rows.indices { for j in r.rows.indices where j > i {
            lines.append("  P(\"\(DisplayWidth.truncate(r.rows[i].answer, toCells: 24))\" ≻ \"\(DisplayWidth.truncate(r.rows[j].answer, toCells: 24))\") = \(f(r.preferences[i][j]))")
        } }
        return lines.joined(separator: "\n")
    }
}
