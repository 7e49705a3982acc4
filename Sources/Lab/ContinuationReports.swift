// What `classify` and `dpo-reward` show of Decoding's continuation scores: the labels of a classification by
// generation as a table with their shares, and DPO's implicit reward of candidate answers under a policy and its
// reference with the Bradley–Terry preference of every pair.
import Decoding
import Foundation
import LabCore

extension LabelScore {
    /// `--labels yes,no`: the labels, each kept as written (a leading space belongs to the label).
    /// - Throws: `OptionError` for fewer than two labels.
    public static func labels(_ option: String) throws -> [String] {
        let labels = option.split(separator: ",").map(String.init)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard labels.count >= 2 else {
            throw OptionError(Learner.text(
                "--labels \(option): give at least two comma-separated labels, like \"yes,no\"",
                "--labels \(option)：至少给出两个用逗号分隔的标签，例如 \"yes,no\""))
        }
        return labels
    }

    /// The labels as a table (the share drawn as a bar) and the most likely one.
    public static func output(_ rows: [LabelScore]) -> Output {
        let table = OutputTable(
            headers: [Learner.text("label", "标签"), Learner.text("tokens", "词元数"), "log P",
                      Learner.text("mean", "每词元均值"), Learner.text("share", "占比")],
            rows: rows.map { r in
                [quoted(r.label), String(r.ids.count), String(format: "%.3f", r.totalLogProb),
                 String(format: "%.3f", r.meanLogProb),
                 String(format: "%5.1f%% ", r.share * 100) + String(repeating: "█", count: Int((r.share * 30).rounded()))]
            },
            alignments: [.left, .right, .right, .right, .left])
        var items: [Output] = [.table(table)]
        if let best = rows.max(by: { $0.totalLogProb < $1.totalLogProb }) {
            items.append(.text(Learner.text("most likely continuation: ", "最可能的续写：") + quoted(best.label)))
        }
        return .group(OutputGroup(items))
    }

    static func quoted(_ s: String) -> String { "\"" + VisibleText.escapingControls(s) + "\"" }
}

extension ImplicitReward {
    /// `--answers "a|b"`: the candidate answers.
    /// - Throws: `OptionError` for fewer than two.
    public static func answers(_ option: String) throws -> [String] {
        let answers = option.split(separator: "|").map(String.init).filter { !$0.isEmpty }
        guard answers.count >= 2 else {
            throw OptionError(Learner.text("--answers \(option): give at least two answers separated by '|'",
                                                "--answers \(option)：至少给出两个用 '|' 分隔的回答"))
        }
        return answers
    }

    /// The implicit reward of each of `answerList` after `prompt` under `policy` against `reference` (model names or
    /// folders, which must tokenize alike).
    /// - Throws: `ModelLoadError` when the two models tokenize differently.
    public static func compare(_ answerList: [String], after prompt: String, policy: String, reference: String, chat: Bool,
                               beta: Double) throws -> ImplicitReward {
        let p = try ModelNameSuggestion.written({ "--policy \($0)" }) { try ModelLoader.load(policy) }
        let q = try ModelNameSuggestion.written({ "--reference \($0)" }) { try ModelLoader.load(reference) }
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
    public var output: Output {
        let r = self
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
