// Seq2Seq — the GRU encoder–decoder with Bahdanau attention (https://arxiv.org/abs/1409.0473), lesson 6's translator.
//
// Legend: B sentences, S source words, T target tokens, E embedding size, Hd GRU size, Vs / Vt vocabularies.
//
//   encoder   →hⱼ = GRU_f(Eₛ[xⱼ], →hⱼ₋₁),  ←hⱼ = GRU_b(Eₛ[xⱼ], ←hⱼ₊₁),  hⱼ = [→hⱼ; ←hⱼ]        [B, S, 2Hd]
//   bridge    s₀ = tanh(W_s ←h₁ + b_s)                                                      [B, Hd]
//   decoder   cᵢ, αᵢ = attention(sᵢ₋₁, h)                         (BahdanauAttention.swift)  [B, 2Hd], [B, S]
//             without attention (Cho et al. 2014, https://arxiv.org/abs/1406.1078): cᵢ = c = [→h_S; ←h₁] at every step
//             sᵢ = GRU_d([E_t[yᵢ₋₁]; cᵢ], sᵢ₋₁)                                              [B, Hd]
//             P(yᵢ | y<ᵢ, x) = softmax(W_o [sᵢ; cᵢ] + b_o)                                   [B, Vt]
//
// Training feeds the reference yᵢ₋₁ (teacher forcing); `translate` feeds its own greedy choice and returns αᵢ for
// every output token, the rows of the alignment heatmap. Batches hold sources of one length, so the encoder needs no
// padding; targets are padded with </s> and their padded positions ignored by the loss. The twin without attention
// (`usesAttention: false`, Models/seq2seq-numbers-plain) has the same sizes minus the attention's weights: the whole
// source must pass through one fixed vector, which is what lesson 6's accuracy-by-length table measures.

import Foundation
import LabCore
import Autograd
import Tokenizers

/// Sizes of the translator (stored in checkpoints as JSON).
public struct Seq2SeqConfig: Codable, Sendable, Equatable {
    public var embeddingSize: Int
    public var hiddenSize: Int
    public var attentionSize: Int
    /// False: the decoder reads one fixed context, the encoder's final states (no attention weights; `attentionSize`
    /// unused). Checkpoints written before the key existed have attention.
    public var usesAttention: Bool
    public init(embeddingSize: Int = 32, hiddenSize: Int = 64, attentionSize: Int = 64, usesAttention: Bool = true) {
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.attentionSize = attentionSize
        self.usesAttention = usesAttention
    }

    private enum CodingKeys: String, CodingKey { case embeddingSize, hiddenSize, attentionSize, usesAttention }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(embeddingSize: try c.decode(Int.self, forKey: .embeddingSize),
                  hiddenSize: try c.decode(Int.self, forKey: .hiddenSize),
                  attentionSize: try c.decode(Int.self, forKey: .attentionSize),
                  usesAttention: try c.decodeIfPresent(Bool.self, forKey: .usesAttention) ?? true)
    }
}

/// A translation with its alignment.
public struct Translation: Sendable, Equatable {
    public var source: [String]
    /// Output tokens, without </s>.
    public var output: [String]
    /// αᵢⱼ: one row per output token (and a last row for </s>), one column per source word; empty without attention.
    public var alignment: [[Float]]
}

public final class Seq2Seq {
    public let config: Seq2SeqConfig
    public let sourceVocabulary: TokenVocabulary
    public let targetVocabulary: TokenVocabulary
    /// `source_embedding.weight` [Vs, E], `target_embedding.weight` [Vt, E]
    public let sourceEmbedding: Variable, targetEmbedding: Variable
    /// `encoder.forward.*`, `encoder.backward.*`: GRU E → Hd each way
    public let encoderForward: RecurrentCellWeights, encoderBackward: RecurrentCellWeights
    /// `bridge.weight` [Hd, Hd], `bridge.bias` [Hd]
    public let bridgeWeight: Variable, bridgeBias: Variable
    /// `attention.*` (nil in the twin without attention)
    public let attention: BahdanauAttention?
    /// `decoder.*`: GRU (E + 2Hd) → Hd
    public let decoder: RecurrentCellWeights
    /// `output.weight` [Vt, 3Hd], `output.bias` [Vt]
    public let outputWeight: Variable, outputBias: Variable

