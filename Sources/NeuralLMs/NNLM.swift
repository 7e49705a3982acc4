// NNLM — Bengio, Ducharme, Vincent & Jauvin (2003), "A Neural Probabilistic Language Model",
// https://www.jmlr.org/papers/v3/bengio03a.html. Lesson 5: the first model in which words are vectors, so a context
// never seen as a whole still gets a sensible probability (the n-gram MLE model gives it 0).
//
// Legend: B contexts in a batch, N = n−1 context words, m embedding size, Hd hidden units, V vocabulary.
//
//   x = [C(w_{t−N}); …; C(w_{t−1})]                 the N context words' embeddings, concatenated   [B, N·m]
//   a = tanh(d + H·x)                               hidden layer                                    [B, Hd]
//   y = b + W·x + U·a                               W·x: the optional "direct connections"          [B, V]
//   P(w_t = i | context) = softmax(y)ᵢ
//
// The vocabulary, <unk> and the padding are the n-gram model's (ClassicLMs/NGramModel.swift): the context is the last
// N tokens left-padded with <s>, and each sentence also predicts its </s>, so held-out perplexities compare one to one.

import Foundation
import LabCore
import Autograd
import Tokenizers

/// Sizes of an NNLM (stored in checkpoints as JSON).
public struct NNLMConfig: Codable, Sendable, Equatable {
    /// N = n − 1: how many previous words the model sees.
    public var contextSize: Int
    /// m: size of a word vector.
    public var embeddingSize: Int
    /// Hd: hidden units.
    public var hiddenSize: Int
    /// Bengio's optional direct connections W from the word vectors to the output.
    public var directConnections: Bool

    public init(contextSize: Int = 4, embeddingSize: Int = 48, hiddenSize: Int = 192, directConnections: Bool = true) {
        self.contextSize = contextSize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.directConnections = directConnections
    }
}

/// Bengio's neural n-gram language model.
public final class NNLM: LanguageModel {
    /// The last N tokens seen (shorter at the start: the missing ones read as <s>).
    public typealias State = [Int]

    public let config: NNLMConfig
    public let tokens: TokenVocabulary
    /// C: `embedding.weight` [V, m].
    public let embedding: Variable
    /// H, d: `hidden.weight` [Hd, N·m], `hidden.bias` [Hd].
    public let hiddenWeight: Variable, hiddenBias: Variable
    /// U, b: `output.weight` [V, Hd], `output.bias` [V].
    public let outputWeight: Variable, outputBias: Variable
    /// W: `direct.weight` [V, N·m] (nil without direct connections).
    public let directWeight: Variable?

    public var name: String { "NNLM (n = \(config.contextSize + 1))" }
    public var vocabulary: any Vocabulary { tokens }
    public var startToken: Int? { tokens.beginId }
    public var endTokens: Set<Int> { [tokens.endId] }

    /// A freshly initialised model: embeddings N(0, 0.1²), weights U(−1/√fan_in, 1/√fan_in) as PyTorch's nn.Linear.
    public init(config: NNLMConfig, vocabulary: TokenVocabulary, seed: UInt64 = 1) {
        self.config = config
        self.tokens = vocabulary
        var rng = SeededRNG(seed: seed)
        let (v, n, m, h) = (vocabulary.count, config.contextSize, config.embeddingSize, config.hiddenSize)
        func uniform(_ shape: [Int], fanIn: Int) -> Variable {
            let a = Float(1 / Double(fanIn).squareRoot())
            return .parameter(Tensor.uniform(shape, low: -a, high: a, rng: &rng))
        }
        embedding = .parameter(Tensor.randn([v, m], std: 0.1, rng: &rng))
        hiddenWeight = uniform([h, n * m], fanIn: n * m)
        hiddenBias = uniform([h], fanIn: n * m)
        outputWeight = uniform([v, h], fanIn: h)
        outputBias = .parameter(Tensor.zeros([v]))
        directWeight = config.directConnections ? uniform([v, n * m], fanIn: n * m) : nil
    }

    /// Every trainable tensor with its checkpoint name.
    public var namedParameters: [(String, Variable)] {
        var p: [(String, Variable)] = [("embedding.weight", embedding), ("hidden.weight", hiddenWeight),
                                       ("hidden.bias", hiddenBias), ("output.weight", outputWeight),
                                       ("output.bias", outputBias)]
        if let directWeight { p.append(("direct.weight", directWeight)) }
        return p
    }

    /// y: next-word logits for B contexts of exactly N ids each.  → [B, V]
    public func logits(contexts: [[Int]]) -> Variable {
        let (n, m) = (config.contextSize, config.embeddingSize)
        precondition(contexts.allSatisfy { $0.count == n }, "NNLM.logits: every context needs \(n) ids")
        let x = reshape(Autograd.embedding(embedding, ids: contexts.flatMap { $0 }), [contexts.count, n * m])   // [B, N·m]
        let a = tanh(linear(x, weight: hiddenWeight, bias: hiddenBias))                                 // [B, Hd]
        var y = linear(a, weight: outputWeight, bias: outputBias)                                       // [B, V]
        if let directWeight { y = y + linear(x, weight: directWeight) }                                 // + W·x
        return y
    }

