// PolicyGradient — reinforcement learning on the tiny instruct model (lesson 9): sample answers, score them with a
// checkable reward, raise the probability of the better ones, and stay near the SFT model with a KL penalty.
//
// Each step takes one question x and G answers y₁ … y_G sampled from the policy π at temperature τ:
//   rᵢ   = 1 if yᵢ is the reference answer followed by the end-of-turn token, else 0      checkable reward
//   Aᵢ   = rᵢ − mean(r)                                                                 baseline: the group's mean
//   L_PG = −(1/G) Σᵢ Aᵢ Σₜ log π(yᵢₜ | x, yᵢ<ₜ)                                       REINFORCE (Williams 1992)
//   L_KL = mean over answer positions of KL(π(·|ctx) ‖ π_ref(·|ctx)) = Σᵥ π(v)(log π(v) − log π_ref(v))
//   L    = L_PG + β·L_KL,   ∇L by backpropagation, clip ‖∇‖ to 1, AdamW step (no weight decay)
// The group baseline is GRPO's (Shao et al. 2024, https://arxiv.org/abs/2402.03300) without its ratio clipping:
// answers better than their siblings are pushed up, worse ones down, and a group that is all right or all wrong
// teaches nothing but the KL term. π_ref is the SFT model, frozen; the KL is computed exactly over the vocabulary
// at every answer position, not estimated from the sample.
//
// Sampling runs the autograd model's forward pass on the whole prefix at each new token (no KV cache): at the tiny
// model's size this costs less than the update itself, and it is the same network the update differentiates.

import Autograd
import Foundation
import LabCore
import Tokenizers

/// Settings of one RL run.
public struct PolicyGradientOptions: Equatable, Sendable {
    public var steps = 30
    /// G: answers sampled per question.
    public var group = 8
    public var maxAnswerTokens = 16
    public var learningRate: Float = 3e-4
    /// β of the KL penalty to the reference model.
    public var klWeight: Float = 0.1
    public var temperature: Float = 1
    public var seed: UInt64 = 1
    public init() {}

    /// The settings of `lmlab rl`'s options, checked.
    /// - Throws: `OptionError` naming the first option outside its range.
    public init(steps: Int, group: Int, klWeight: Double, learningRate: Double, seed: UInt64) throws(OptionError) {
        try OptionCheck.range("--steps", steps, 1...500)
        try OptionCheck.range("--group", group, 2...64)
        try OptionCheck.range("--beta", klWeight, 0...100)
        try OptionCheck.positive("--lr", learningRate, maximum: 0.1)
        (self.steps, self.group, self.seed) = (steps, group, seed)
        (self.klWeight, self.learningRate) = (Float(klWeight), Float(learningRate))
    }
}

/// What one step did.
public struct PolicyGradientStep: Equatable, Sendable {
    public let step: Int
    public let question: String
    /// Fraction of the group's answers that earned the reward.
    public let meanReward: Double
    /// Mean KL(π ‖ π_ref) per answer token, in nats, before the update.
    public let kl: Double
    /// The sampled answers (special tokens left out) with their rewards.
    public let answers: [(text: String, reward: Double)]

    public static func == (a: Self, b: Self) -> Bool {
        a.step == b.step && a.question == b.question && a.meanReward == b.meanReward && a.kl == b.kl
            && a.answers.map(\.text) == b.answers.map(\.text) && a.answers.map(\.reward) == b.answers.map(\.reward)
    }
}

public final class PolicyGradientTrainer {
    public let policy: TinyErnie
    public let reference: TinyErnie
    public let tokenizer: ErnieTokenizer
    public let examples: [ChatExample]
    public let options: PolicyGradientOptions
    let optimizer: AdamW
    private var rng: SeededRNG
    private var order: [Int] = []
    public private(set) var step = 0
    let sep: Int, pad: Int

    /// - Parameters:
    ///   - policy: the model to train (its weights change).
    ///   - reference: π_ref, the same model before training (never changed).
    ///   - examples: questions with the exact answer that earns the reward.
    /// - Throws: `TinyErnieError.badData` when there are no examples or the tokenizer has no end-of-turn token.
    public init(policy: TinyErnie, reference: TinyErnie, tokenizer: ErnieTokenizer, examples: [ChatExample],
                options: PolicyGradientOptions) throws {
        guard !examples.isEmpty else {
            throw TinyErnieError.badData(file: Learner.text("rl prompts", "rl 提示词"), reason: Learner.text(
                "no questions to train on. HINT: check Models/tiny-ernie-instruct/data/train.jsonl.",
                "没有可训练的问题。HINT：检查 Models/tiny-ernie-instruct/data/train.jsonl。"))
        }
        guard let sep = tokenizer.sepId else {
            throw TinyErnieError.badData(file: tokenizer.source, reason: Learner.text(
                "the tokenizer has no sep_token (the end of an answer). HINT: use the tiny-ernie-instruct tokenizer.",
                "分词器没有 sep_token（回答的结尾）。HINT：用 tiny-ernie-instruct 的分词器。"))
        }
        TrainingMemory.keepFreedPages
        self.policy = policy; self.reference = reference; self.tokenizer = tokenizer
        self.examples = examples; self.options = options
        self.sep = sep; self.pad = tokenizer.padId ?? 0
        optimizer = AdamW(policy.parameterList, learningRate: options.learningRate, betas: (0.9, 0.95), eps: 1e-8, weightDecay: 0)
        rng = SeededRNG(seed: options.seed)
    }