    public init(config: Seq2SeqConfig, source: TokenVocabulary, target: TokenVocabulary, seed: UInt64 = 1) {
        self.config = config
        sourceVocabulary = source
        targetVocabulary = target
        var rng = SeededRNG(seed: seed)
        let (e, h) = (config.embeddingSize, config.hiddenSize)
        func u(_ shape: [Int], _ fanIn: Int) -> Variable {
            let a = Float(1 / Double(fanIn).squareRoot())
            return .parameter(Tensor.uniform(shape, low: -a, high: a, rng: &rng))
        }
        sourceEmbedding = .parameter(Tensor.randn([source.count, e], std: 0.3, rng: &rng))
        targetEmbedding = .parameter(Tensor.randn([target.count, e], std: 0.3, rng: &rng))
        encoderForward = RecurrentCellWeights(kind: .gru, inputSize: e, hiddenSize: h, rng: &rng)
        encoderBackward = RecurrentCellWeights(kind: .gru, inputSize: e, hiddenSize: h, rng: &rng)
        bridgeWeight = u([h, h], h)
        bridgeBias = u([h], h)
        attention = config.usesAttention
            ? BahdanauAttention(querySize: h, keySize: 2 * h, attentionSize: config.attentionSize, rng: &rng) : nil
        decoder = RecurrentCellWeights(kind: .gru, inputSize: e + 2 * h, hiddenSize: h, rng: &rng)
        outputWeight = u([target.count, 3 * h], 3 * h)
        outputBias = u([target.count], 3 * h)
    }

    public var namedParameters: [(String, Variable)] {
        [("source_embedding.weight", sourceEmbedding), ("target_embedding.weight", targetEmbedding)]
            + encoderForward.named("encoder.forward.") + encoderBackward.named("encoder.backward.")
            + [("bridge.weight", bridgeWeight), ("bridge.bias", bridgeBias)]
            + (attention?.named("attention.") ?? []) + decoder.named("decoder.")
            + [("output.weight", outputWeight), ("output.bias", outputBias)]
    }

    /// Encoded source: annotations hⱼ [B, S, 2Hd], their keys U hⱼ [B, S, A] (nil without attention), the fixed
    /// context [→h_S; ←h₁] [B, 2Hd] that the twin without attention reads, and s₀ [B, Hd].
    public struct Encoding {
        public var annotations: Variable
        public var keys: Variable?
        public var summary: Variable
        public var initialState: Variable
    }

    /// Runs the bidirectional encoder over `sources` (B sentences of one length S, ids).
    public func encode(_ sources: [[Int]]) -> Encoding {
        let (b, s, h) = (sources.count, sources[0].count, config.hiddenSize)
        precondition(s > 0 && sources.allSatisfy { $0.count == s }, "Seq2Seq.encode: a batch needs sources of one length")
        let x = (0..<s).map { j in Autograd.embedding(sourceEmbedding, ids: sources.map { $0[j] }) }   // S × [B, E]
        var fwd: [Variable] = [], bwd = [Variable](repeating: .constant(Tensor.zeros([b, h])), count: s)
        var hf = Variable.constant(Tensor.zeros([b, h])), hb = hf
        for j in 0..<s { hf = encoderForward(x[j], hf); fwd.append(hf) }                    // →hⱼ
        for j in stride(from: s - 1, through: 0, by: -1) { hb = encoderBackward(x[j], hb); bwd[j] = hb }   // ←hⱼ
        let steps = (0..<s).map { j in reshape(concat([fwd[j], bwd[j]], axis: 1), [b, 1, 2 * h]) }
        let annotations = concat(steps, axis: 1)                                             // [B, S, 2Hd]
        let s0 = tanh(linear(bwd[0], weight: bridgeWeight, bias: bridgeBias))               // s₀ = tanh(W_s ←h₁ + b_s)
        let summary = concat([fwd[s - 1], bwd[0]], axis: 1)                                  // [→h_S; ←h₁]  [B, 2Hd]
        return Encoding(annotations: annotations, keys: attention?.projectKeys(annotations), summary: summary,
                        initialState: s0)
    }

