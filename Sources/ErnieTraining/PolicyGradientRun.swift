// PolicyGradientRun — what `lmlab rl` does around the trainer's steps (lesson 9): load the tiny instruct model twice
// (the policy, and the frozen SFT reference of the KL term), pick the animal-sound questions of its own training
// chats in the learner's language, measure the greedy answers, run the RL steps with a line per step, measure again.
// Nothing is saved: the trained policy lives only in this process.

import Foundation
import LabCore
import ModelFiles
import Tokenizers

/// The numbers of one run, and the report in the learner's language.
public struct PolicyGradientReport: Sendable {
    public let questions: Int
    public let steps: [PolicyGradientStep]
    public let greedyBefore: Double, greedyAfter: Double
    public let seconds: Double

    /// Mean reward of the first and the last `window` steps.
    public func meanReward(first window: Int) -> Double { mean(steps.prefix(window).map(\.meanReward)) }
    public func meanReward(last window: Int) -> Double { mean(steps.suffix(window).map(\.meanReward)) }
    private func mean(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.reduce(0, +) / Double(xs.count) }

    public var window: Int { max(1, min(10, steps.count / 3)) }

    public var summary: String {
        let w = window, n = steps.count
        let pct = { (x: Double) in String(format: "%.0f%%", x * 100) }
        return [
            Learner.text("mean reward at the start (steps 1–\(w)): \(String(format: "%.2f", meanReward(first: w)))",
                         "开始时的平均奖励（第 1–\(w) 步）：\(String(format: "%.2f", meanReward(first: w)))"),
            Learner.text("mean reward at the end (steps \(n - w + 1)–\(n)): \(String(format: "%.2f", meanReward(last: w)))",
                         "结束时的平均奖励（第 \(n - w + 1)–\(n) 步）：\(String(format: "%.2f", meanReward(last: w)))"),
            Learner.text("greedy answers right, all \(questions) questions: before \(pct(greedyBefore)), after \(pct(greedyAfter))",
                         "贪心解码答对的比例（全部 \(questions) 个问题）：训练前 \(pct(greedyBefore))，训练后 \(pct(greedyAfter))"),
            Learner.text("KL(π ‖ π_ref) per answer token at the last step: \(String(format: "%.3f", steps.last?.kl ?? 0)) nats · \(String(format: "%.0f", seconds)) s · nothing saved",
                         "最后一步每个回答词元的 KL(π ‖ π_ref)：\(String(format: "%.3f", steps.last?.kl ?? 0)) 奈特 · 用时 \(String(format: "%.0f", seconds)) 秒 · 没有保存任何文件"),
        ].joined(separator: "\n")
    }

    /// What a step's line holds, said once above the first (the answer shown is not "the model's answer").
    public static func legend(group: Int, beta: Float) -> String {
        let b = String(format: "%g", beta)
        return Learner.text("each step: the mean reward of its \(group) samples, KL to the SFT model (weighed by β = \(b) in the "
                                + "loss), and the question → a rewarded sample (the first sample when none was)",
                            "每一步：\(group) 个采样的平均奖励、与 SFT 模型的 KL（在损失里乘以 β = \(b)），以及问题 → 一个拿到奖励的采样"
                                + "（都没拿到就显示第一个）")
    }

    /// One line per step, for the live view.
    public static func line(_ s: PolicyGradientStep) -> String {
        let best = s.answers.first { $0.reward > 0 }?.text ?? s.answers.first?.text ?? ""
        return Learner.text(
            String(format: "step %3d  reward %.2f  KL %.3f  ", s.step, s.meanReward, s.kl) + "\(s.question) → \(best)",
            String(format: "第 %3d 步  奖励 %.2f  KL %.3f  ", s.step, s.meanReward, s.kl) + "\(s.question) → \(best)")
    }
}

public enum PolicyGradientRun {
    /// The animal-sound questions of the instruct model's training chats ("What does the dog say?" / "狗怎么叫？"):
    /// each has one exact answer, so the reward is checkable.
    public static func soundQuestions(_ chats: [ChatExample], chinese: Bool) -> [ChatExample] {
        chats.filter { chinese ? $0.question.hasSuffix("怎么叫？") : ($0.question.hasPrefix("What does the ") && $0.question.hasSuffix(" say?")) }
    }

    /// Runs `options.steps` RL steps on the instruct model in `folder` (its data/train.jsonl gives the questions).
    /// - Parameter progress: called after every step with its line.
    /// - Throws: the model's or the data's loading error, naming the file.
    public static func run(folder: URL, chinese: Bool, options: PolicyGradientOptions,
                           progress: (String) -> Void) throws -> PolicyGradientReport {
        let started = Date()
        let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: folder))
        let dataFile = folder.appendingPathComponent("data/train.jsonl")
        let questions = soundQuestions(try ChatExample.load(dataFile), chinese: chinese)
        guard !questions.isEmpty else {
            throw TinyErnieError.badData(file: dataFile.path, reason: Learner.text(
                "holds no animal-sound questions (\(chinese ? "“狗怎么叫？”" : "“What does the dog say?”")). HINT: regenerate it with scripts/make_instruct_data.py.",
                "里面没有动物叫声的问题（\(chinese ? "“狗怎么叫？”" : "“What does the dog say?”")）。HINT：用 scripts/make_instruct_data.py 重新生成。"))
        }
        let trainer = try PolicyGradientTrainer(policy: try TinyErnie(folder: folder), reference: try TinyErnie(folder: folder),
                                                tokenizer: tokenizer, examples: questions, options: options)
        let before = try trainer.greedyAccuracy()
        var steps: [PolicyGradientStep] = []
        progress(PolicyGradientReport.legend(group: options.group, beta: options.klWeight))
        for _ in 0..<options.steps {
            let s = try trainer.trainStep()
            steps.append(s)
            progress(PolicyGradientReport.line(s))
            try Cancellation.check()
        }
        return PolicyGradientReport(questions: questions.count, steps: steps, greedyBefore: before,
                                    greedyAfter: try trainer.greedyAccuracy(), seconds: Date().timeIntervalSince(started))
    }
}