    /// Samples `options.group` answers to `prompt` from the policy. Returns each answer's tokens (ending with the
    /// end-of-turn token when the model closed its turn within `maxAnswerTokens`).
    func sampleAnswers(prompt: [Int]) -> [[Int]] {
        let g = options.group
        var sequences = [[Int]](repeating: prompt, count: g)
        var answers = [[Int]](repeating: [], count: g)
        var open = Set(0..<g)
        for _ in 0..<options.maxAnswerTokens where !open.isEmpty {
            let t = sequences[0].count
            let logits = policy.forward(sequences.flatMap { $0 }, batch: g).value          // [G·T, V]
            let v = logits.shape[1]
            var row = [Float](repeating: 0, count: v)
            for i in 0..<g {
                guard open.contains(i) else { sequences[i].append(pad); continue }
                row.withUnsafeMutableBufferPointer { r in
                    logits.data.withUnsafeBufferPointer { z in r.baseAddress!.update(from: z.baseAddress! + (i * t + t - 1) * v, count: v) }
                    softmaxInPlace(r.baseAddress!, count: v, scale: 1 / options.temperature)    // π(·|x, y<t)^(1/τ)
                }
                let token = rng.nextCategorical(row)
                sequences[i].append(token); answers[i].append(token)
                if token == sep { open.remove(i) }
            }
        }
        return answers
    }

    /// 1 when `answer` is exactly the reference answer and then the end-of-turn token.
    public func reward(_ answer: [Int], reference: String) -> Double {
        answer.last == sep && tokenizer.decode(Array(answer.dropLast()), skipSpecialTokens: true)
            .trimmingCharacters(in: .whitespaces) == reference ? 1 : 0
    }

    /// One RL step on the next question (questions are visited in a seeded shuffled order, each once per round).
    @discardableResult
    public func trainStep() throws -> PolicyGradientStep {
        if order.isEmpty { order = Array(examples.indices); rng.shuffle(&order) }
        let example = examples[order.removeLast()]
        let prompt = try tokenizer.encodeChat([ChatMessage(.user, example.question)], addGenerationPrompt: true)
        let answers = sampleAnswers(prompt: prompt)
        let rewards = answers.map { reward($0, reference: example.answer) }
        let baseline = rewards.reduce(0, +) / Double(rewards.count)

        // Teacher-forced batch over prompt + answer: row P−1+k predicts answer token k.
        let g = answers.count, p = prompt.count
        let t = p + (answers.map(\.count).max() ?? 1) - 1
        var ids: [Int] = [], targets: [(row: Int, token: Int, advantage: Float)] = []
        for (i, a) in answers.enumerated() {
            let full = Array((prompt + a).prefix(t))
            ids += full + [Int](repeating: pad, count: t - full.count)
            for (k, token) in a.enumerated() { targets.append((i * t + p - 1 + k, token, Float(rewards[i] - baseline))) }
        }
        let v = policy.config.vocabSize, n = g * t
        let refLogP = logSoftmax(reference.forward(ids, batch: g)).value                    // [G·T, V], constant
        var pick = [Float](repeating: 0, count: n * v)       // −Aᵢ/G at (row, token): Σ pick ⊙ log π = L_PG
        var rows = [Float](repeating: 0, count: n * v)       // 1/#answer tokens on answer rows: the KL's mean
        for (row, token, advantage) in targets {
            pick[row * v + token] = -advantage / Float(g)
            for j in 0..<v { rows[row * v + j] = 1 / Float(targets.count) }
        }
        optimizer.zeroGrad()
        let kl: Double = {
            let logP = logSoftmax(policy.forward(ids, batch: g))                              // [G·T, V]
            let pg = sum(logP * Variable.constant(Tensor(shape: [n, v], data: pick)))
            let klTerm = sum(exp(logP) * (logP - Variable.constant(refLogP)) * Variable.constant(Tensor(shape: [n, v], data: rows)))
            let loss = pg + klTerm * options.klWeight
            loss.backward()
            return Double(klTerm.value.scalar)
        }()
        clipGradNorm(optimizer.parameters, maxNorm: 1)
        optimizer.step()
        step += 1
        let shown = answers.enumerated().map { i, a in
            (text: tokenizer.decode(a, skipSpecialTokens: true).trimmingCharacters(in: .whitespaces), reward: rewards[i])
        }
        return PolicyGradientStep(step: step, question: example.question, meanReward: baseline, kl: kl, answers: shown)
    }

    /// The fraction of `examples` whose greedy answer earns the reward (temperature 0, no update).
    public func greedyAccuracy() throws -> Double {
        var right = 0
        for e in examples {
            var sequence = try tokenizer.encodeChat([ChatMessage(.user, e.question)], addGenerationPrompt: true)
            var answer: [Int] = []
            for _ in 0..<options.maxAnswerTokens {
                let logits = policy.forward(sequence, batch: 1).value                          // [T, V]
                let v = logits.shape[1], last = (sequence.count - 1) * v
                let token = logits.data.withUnsafeBufferPointer { z in argmax(z.baseAddress! + last, count: v) }
                sequence.append(token); answer.append(token)
                if token == sep { break }
            }
            right += reward(answer, reference: e.answer) == 1 ? 1 : 0
        }
        return Double(right) / Double(examples.count)
    }
}
