// TrainingData — what the tiny ERNIE learns from, as batches of token ids and next-token targets.
//
// Pre-training (the base model): every story of the corpus (a paragraph; its lines joined by "\n") becomes
// <s> story </s>, and all stories are laid end to end in one token stream. A batch is B windows of T + 1 tokens at
// random offsets (seeded): ids = window[0..<T], targets = window[1...T] — every position predicts the next token,
// across story boundaries as GPT-style packing does.
//
// Supervised fine-tuning (the instruct model): every example is one chat in ERNIE's template,
//   <|begin_of_sentence|>User: {question}\nAssistant: {answer}<|end_of_sentence|>
// and only the answer's tokens (and the closing sep token) are targets; the prompt's targets are ignored
// (`ignoreIndex`), so the loss teaches answering, not asking. Examples are padded to the longest one.

import Foundation
import LabCore
import Tokenizers

/// Token ids and next-token targets for B sequences of T tokens, laid end to end (B·T each).
public struct TrainingBatch: Sendable {
    public var ids: [Int]
    /// Next-token targets; `TrainingBatch.ignore` where no loss is taken.
    public var targets: [Int]
    public var batch: Int
    /// Targets that count, the "tokens" of tokens/s.
    public var countedTokens: Int { targets.filter { $0 != Self.ignore }.count }
    /// The target value that the loss skips (PyTorch's ignore_index default).
    public static let ignore = -100
}

/// Something a trainer can draw batches from, reproducibly: the batch of step s depends only on (seed, s).
public protocol BatchSource {
    /// Length T of every sequence of a batch.
    var sequenceLength: Int { get }
    func batch(size: Int, rng: inout SeededRNG) -> TrainingBatch
}

/// The corpus as one stream of token ids: <s> story₁ </s> <s> story₂ </s> …
public struct TokenStream: BatchSource, Sendable {
    public let tokens: [Int]
    public let sequenceLength: Int

    /// Stories of a text file: paragraphs separated by blank lines, lines inside a story joined by "\n".
    public static func stories(of url: URL) throws -> [String] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TinyErnieError.badData(file: url.path, reason: Learner.text(
                "cannot read it as UTF-8 (\(error.localizedDescription)). HINT: run from the project folder, where Lessons/data holds the corpus.",
                "无法按 UTF-8 读取（\(error.localizedDescription)）。HINT：在项目文件夹里运行，语料在 Lessons/data 下。"))
        }
        return text.components(separatedBy: "\n\n")
            .map { $0.trimmingCharacters(in: .newlines) }
            .filter { !$0.isEmpty }
    }

    /// Tokenizes `stories` with `tokenizer` (no BOS of its own), wrapping each in <s> … </s>.
    public init(stories: [String], tokenizer: ErnieTokenizer, sequenceLength: Int) throws {
        guard let bos = tokenizer.bosId, let eos = tokenizer.eosId else {
            throw TinyErnieError.badData(file: tokenizer.source, reason: Learner.text(
                "the tokenizer has no <s>/</s> ids. HINT: write it with TinyErnieTokenizer.write.",
                "分词器没有 <s>/</s> 的 id。HINT：用 TinyErnieTokenizer.write 写出它。"))
        }
        var out: [Int] = []
        for s in stories { out.append(bos); out += tokenizer.encode(s, addBos: false); out.append(eos) }
        try self.init(tokens: out, sequenceLength: sequenceLength)
    }

    public init(tokens: [Int], sequenceLength: Int) throws {
        guard tokens.count > sequenceLength + 1 else {
            throw TinyErnieError.badData(file: "corpus", reason: Learner.text(
                "\(tokens.count) tokens cannot fill one window of \(sequenceLength + 1). HINT: use a shorter --seq.",
                "\(tokens.count) 个词元填不满一个长 \(sequenceLength + 1) 的窗口。HINT：用更短的 --seq。"))
        }
        self.tokens = tokens
        self.sequenceLength = sequenceLength
    }

    public func batch(size: Int, rng: inout SeededRNG) -> TrainingBatch {
        let t = sequenceLength
        var ids: [Int] = [], targets: [Int] = []
        ids.reserveCapacity(size * t); targets.reserveCapacity(size * t)
        for _ in 0..<size {
            let start = rng.nextInt(below: tokens.count - t)
            ids += tokens[start..<(start + t)]
            targets += tokens[(start + 1)...(start + t)]
        }
        return TrainingBatch(ids: ids, targets: targets, batch: size)
    }

    /// Non-overlapping windows covering the stream once (for held-out evaluation), at most `limit` of them.
    public func evaluationBatches(size: Int, limit: Int = .max) -> [TrainingBatch] {
        let t = sequenceLength
        let windows = min(limit, (tokens.count - 1) / t)
        return stride(from: 0, to: windows, by: size).map { first in
            var ids: [Int] = [], targets: [Int] = []
            let n = min(size, windows - first)
            for w in first..<(first + n) {
                ids += tokens[(w * t)..<(w * t + t)]
                targets += tokens[(w * t + 1)...(w * t + t)]
            }
            return TrainingBatch(ids: ids, targets: targets, batch: n)
        }
    }
}

