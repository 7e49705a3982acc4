// `lmlab classify`: a task turned into text generation (lesson 2). Every label is scored as a continuation of the
// prompt, log P(label | prompt) = Σ log P(label token | prompt, earlier label tokens), and the labels are compared.
//
// No classifier is trained: the language model already knows which continuation is likely. Two normalisations are
// shown because they can disagree: the total (favours short labels, which have fewer factors below one) and the mean
// per token. The shares are softmax over the totals — P(label | prompt, "the answer is one of these labels").
import ArgumentParser
import ERNIE
import Foundation
import LabCore
import TerminalUI
import Tokenizers

struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify by generation: compare log P(label | prompt) for each label.",
        discussion: """
        Each label is tokenized as the continuation of the prompt (prompt + label, so the word boundary is the \
        model's own) and its tokens are scored after the prompt. --chat puts the prompt in the chat template as a \
        user turn and scores each label as the start of the assistant's answer.

        Examples:
          lmlab classify "The dog says" --labels " woof, meow, quack" \\
              --model tiny-ernie
          lmlab classify "What is the capital of France?" \\
              --labels "Paris,London,Cairo" --chat --model tiny-ernie-instruct
        """)

    @Argument(help: "The prompt the labels continue.")
    var prompt: String

    @Option(name: .long, help: "Comma-separated labels, each scored as a continuation (keep a leading space if the label follows a word).")
    var labels: String

    @Option(name: .long, help: "A model folder or a model name (see `lmlab models`).")
    var model: String

    @Flag(name: .long, help: "Put the prompt in the chat template as a user message.")
    var chat = false

    @Flag(name: .long, help: "Print JSON instead of the table.")
    var json = false

    func validate() throws {
        if labelList.count < 2 { throw ValidationError("--labels \(labels): give at least two comma-separated labels, like \"yes,no\"") }
    }

    var labelList: [String] {
        labels.split(separator: ",", omittingEmptySubsequences: true).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
    }

    struct Row: Codable, Equatable {
        let label: String
        let ids: [Int]
        let totalLogProb: Double
        let meanLogProb: Double
        let share: Double
    }

    func run() throws {
        let (rows, tokenizer) = try scores()
        if json {
            print(try jsonString(rows))
        } else {
            print(Self.render(rows, tokenizer: tokenizer))
        }
    }

    /// Every label's row, in the order given, and the tokenizer used.
    func scores() throws -> ([Row], ErnieTokenizer) {
        let loaded = try ProbCommand.load(model)
        let (scored, tokenizer) = try Self.continuations(labelList, after: prompt, chat: chat, with: loaded, name: model)
        let shares = LabCore.softmax(scored.map(\.logProb))
        let rows = zip(labelList, zip(scored, shares)).map { label, s in
            Row(label: label, ids: s.0.ids, totalLogProb: s.0.logProb, meanLogProb: s.0.logProb / Double(max(s.0.ids.count, 1)), share: s.1)
        }
        return (rows, tokenizer)
    }

    /// log P(continuation | prompt) for each continuation, under one model: the continuation's ids (see
    /// `continuationIds`) and the sum of their log-probabilities after the prompt (<s> + text, or the chat template).
    static func continuations(_ texts: [String], after prompt: String, chat: Bool, with loaded: ProbCommand.Loaded,
                              name: String) throws -> ([(ids: [Int], logProb: Double)], ErnieTokenizer) {
        let tokenizer = try loaded.requireTokenizer(name)
        let context = try promptIds(prompt, chat: chat, tokenizer: tokenizer, name: name)
        var out: [(ids: [Int], logProb: Double)] = []
        for text in texts {
            let ids = try continuationIds(text, after: prompt, context: context, tokenizer: tokenizer, chat: chat)
            let score = try SentenceScore.score(context + ids, with: loaded.model, pieces: loaded.model.vocabulary.piece)
            out.append((ids, score.entries.suffix(ids.count).compactMap(\.logProb).map(Double.init).reduce(0, +)))
            try Cancellation.check()
        }
        return (out, tokenizer)
    }

    /// The prompt's ids: <s> + text, or the chat template up to the assistant's turn.
    static func promptIds(_ prompt: String, chat: Bool, tokenizer: ErnieTokenizer, name: String) throws -> [Int] {
        if chat { return try tokenizer.encodeChat([ChatMessage(.user, prompt)], addGenerationPrompt: true) }
        guard let bos = tokenizer.bosId else {
            throw ProbCommand.ProbError("\(name): the tokenizer defines no bos_token. HINT: use a model whose tokenizer_config.json names bos_token.")
        }
        return [bos] + tokenizer.encode(prompt, addBos: false)
    }

    /// The label's ids as the model would write them after the prompt: the tail of encode(prompt + label) when that
    /// encoding starts with encode(prompt); otherwise (a merge across the boundary) the label encoded on its own.
    static func continuationIds(_ label: String, after prompt: String, context: [Int], tokenizer: ErnieTokenizer, chat: Bool) throws -> [Int] {
        if !chat {
            let alone = tokenizer.encode(prompt, addBos: false)
            let joined = tokenizer.encode(prompt + label, addBos: false)
            if joined.count > alone.count, Array(joined.prefix(alone.count)) == alone { return Array(joined.dropFirst(alone.count)) }
        }
        let ids = tokenizer.encode(label, addBos: false)
        if ids.isEmpty { throw ProbCommand.ProbError("--labels: '\(label)' encodes to no tokens. HINT: give non-empty labels.") }
        return ids
    }

    static func render(_ rows: [Row], tokenizer: ErnieTokenizer) -> String {
        let best = rows.max { $0.totalLogProb < $1.totalLogProb }?.label
        let labelWidth = min(24, max(5, rows.map { DisplayWidth.of(quoted($0.label)) }.max() ?? 5)) + 2
        func pad(_ s: String, _ n: Int) -> String { DisplayWidth.pad(s, toCells: n) }
        var lines = [pad("label", labelWidth) + pad("tokens", 8) + pad("log P", 10) + pad("mean", 9) + "share"]
        for r in rows {
            let bar = String(repeating: "█", count: Int((r.share * 30).rounded()))
            lines.append(pad(quoted(r.label), labelWidth) + pad(String(r.ids.count), 8)
                         + pad(String(format: "%.3f", r.totalLogProb), 10) + pad(String(format: "%.3f", r.meanLogProb), 9)
                         + String(format: "%5.1f%% ", r.share * 100) + bar)
        }
        if let best { lines.append("most likely continuation: \(quoted(best))") }
        return lines.joined(separator: "\n")
    }

    static func quoted(_ s: String) -> String { "\"\(s)\"" }
}
