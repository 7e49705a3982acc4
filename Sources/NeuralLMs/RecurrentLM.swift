// RecurrentLM — Elman RNN and GRU language models (Mikolov et al. 2010,
// https://www.fit.vutbr.cz/research/groups/speech/publi/2010/mikolov_interspeech2010_IS100722.pdf), trained with
// truncated backpropagation through time. Lesson 6: unlike the NNLM's fixed window, h carries the whole sentence so far.
//
// Legend: B sentences in a batch, T time steps, E embedding size, Hd hidden size, V vocabulary.
//
//   h₀ = 0,   hₜ = cell(E[wₜ], hₜ₋₁)                  (RecurrentCells.swift)                 [B, Hd]
//   P(wₜ₊₁ | w₀ … wₜ) = softmax(U hₜ + b)                                                    [B, V]
//
// Each sentence is read as <s> w₁ … w_L and predicts w₁ … w_L </s>, from h₀ = 0: the same events, vocabulary and
// <unk> as the n-gram model (ClassicLMs/NGramModel.swift), so held-out perplexities compare one to one.
// Truncated BPTT: a batch longer than `bptt` steps is cut into windows; the gradient stops at each window's start,
// while the hidden state is carried over as a constant. The incremental state of `LanguageModel` is hₜ itself.

import Foundation
import LabCore
import Autograd
import Tokenizers

/// Sizes of a recurrent LM (stored in checkpoints as JSON).
public struct RecurrentLMConfig: Codable, Sendable, Equatable {
    public var cell: RecurrentCellKind
    public var embeddingSize: Int
    public var hiddenSize: Int
    /// Window of truncated backpropagation through time, in steps.
    public var bptt: Int

    public init(cell: RecurrentCellKind, embeddingSize: Int = 48, hiddenSize: Int = 128, bptt: Int = 32) {
        self.cell = cell
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.bptt = bptt
    }
}

/// An Elman RNN or GRU language model.
public final class RecurrentLM: LanguageModel {
    /// hₜ after the tokens consumed so far [1, Hd] (zeros before the first token).
    public typealias State = Tensor

    public let config: RecurrentLMConfig
    public let tokens: TokenVocabulary
    /// `embedding.weight` [V, E]
    public let embedding: Variable
    /// `cell.weight_ih` … `cell.bias_hh`
    public let cell: RecurrentCellWeights
    /// `output.weight` [V, Hd], `output.bias` [V]
    public let outputWeight: Variable, outputBias: Variable

    public var name: String { config.cell == .gru ? "GRU LM" : "Elman RNN LM" }
    public var vocabulary: any Vocabulary { tokens }
    public var startToken: Int? { tokens.beginId }
    public var endTokens: Set<Int> { [tokens.endId] }

    public init(config: RecurrentLMConfig, vocabulary: TokenVocabulary, seed: UInt64 = 1) {
        self.config = config
        self.tokens = vocabulary
        var rng = SeededRNG(seed: seed)
        embedding = .parameter(Tensor.randn([vocabulary.count, config.embeddingSize], std: 0.1, rng: &rng))
        cell = RecurrentCellWeights(kind: config.cell, inputSize: config.embeddingSize, hiddenSize: config.hiddenSize, rng: &rng)
        let a = Float(1 / Double(config.hiddenSize).squareRoot())
        outputWeight = .parameter(Tensor.uniform([vocabulary.count, config.hiddenSize], low: -a, high: a, rng: &rng))
        outputBias = .parameter(Tensor.zeros([vocabulary.count]))
    }

    /// Every trainable tensor with its checkpoint name.
    public var namedParameters: [(String, Variable)] {
        [("embedding.weight", embedding)] + cell.named("cell.") + [("output.weight", outputWeight), ("output.bias", outputBias)]
    }

    /// Runs the recurrence over `inputs` (T steps of B ids each) from `h` [B, Hd]; returns every hₜ.
    public func run(_ inputs: [[Int]], from h: Variable) -> [Variable] {
        var h = h
        var states: [Variable] = []
        for ids in inputs {
            h = cell(Autograd.embedding(embedding, ids: ids), h)        // [B, Hd]
            states.append(h)
        }
        return states
    }

    /// Next-token logits of hidden states [N, Hd] → [N, V].
    public func logits(_ h: Variable) -> Variable { linear(h, weight: outputWeight, bias: outputBias) }

    // MARK: - LanguageModel

    public func makeState() throws -> Tensor { Tensor.zeros([1, config.hiddenSize]) }

    public func append(_ newTokens: [Int], to state: inout Tensor) throws -> [Float] {
        precondition(!newTokens.isEmpty, "RecurrentLM.append needs at least one token")
        let hs = run(newTokens.map { [$0] }, from: .constant(state))
        state = hs.last!.value
        return logSoftmax(logits(hs.last!)).value.data
    }

    // MARK: - Batches

    /// Sentences as padded time-major batches: inputs [T][B] (<s> w₁ … w_L, padded with </s>), targets [T][B]
    /// (w₁ … w_L </s>, padded with −1 = ignored).
    public struct Batch {
        public var inputs: [[Int]]
        public var targets: [[Int]]
        public var tokenCount: Int
    }