    /// One decoder step: previous tokens yᵢ₋₁ [B] and state sᵢ₋₁ → (logits [B, Vt], sᵢ, αᵢ [B, S] or nil without
    /// attention).
    public func decodeStep(_ previous: [Int], state: Variable, encoding: Encoding) -> (logits: Variable, state: Variable, weights: Variable?) {
        var (c, alpha): (Variable, Variable?) = (encoding.summary, nil)                      // cᵢ = c without attention
        if let attention, let keys = encoding.keys {
            (c, alpha) = attention(query: state, annotations: encoding.annotations, keys: keys)
        }
        let y = Autograd.embedding(targetEmbedding, ids: previous)                           // [B, E]
        let s = decoder(concat([y, c], axis: 1), state)                                      // [B, Hd]
        let logits = linear(concat([s, c], axis: 1), weight: outputWeight, bias: outputBias) // [B, Vt]
        return (logits, s, alpha)
    }

    /// Mean cross-entropy of the reference targets under teacher forcing.
    public func loss(sources: [[Int]], targets: [[Int]]) -> (loss: Variable, tokens: Int) {
        let enc = encode(sources)
        let t = targets.map(\.count).max()! + 1
        var state = enc.initialState
        var previous = [Int](repeating: targetVocabulary.beginId, count: sources.count)
        var logits: [Variable] = [], wanted: [Int] = []
        for i in 0..<t {
            let step = decodeStep(previous, state: state, encoding: enc)
            logits.append(step.logits)
            state = step.state
            let next = targets.map { i < $0.count ? $0[i] : (i == $0.count ? targetVocabulary.endId : -1) }
            wanted += next
            previous = next.map { $0 < 0 ? targetVocabulary.endId : $0 }
        }
        return (crossEntropy(concat(logits, axis: 0), targets: wanted, ignoreIndex: -1), wanted.filter { $0 >= 0 }.count)
    }

    /// Greedy translation of one sentence (words) with its alignment, up to `maxLength` tokens.
    public func translate(_ words: [String], maxLength: Int = 20) -> Translation {
        let ids = words.map(sourceVocabulary.idOrUnknown)
        let enc = encode([ids])
        var state = enc.initialState
        var previous = targetVocabulary.beginId
        var output: [String] = [], alignment: [[Float]] = []
        for _ in 0..<maxLength {
            let step = decodeStep([previous], state: state, encoding: enc)
            state = step.state
            if let weights = step.weights { alignment.append(weights.value.data) }
            previous = argmax(step.logits.value.data)
            if previous == targetVocabulary.endId { break }
            output.append(targetVocabulary.piece(previous))
        }
        return Translation(source: words, output: output, alignment: alignment)
    }

    // MARK: - Training

    /// What `train` does unless told otherwise: batches of 32 sentence pairs, clipping at norm 1.
    public static let defaultTraining = NeuralTrainingSettings(steps: 1200, batchSize: 32, learningRate: 5e-3, clip: 1)