/// A question with its reference answer, for supervised fine-tuning and for the base-vs-instruct comparison.
public struct ChatExample: Codable, Equatable, Sendable {
    public var question: String
    public var answer: String
    public init(question: String, answer: String) { self.question = question; self.answer = answer }

    /// Reads a JSON Lines file of {"question": …, "answer": …} (scripts/make_instruct_data.py writes them).
    public static func load(_ url: URL) throws -> [ChatExample] {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TinyErnieError.badData(file: url.path, reason: Learner.text(
                "cannot read it (\(error.localizedDescription)). HINT: run scripts/make_instruct_data.py.",
                "读不了（\(error.localizedDescription)）。HINT：运行 scripts/make_instruct_data.py。"))
        }
        return try text.split(separator: "\n").enumerated().map { n, line in
            do { return try JSONDecoder().decode(ChatExample.self, from: Data(line.utf8)) } catch {
                throw TinyErnieError.badData(file: url.path, reason: Learner.text(
                    "line \(n + 1) is not {\"question\", \"answer\"} JSON. HINT: regenerate it with scripts/make_instruct_data.py.",
                    "第 \(n + 1) 行不是 {\"question\", \"answer\"} JSON。HINT：用 scripts/make_instruct_data.py 重新生成。"))
            }
        }
    }

    /// (prompt ids, answer ids): the prompt is the chat template up to "Assistant: ", the answer is the reply
    /// followed by the sep token, so prompt + answer is the template's rendering of the whole exchange.
    public func encoded(with tokenizer: ErnieTokenizer) throws -> (prompt: [Int], answer: [Int]) {
        let prompt = try tokenizer.encodeChat([ChatMessage(.user, question)], addGenerationPrompt: true)
        guard let sep = tokenizer.sepId else {
            throw TinyErnieError.badData(file: tokenizer.source, reason: Learner.text(
                "the tokenizer has no sep_token. HINT: write it with TinyErnieTokenizer.write.",
                "分词器没有 sep_token。HINT：用 TinyErnieTokenizer.write 写出它。"))
        }
        return (prompt, tokenizer.encode(answer, addBos: false) + [sep])
    }
}

/// Chat examples as SFT batches: loss on the answer tokens only, padded to the longest example.
public struct ChatBatches: BatchSource, Sendable {
    public let examples: [(prompt: [Int], answer: [Int])]
    public let sequenceLength: Int
    public let padId: Int

    public init(examples: [ChatExample], tokenizer: ErnieTokenizer) throws {
        self.examples = try examples.map { try $0.encoded(with: tokenizer) }
        guard !self.examples.isEmpty else {
            throw TinyErnieError.badData(file: Learner.text("chat data", "对话数据"), reason: Learner.text(
                "no examples. HINT: run scripts/make_instruct_data.py.", "没有样例。HINT：运行 scripts/make_instruct_data.py。"))
        }
        sequenceLength = self.examples.map { $0.prompt.count + $0.answer.count - 1 }.max()!
        padId = tokenizer.padId ?? 0
    }

    /// ids = prompt + answer minus its last token, padded; targets = ignore for the prompt's positions except the
    /// last (which predicts the first answer token), then the answer, then ignore for padding.
    public func example(_ i: Int) -> (ids: [Int], targets: [Int]) {
        let (p, a) = examples[i]
        let full = p + a
        var ids = Array(full.dropLast()), targets = [Int](repeating: TrainingBatch.ignore, count: p.count - 1) + a
        let pad = sequenceLength - ids.count
        ids += [Int](repeating: padId, count: pad)
        targets += [Int](repeating: TrainingBatch.ignore, count: pad)
        return (ids, targets)
    }

    public func batch(size: Int, rng: inout SeededRNG) -> TrainingBatch {
        var ids: [Int] = [], targets: [Int] = []
        for _ in 0..<size {
            let e = example(rng.nextInt(below: examples.count))
            ids += e.ids; targets += e.targets
        }
        return TrainingBatch(ids: ids, targets: targets, batch: size)
    }
}

extension ChatBatches {
    /// log P(answer | prompt) of every example under `model`: Σ over the answer's tokens (sep token included) of
    /// log softmax(logits)[target], each example scored alone (no padding). The base-vs-instruct comparison.
    public func answerLogProbs(_ model: TinyErnie) -> [Double] {
        (0..<examples.count).map { i in
            let (p, a) = examples[i]
            let ids = Array((p + a).dropLast())
            let logits = model.forward(ids, batch: 1).value                          // [T, V]
            let v = logits.shape[1]
            return logits.data.withUnsafeBufferPointer { z in
                var total = 0.0
                for (k, target) in a.enumerated() {
                    let row = p.count - 1 + k
                    let lse = logSumExp(z.baseAddress! + row * v, count: v)             // ln Σ e^z over the row
                    total += Double(z[row * v + target] - lse)
                }
                return total
            }
        }
    }
}
