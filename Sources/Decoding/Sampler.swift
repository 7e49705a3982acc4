// Sampler — greedy decoding and seeded sampling, one token at a time, with a step event the UI can stream.
//
// Each step:  z = log P(· | context) from the model  →  z′ = chain(z)  →  p = softmax(z′)  →
//             greedy: argmax_i z′_i         sample: i ~ Categorical(p) drawn with SeededRNG
// and the chosen token is appended to the context. The run stops after `maxNewTokens` or right after an end
// token (which is kept, as transformers keeps it). The RNG is injected and seeded, so a seed reproduces a run on
// every machine (SeededRNG is xoshiro256**, `nextCategorical` is one uniform draw and a linear scan).
// Ctrl-C is checked between two tokens (`Cancellation.check`, before the next model call): the run throws
// `CancellationRequested`, and the tokens so far are the ones `onStep` has already seen.

import LabCore

/// How the next token is chosen from the processed distribution.
public enum TokenChoice: Sendable, Equatable {
    /// The most likely token (the first id on ties).
    case greedy
    /// A draw from softmax(z′) with a SeededRNG made from this seed.
    case sample(seed: UInt64)
}

extension TokenChoice {
    /// The token this choice takes from an already processed distribution — the one decode step that generate,
    /// `lmlab sample` and the sampling explorer share.
    /// - Parameter rng: used only by `.sample` (one `nextCategorical` draw over p_processed).
    public func pick(from next: NextTokenDistribution, rng: inout SeededRNG) -> Int {
        switch self {
        case .greedy: return argmax(next.processedScores)
        case .sample: return rng.nextCategorical(next.processed)
        }
    }
}

/// What one step decided, for streaming (`onStep`) and for the final transcript.
public struct StepEvent: Sendable {
    /// 0 for the first new token.
    public let step: Int
    public let token: Int
    /// log P(token | context) under the model, before any processing.
    public let modelLogProb: Float
    /// P(token) in the distribution it was chosen from (after processing).
    public let processedProb: Float
    /// How many tokens the processors left with non-zero probability.
    public let candidates: Int
    /// True when `token` is an end token and the run stops here.
    public let isEnd: Bool
}

/// Greedy decoding or seeded sampling over any LanguageModel.
public struct Sampler: Sendable {
    public let processors: ProcessorChain
    public let choice: TokenChoice

    public init(processors: ProcessorChain = ProcessorChain([]), choice: TokenChoice) {
        self.processors = processors
        self.choice = choice
    }

    /// One choice: the processed distribution of `scores` and the token picked from it.
    /// - Parameter rng: used only by `.sample` (one `nextCategorical` draw).
    public func choose(_ scores: [Float], history: [Int], rng: inout SeededRNG) -> (Int, NextTokenDistribution) {
        let next = processors.distributions(scores, history: history)
        return (choice.pick(from: next, rng: &rng), next)
    }

    /// Continues `prompt` by up to `maxNewTokens` tokens.
    /// - Parameters:
    ///   - endTokens: ids that stop the run (nil: the model's `endTokens`; pass [] to never stop early).
    ///   - onStep: called after every token, before the next model call (stream it to the screen).
    /// - Returns: the new ids, the end token included when one was produced.
    /// - Throws: the model's errors; `DecodingError` for an empty prompt; `CancellationRequested` at Ctrl-C.
    public func generate<M: LanguageModel>(_ model: M, prompt: [Int], maxNewTokens: Int, endTokens: Set<Int>? = nil,
                                           onStep: (StepEvent) throws -> Void = { _ in }) throws -> [Int] {
        var rng = SeededRNG(seed: { if case .sample(let s) = choice { return s } else { return 0 } }())
        return try generate(model, prompt: prompt, maxNewTokens: maxNewTokens, endTokens: endTokens, rng: &rng,
                            onStep: onStep)
    }

    /// As `generate(_:prompt:maxNewTokens:endTokens:onStep:)`, drawing from `rng`, so several runs in a row (the
    /// n-gram lesson writes N sentences from one seed) continue one random stream. The run also stops, before
    /// drawing, when the processors leave no token that can be chosen.
    public func generate<M: LanguageModel>(_ model: M, prompt: [Int], maxNewTokens: Int, endTokens: Set<Int>? = nil,
                                           rng: inout SeededRNG,
                                           onStep: (StepEvent) throws -> Void = { _ in }) throws -> [Int] {
        guard !prompt.isEmpty else {
            throw DecodingError("generate: empty prompt. HINT: pass at least one id (e.g. the model's start token)")
        }
        let ends = endTokens ?? model.endTokens
        var state = try model.makeState()
        // 1. Read the prompt: the log-probs of the first new token [V].
        var logProbs = try model.append(prompt, to: &state)
        var history = prompt
        var out: [Int] = []
        for step in 0..<maxNewTokens {
            // 2. Process the scores and choose a token (none when every token was removed).
            let next = processors.distributions(logProbs, history: history)
            guard next.processedScores.contains(where: { $0 > -.infinity }) else { break }
            let token = choice.pick(from: next, rng: &rng)
            // 3. Report it, then stop on an end token or feed it back.
            let isEnd = ends.contains(token)
            try onStep(StepEvent(step: step, token: token, modelLogProb: logProbs[token],
                                 processedProb: next.processed[token],
                                 candidates: next.processed.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }, isEnd: isEnd))
            out.append(token)
            history.append(token)
            if isEnd || step == maxNewTokens - 1 { break }
            try Cancellation.check()                         // Ctrl-C: stop between two tokens, never inside a call
            logProbs = try model.append([token], to: &state)
        }
        return out
    }
}

extension Sampler {
    /// A sentence after `prompt`, as a model trained on sentences writes it: the model's start token (an n-gram's
    /// <s>) goes first, the run stops at an end token or after `maxTokens` tokens, and the end token is not returned.
    /// - Parameter rng: drawn from and advanced, so sentence after sentence continues one seeded stream.
    /// - Returns: the new ids (neither `prompt` nor the end token).
    /// - Throws: the model's errors; `DecodingError` when the model has no start token and `prompt` is empty.
    public func sentence<M: LanguageModel>(_ model: M, prompt: [Int], maxTokens: Int,
                                           rng: inout SeededRNG) throws -> [Int] {
        let ends = model.endTokens
        var new = try generate(model, prompt: (model.startToken.map { [$0] } ?? []) + prompt,
                               maxNewTokens: maxTokens, endTokens: ends, rng: &rng)
        if let last = new.last, ends.contains(last) { new.removeLast() }
        return new
    }
}
