// ServeEngine — one model answering completion requests one at a time (queued, not batched): a request waits for
// the one before it, then runs alone on all cores, so every answer is exactly what the lab computes alone.
//
// One choice of a request:
//   1. read the prompt: one prefill; with `echo`, all its rows (row i−1 predicts prompt token i, the prob ledger)
//   2. decode with the lab's Sampler — greedy at temperature 0 (the lab's greedy exactly), else seeded sampling
//      through temperature → top-k → top-p → min-p
//   3. after each token: its log-prob under the model (raw, before processing), the top N alternatives, the text
//      it adds, and the stop strings; the choice ends on an end token, a stop string or max_tokens.

import Decoding
import ERNIE
import Foundation
import LabCore
import Tokenizers

/// What a request asks of the decoder, validated (`CompletionParameters` reads it from JSON).
public struct GenerationSettings: Sendable, Equatable {
    public var maxTokens = 16
    /// 0 = greedy.
    public var temperature: Float = 1
    public var topP: Float?
    public var topK: Int?
    public var minP: Float?
    public var seed: UInt64?
    public var stop: [String] = []
    /// Alternatives listed per position; nil = no log-probs.
    public var logprobs: Int?
    public var echo = false
    public init() {}
}

/// One token of an answer with its log-prob and alternatives (raw model log-probs, natural log).
public struct ServedToken: Sendable, Equatable {
    public var id: Int
    /// Nil for the first prompt token: nothing predicts it.
    public var logprob: Float?
    public var top: [(id: Int, logprob: Float)]
    public static func == (a: ServedToken, b: ServedToken) -> Bool {
        a.id == b.id && a.logprob == b.logprob && a.top.map(\.id) == b.top.map(\.id) && a.top.map(\.logprob) == b.top.map(\.logprob)
    }
}

/// One finished choice.
public struct ServedChoice: Sendable {
    public var promptTokens: [ServedToken]
    public var tokens: [ServedToken]
    public var text: String
    /// "stop" (end token or stop string) or "length".
    public var finishReason: String
}

public final class ServeEngine: @unchecked Sendable {
    public let model: ErnieModel
    public let tokenizer: ErnieTokenizer
    /// The name clients send as `model` and /v1/models lists.
    public let modelName: String
    /// Positions the model can attend to (config.json max_position_embeddings).
    public var contextLength: Int { model.config.maxPositionEmbeddings }
    /// Token ids the model accepts (config.json vocab_size).
    public var vocabularySize: Int { model.config.vocabSize }
    /// The largest `logprobs` N (vLLM's default max_logprobs).
    public static let maxLogprobs = 20
    /// Every request runs here, one after the other.
    private let queue = DispatchQueue(label: "lmlab.serve.engine")

    public init(model: ErnieModel, tokenizer: ErnieTokenizer, modelName: String) {
        self.model = model; self.tokenizer = tokenizer; self.modelName = modelName
    }

    /// Runs `work` on the engine's queue, after the requests before it.
    func serialized<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// The text of one token shown alone (logprobs `tokens`, `top_logprobs` keys): its bytes, with any byte that is
    /// not a whole character dropped, and "" for special tokens.
    public func tokenText(_ id: Int) -> String {
        if tokenizer.isSpecial(id) || id >= tokenizer.count { return "" }
        return TokenText.ignoringInvalid(TokenText.bytes(ofPiece: tokenizer.piece(id)))
    }

    /// The text of generated ids (special tokens left out, as servers do).
    public func text(_ ids: [Int]) -> String { tokenizer.decode(ids, skipSpecialTokens: true) }

    /// The prompt ids, checked against the vocabulary and the context.
    /// - Throws: `ServeError` 400 (empty prompt, unknown id, no room to generate) or 413 (longer than the context).
    public func checkPrompt(_ ids: [Int], maxTokens: Int) throws {
        guard !ids.isEmpty else {
            throw ServeError.field("prompt", "is empty", hint: "send at least one token (text, or a list of ids).")
        }
        if let bad = ids.first(where: { $0 < 0 || $0 >= vocabularySize }) {
            throw ServeError.field("prompt", "holds the id \(bad), outside the vocabulary 0…\(vocabularySize - 1)",
                                   hint: "send ids of \(modelName)'s tokenizer.")
        }
        if ids.count >= contextLength {
            throw ServeError(status: 413, "The prompt has \(ids.count) tokens; \(modelName) reads at most \(contextLength) "
                             + "(max_position_embeddings). HINT: shorten the prompt.", param: "prompt")
        }
        if ids.count + maxTokens > contextLength {
            throw ServeError(status: 400, "This model's maximum context length is \(contextLength) tokens; the prompt has "
                             + "\(ids.count) and max_tokens asks for \(maxTokens) more. HINT: lower max_tokens to at most "
                             + "\(contextLength - ids.count).", param: "max_tokens")
        }
    }