    /// Trains on `pairs` (source words, target tokens): batches of one source length, visited in an order shuffled per
    /// epoch by (seed, epoch); AdamW, clipping at `options.clip`, linear decay to 10 %.
    public func train(on pairs: [(source: [String], target: [String])], options: NeuralTrainingSettings, optimizer: AdamW,
                      progress: (TrainingMeter) -> Void = { _ in },
                      checkCancel: () throws -> Void = { try Cancellation.check() }) throws -> TrainingOutcome {
        let encoded = pairs.map { (src: $0.source.map(sourceVocabulary.idOrUnknown), tgt: $0.target.map(targetVocabulary.idOrUnknown)) }
        var batches: [[Int]] = []
        for length in Set(encoded.map(\.src.count)).sorted() {
            let members = encoded.indices.filter { encoded[$0].src.count == length }
            batches += stride(from: 0, to: members.count, by: options.batchSize).map {
                Array(members[$0..<min($0 + options.batchSize, members.count)])
            }
        }
        var order: [Int] = []
        var epoch = -1
        return try runTrainingLoop(totalSteps: options.steps, startStep: optimizer.stepCount, progress: progress,
                                   checkCancel: checkCancel) { step in
            let (e, k) = ((step - 1) / batches.count, (step - 1) % batches.count)
            if e != epoch {
                order = Array(batches.indices)
                var rng = SeededRNG(seed: options.seed &+ UInt64(e) &* 0x9E37_79B9)
                rng.shuffle(&order)
                epoch = e
            }
            let members = batches[order[k]]
            optimizer.learningRate = options.learningRate * (1 - 0.9 * Float(step - 1) / Float(max(options.steps, 1)))
            optimizer.zeroGrad()
            let (loss, tokens) = loss(sources: members.map { encoded[$0].src }, targets: members.map { encoded[$0].tgt })
            loss.backward()
            _ = clipGradNorm(optimizer.parameters, maxNorm: options.clip)
            optimizer.step()
            return (loss.value.scalar, tokens)
        }
    }

    // MARK: - Checkpoints

    /// A checkpoint of this model (and of `optimizer`, to resume); `corpus` names the training pairs in the metadata.
    public func checkpoint(optimizer: AdamW?, corpus: String? = nil) throws -> NeuralCheckpoint {
        var metadata = ["config": try jsonText(config), "vocabulary": try jsonText(sourceVocabulary.tokens),
                        "target_vocabulary": try jsonText(targetVocabulary.tokens)]
        if let corpus { metadata["corpus"] = corpus }
        return NeuralCheckpoint(kind: "seq2seq", metadata: metadata, parameters: namedParameters, optimizer: optimizer)
    }

    public convenience init(checkpoint: NeuralCheckpoint) throws {
        let config = try checkpoint.config(Seq2SeqConfig.self)
        let source = TokenVocabulary(tokens: try decodeJSON([String].self, try checkpoint.require("vocabulary")))
        let target = TokenVocabulary(tokens: try decodeJSON([String].self, try checkpoint.require("target_vocabulary")))
        self.init(config: config, source: source, target: target)
        try checkpoint.load(into: namedParameters)
    }
}

extension Seq2Seq {
    /// A fresh translator for the number task (NumberTranslation.swift).
    public static func numbers(config: Seq2SeqConfig = Seq2SeqConfig(), seed: UInt64 = 1) -> Seq2Seq {
        Seq2Seq(config: config, source: TokenVocabulary(tokens: NumberTranslation.englishWords),
                target: TokenVocabulary(tokens: NumberTranslation.chineseTokens), seed: seed)
    }

    /// Exact-match accuracy and alignment accuracy (share of output tokens, </s> excluded, whose argmax αᵢⱼ is the
    /// source word the character translates) on `pairs`, decoding greedily; the alignment is 0 without attention.
    public func evaluate(_ pairs: [NumberPair]) -> (exactMatch: Double, alignment: Double) {
        var exact = 0, aligned = 0, total = 0
        for p in pairs {
            let t = translate(p.english)
            if t.output == p.chinese { exact += 1 }
            for (i, expected) in p.alignment.enumerated() where i < t.alignment.count {
                if argmax(t.alignment[i]) == expected { aligned += 1 }
            }
            total += p.alignment.count
        }
        return (Double(exact) / Double(pairs.count), Double(aligned) / Double(max(total, 1)))
    }

    /// Exact matches grouped by source length in words (lesson 6's attention-vs-fixed-vector table), shortest first.
    public func exactMatchByLength(_ pairs: [NumberPair]) -> [(words: Int, numbers: Int, exact: Int)] {
        var byLength: [Int: (numbers: Int, exact: Int)] = [:]
        for p in pairs {
            let hit = translate(p.english).output == p.chinese
            byLength[p.english.count, default: (0, 0)].numbers += 1
            if hit { byLength[p.english.count, default: (0, 0)].exact += 1 }
        }
        return byLength.keys.sorted().map { (words: $0, numbers: byLength[$0]!.numbers, exact: byLength[$0]!.exact) }
    }
}