    /// The last N tokens of `history`, left-padded with <s> (as the n-gram model pads).
    public func context(_ history: [Int]) -> [Int] {
        let tail = Array(history.suffix(config.contextSize))
        return Array(repeating: tokens.beginId, count: config.contextSize - tail.count) + tail
    }

    // MARK: - LanguageModel

    public func makeState() throws -> [Int] { [] }

    public func append(_ newTokens: [Int], to state: inout [Int]) throws -> [Float] {
        state = Array((state + newTokens).suffix(config.contextSize))
        return logSoftmax(logits(contexts: [context(state)])).value.data
    }

    // MARK: - Data and evaluation

    /// Every (context, next word) pair of `sentences`, </s> included: the events the n-gram model also predicts.
    public func examples(_ sentences: [[Int]]) -> [(context: [Int], target: Int)] {
        var out: [(context: [Int], target: Int)] = []
        for s in sentences {
            var history: [Int] = []
            for w in s + [tokens.endId] {
                out.append((context(history), w))
                history.append(w)
            }
        }
        return out
    }

    /// Held-out perplexity exp(−(1/N) Σ ln P(w | context)) over `sentences` (ids, no padding), in batches.
    public func perplexity(_ sentences: [[Int]], batchSize: Int = 1024) -> (perplexity: Double, tokens: Int) {
        let ex = examples(sentences)
        var sum = 0.0
        for start in stride(from: 0, to: ex.count, by: batchSize) {
            let part = ex[start..<min(start + batchSize, ex.count)]
            let lp = logSoftmax(logits(contexts: part.map(\.context))).value   // [B, V]
            let v = tokens.count
            for (i, e) in part.enumerated() { sum += Double(lp.data[i * v + e.target]) }
        }
        return (Foundation.exp(-sum / Double(max(ex.count, 1))), ex.count)
    }

    // MARK: - Training

    /// What `train` does unless told otherwise: batches of 256 (context, word) pairs, clipping at norm 5.
    public static let defaultTraining = NeuralTrainingSettings(steps: 3000, batchSize: 256, learningRate: 3e-3, clip: 5)

    /// Trains on `sentences` (ids) with minibatches of shuffled (context, word) pairs, mean cross-entropy, AdamW,
    /// gradient clipping at norm `options.clip` and a linear learning-rate decay to 10 % of the start. Resumes after
    /// `optimizer.stepCount` steps when the optimizer comes from a checkpoint; Ctrl-C ends early (see `TrainingOutcome`).
    public func train(on sentences: [[Int]], options: NeuralTrainingSettings, optimizer: AdamW,
                      progress: (TrainingMeter) -> Void = { _ in },
                      checkCancel: () throws -> Void = { try Cancellation.check() }) throws -> TrainingOutcome {
        let ex = examples(sentences)
        let perEpoch = max(ex.count / options.batchSize, 1)
        var order: [Int] = []
        var epoch = -1
        return try runTrainingLoop(totalSteps: options.steps, startStep: optimizer.stepCount, progress: progress,
                                   checkCancel: checkCancel) { step in
            // Epoch e visits the pairs in the order of a shuffle seeded by (seed, e): a resumed run sees exactly the
            // batches the uninterrupted run would have seen.
            let (e, k) = ((step - 1) / perEpoch, (step - 1) % perEpoch)
            if e != epoch {
                order = Array(ex.indices)
                var rng = SeededRNG(seed: options.seed &+ UInt64(e) &* 0x9E37_79B9)
                rng.shuffle(&order)
                epoch = e
            }
            let batch = order[(k * options.batchSize)..<min((k + 1) * options.batchSize, order.count)].map { ex[$0] }
            optimizer.learningRate = options.learningRate * (1 - 0.9 * Float(step - 1) / Float(max(options.steps, 1)))
            optimizer.zeroGrad()
            let loss = crossEntropy(logits(contexts: batch.map(\.context)), targets: batch.map(\.target))
            loss.backward()
            _ = clipGradNorm(optimizer.parameters, maxNorm: options.clip)
            optimizer.step()
            return (loss.value.scalar, batch.count)
        }
    }

    // MARK: - Checkpoints

    /// A checkpoint of this model (and of `optimizer`, to resume); `corpus` names the training text in the metadata.
    public func checkpoint(optimizer: AdamW?, corpus: String? = nil) throws -> NeuralCheckpoint {
        var metadata = ["config": try jsonText(config), "vocabulary": try jsonText(tokens.tokens)]
        if let corpus { metadata["corpus"] = corpus }
        return NeuralCheckpoint(kind: "nnlm", metadata: metadata, parameters: namedParameters, optimizer: optimizer)
    }

    /// The model stored in `checkpoint`.
    public convenience init(checkpoint: NeuralCheckpoint) throws {
        let config = try checkpoint.config(NNLMConfig.self)
        let vocab = TokenVocabulary(tokens: try decodeJSON([String].self, try checkpoint.require("vocabulary")))
        self.init(config: config, vocabulary: vocab)
        try checkpoint.load(into: namedParameters)
    }
}