    /// Generates one choice, calling `onToken` with each new token and the text it adds (for streaming). Runs on
    /// the calling thread: call it inside `serialized`.
    /// - Parameter index: the choice's index; a sampled choice i draws from seed + i.
    /// - Throws: the model's errors, `ServeError` for bad settings, and whatever `onToken` throws (a client gone).
    /// - Parameter onPrompt: with `echo`, called once with the prompt's tokens before the first new token.
    public func generate(prompt: [Int], settings s: GenerationSettings, index: Int = 0,
                         onPrompt: ([ServedToken]) throws -> Void = { _ in },
                         onToken: (ServedToken, String) throws -> Void = { _, _ in }) throws -> ServedChoice {
        let choice: TokenChoice = s.temperature == 0 ? .greedy : .sample(seed: (s.seed ?? UInt64.random(in: 0...UInt64.max)) &+ UInt64(index))
        let processors: ProcessorChain
        do {
            processors = s.temperature == 0 ? ProcessorChain([])
                : try ProcessorChain(temperature: s.temperature, topK: s.topK, topP: s.topP, minP: s.minP)
        } catch let e as DecodingError {
            throw ServeError(status: 400, "\(e.description)", param: "temperature")
        }
        let recorder = RowRecorder(model, keepPromptRows: s.echo)
        var tokens: [ServedToken] = []
        var ids: [Int] = []
        var shown = ""                 // text already handed to onToken
        var finish = "length"
        var stoppedText: String?       // the text cut before a stop string
        let n = s.logprobs ?? 0
        struct Stopped: Error {}
        var promptTokens: [ServedToken] = []
        func readPrompt() throws {
            guard s.echo, promptTokens.isEmpty else { return }
            promptTokens = prompt.enumerated().map { i, id in
                i == 0 ? ServedToken(id: id, logprob: nil, top: [])
                    : ServedToken(id: id, logprob: recorder.promptRows[i - 1][id], top: Self.top(recorder.promptRows[i - 1], n))
            }
            try onPrompt(promptTokens)
        }
        do {
            _ = try Sampler(processors: processors, choice: choice).generate(recorder, prompt: prompt, maxNewTokens: s.maxTokens) { step in
                try readPrompt()
                let token = ServedToken(id: step.token, logprob: step.modelLogProb, top: Self.top(recorder.lastRow, n))
                ids.append(step.token)
                var full = text(ids)
                var stopped = false
                if let cut = s.stop.compactMap({ full.range(of: $0)?.lowerBound }).min() {
                    full = String(full[..<cut]); stopped = true
                }
                // Hold back a character still being spelled out in byte pieces (it decodes to U+FFFD for now).
                let settled = stopped || !full.hasSuffix("\u{FFFD}")
                let delta = settled && full.hasPrefix(shown) ? String(full.dropFirst(shown.count)) : ""
                if settled { shown = full }
                tokens.append(token)
                try onToken(token, delta)
                if step.isEnd { finish = "stop" }
                if stopped { finish = "stop"; stoppedText = full; throw Stopped() }
            }
        } catch is Stopped {}
        try readPrompt()               // max_tokens 0: the prompt alone
        // The whole text; it may end in a character whose bytes never completed, which streaming held back.
        return ServedChoice(promptTokens: promptTokens, tokens: tokens, text: stoppedText ?? text(ids), finishReason: finish)
    }

    /// The `n` most likely ids of a row with their log-probs.
    static func top(_ row: [Float], _ n: Int) -> [(id: Int, logprob: Float)] {
        guard n > 0 else { return [] }
        return row.withUnsafeBufferPointer { topK($0.baseAddress!, count: $0.count, k: n) }.map { ($0, row[$0]) }
    }
}

/// The model as the Sampler sees it, remembering the rows it hands out: the last one (the distribution the next
/// token is chosen from) and, with `keepPromptRows`, every row of the prompt's prefill.
final class RowRecorder: LanguageModel {
    let base: ErnieModel
    let keepPromptRows: Bool
    private(set) var lastRow: [Float] = []
    private(set) var promptRows: [[Float]] = []

    init(_ base: ErnieModel, keepPromptRows: Bool) { self.base = base; self.keepPromptRows = keepPromptRows }

    var name: String { base.name }
    var vocabulary: any Vocabulary { base.vocabulary }
    var startToken: Int? { base.startToken }
    var endTokens: Set<Int> { base.endTokens }
    func makeState() throws -> KVCache { try base.makeState() }

    func append(_ tokens: [Int], to state: inout KVCache) throws -> [Float] {
        if keepPromptRows && promptRows.isEmpty {
            promptRows = try base.scoreAll(tokens, from: &state)
            lastRow = promptRows.last ?? []
        } else {
            lastRow = try base.append(tokens, to: &state)
        }
        return lastRow
    }
}