    /// Cuts `sentences` (ids) into batches of similar length (sorted by length, then chunked).
    public func batches(_ sentences: [[Int]], batchSize: Int) -> [Batch] {
        let sorted = sentences.sorted { $0.count < $1.count }
        return stride(from: 0, to: sorted.count, by: batchSize).map { start in
            let group = Array(sorted[start..<min(start + batchSize, sorted.count)])
            let t = group.map(\.count).max()! + 1
            var inputs = [[Int]](repeating: [Int](repeating: tokens.endId, count: group.count), count: t)
            var targets = [[Int]](repeating: [Int](repeating: -1, count: group.count), count: t)
            for (b, s) in group.enumerated() {
                let input = [tokens.beginId] + s, target = s + [tokens.endId]
                for i in 0..<input.count { inputs[i][b] = input[i]; targets[i][b] = target[i] }
            }
            return Batch(inputs: inputs, targets: targets, tokenCount: group.map { $0.count + 1 }.reduce(0, +))
        }
    }

    /// Held-out perplexity exp(−(1/N) Σ ln P) over `sentences`, </s> included, each from h₀ = 0.
    public func perplexity(_ sentences: [[Int]], batchSize: Int = 256) -> (perplexity: Double, tokens: Int) {
        var sum = 0.0, n = 0
        let v = tokens.count
        for batch in batches(sentences, batchSize: batchSize) {
            let b = batch.inputs[0].count
            let hs = run(batch.inputs, from: .constant(Tensor.zeros([b, config.hiddenSize])))
            for (t, h) in hs.enumerated() {
                let lp = logSoftmax(logits(.constant(h.value))).value      // [B, V]
                for (i, target) in batch.targets[t].enumerated() where target >= 0 {
                    sum += Double(lp.data[i * v + target])
                    n += 1
                }
            }
        }
        return (Foundation.exp(-sum / Double(max(n, 1))), n)
    }

    // MARK: - Training

    /// What `train` does unless told otherwise: batches of 32 sentences, clipping at norm 1.
    public static let defaultTraining = NeuralTrainingSettings(steps: 1500, batchSize: 32, learningRate: 5e-3, clip: 1)

    /// Truncated BPTT: one optimizer step per window of `config.bptt` steps of a batch; batches visited in an order
    /// shuffled per epoch by (seed, epoch), so a run resumed at a batch boundary repeats the uninterrupted one.
    public func train(on sentences: [[Int]], options: NeuralTrainingSettings, optimizer: AdamW,
                      progress: (TrainingMeter) -> Void = { _ in },
                      checkCancel: () throws -> Void = { try Cancellation.check() }) throws -> TrainingOutcome {
        let all = batches(sentences, batchSize: options.batchSize)
        // Updates of one epoch: (batch, window start).
        func updates(epoch: Int) -> [(Int, Int)] {
            var order = Array(all.indices)
            var rng = SeededRNG(seed: options.seed &+ UInt64(epoch) &* 0x9E37_79B9)
            rng.shuffle(&order)
            return order.flatMap { b in stride(from: 0, to: all[b].inputs.count, by: config.bptt).map { (b, $0) } }
        }
        let perEpoch = updates(epoch: 0).count
        var plan: [(Int, Int)] = []
        var epoch = -1
        var carried: (batch: Int, end: Int, h: Tensor)? = nil
        return try runTrainingLoop(totalSteps: options.steps, startStep: optimizer.stepCount, progress: progress,
                                   checkCancel: checkCancel) { step in
            let (e, k) = ((step - 1) / perEpoch, (step - 1) % perEpoch)
            if e != epoch { plan = updates(epoch: e); epoch = e }
            let (b, start) = plan[k]
            let batch = all[b]
            let end = min(start + config.bptt, batch.inputs.count)
            // h at the window start: carried from the previous window, or (first window / resumed mid-batch) recomputed.
            var h0 = Tensor.zeros([batch.inputs[0].count, config.hiddenSize])
            if start > 0 {
                if let c = carried, c.batch == b, c.end == start { h0 = c.h }
                else { h0 = run(Array(batch.inputs[0..<start]), from: .constant(h0)).last!.value }
            }
            optimizer.learningRate = options.learningRate * (1 - 0.9 * Float(step - 1) / Float(max(options.steps, 1)))
            optimizer.zeroGrad()
            let hs = run(Array(batch.inputs[start..<end]), from: .constant(h0))
            let loss = crossEntropy(logits(concat(hs, axis: 0)), targets: batch.targets[start..<end].flatMap { $0 },
                                    ignoreIndex: -1)
            loss.backward()
            _ = clipGradNorm(optimizer.parameters, maxNorm: options.clip)
            optimizer.step()
            carried = (b, end, hs.last!.value)
            let counted = batch.targets[start..<end].flatMap { $0 }.filter { $0 >= 0 }.count
            return (loss.value.scalar, counted)
        }
    }

    // MARK: - Checkpoints

    /// A checkpoint of this model (and of `optimizer`, to resume); `corpus` names the training text in the metadata.
    public func checkpoint(optimizer: AdamW?, corpus: String? = nil) throws -> NeuralCheckpoint {
        var metadata = ["config": try jsonText(config), "vocabulary": try jsonText(tokens.tokens)]
        if let corpus { metadata["corpus"] = corpus }
        return NeuralCheckpoint(kind: config.cell.rawValue, metadata: metadata, parameters: namedParameters, optimizer: optimizer)
    }

    public convenience init(checkpoint: NeuralCheckpoint) throws {
        let config = try checkpoint.config(RecurrentLMConfig.self)
        let vocab = TokenVocabulary(tokens: try decodeJSON([String].self, try checkpoint.require("vocabulary")))
        self.init(config: config, vocabulary: vocab)
        try checkpoint.load(into: namedParameters)
    }
}
