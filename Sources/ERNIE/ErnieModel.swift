// ErnieModel — the ERNIE-4.5 decoder-only transformer, from token ids to next-token logits.
//
// The forward pass, top to bottom (shared/ERNIE45.md §2; transformers' Ernie4_5ForCausalLM):
//   h = E[ids]                                  embedding lookup, no scaling          [N, D]
//   for each layer l:  h = DecoderLayer_l(h)    attention + SwiGLU (or routed experts), pre-norm   [N, D]
//   logits = RMSNorm(h) · W_outᵀ                W_out = E when tie_word_embeddings     [N, V]
// No biases, no QK-norm, no sliding window, no logit soft-cap. Everything is computed in float32 from weights
// kept as stored (bf16 for the real model), which reproduces transformers' float32 run on the same weights.
//
// Two paths, one code: a pass over N rows uses matrix products (gemm) when N > 1 — prefill of a prompt, or one
// decode step for N beams at once — and matrix–vector products when N = 1 — decoding a single token. The KV
// cache (KVCache.swift) makes a decode step cost one token.
//
// Shape legend: N rows in a pass, T tokens, D hidden, H/Hkv query/KV heads, Dh head dim, F FFN, V vocab.

import Foundation
import LabCore
import ModelFiles
import Tokenizers

/// An ERNIE-4.5 model over a memory-mapped checkpoint.
public final class ErnieModel: @unchecked Sendable {
    public let config: ERNIEConfig
    public let weights: ErnieWeights
    /// Shown by decoders and explorers (the folder name, or the catalog name).
    public let name: String
    /// Token pieces for display; `<id>` when no tokenizer was given.
    public let vocabulary: any Vocabulary

    let layers: [DecoderLayer]

    /// A model from a checked config and its weights.
    /// - Throws: `ConfigError` or `ErnieError.unsupportedConfig` for a config this engine cannot run;
    ///   `ErnieError.vocabularyMismatch` when `vocabulary` has more ids than the embedding has rows.
    public init(config: ERNIEConfig, weights: ErnieWeights, name: String,
                vocabulary: (any Vocabulary)? = nil) throws {
        try Self.check(config, file: "config.json")
        if let vocabulary, vocabulary.count > config.vocabSize {
            throw ErnieError.vocabularyMismatch(tokenizer: (vocabulary as? ErnieTokenizer)?.source ?? name,
                                                tokenizerCount: vocabulary.count, vocabSize: config.vocabSize)
        }
        self.config = config
        self.weights = weights
        self.name = name
        self.vocabulary = vocabulary ?? NumberedVocabulary(count: config.vocabSize)
        layers = weights.layers.enumerated().map { i, w in
            DecoderLayer(index: i, weights: w, heads: config.numAttentionHeads, kvHeads: config.numKeyValueHeads,
                         headDim: config.headDim, epsilon: Float(config.rmsNormEps),
                         ropeTheta: Float(config.ropeTheta), feedForward: Self.feedForward(w.feedForward, config: config))
        }
    }

    /// Loads a model folder's config.json and weights (`model.safetensors`, or the shards listed by
    /// `model.safetensors.index.json`), strictly. The tokenizer is not read here; pass its vocabulary for display.
    ///
    /// - Parameter precision: how the weight matrices are held (WeightPrecision.swift): as stored (mmap, no copy,
    ///   the default), or copied once at load into the lab's memory in bf16, f32, int8 or int4.
    /// - Throws: `ModelLocatorError` for missing files, `ConfigError` for config.json, `SafetensorsError` for
    ///   damaged weights, `ErnieError` when weights and config disagree, `WeightQuantizationError` (int8).
    public convenience init(folder: ModelFolder, name: String? = nil, vocabulary: (any Vocabulary)? = nil,
                            precision: WeightPrecision = .asStored) throws {
        let config = try folder.loadConfig()
        if precision != .asStored {                                  // a copy: does it fit at all?
            let needed = config.convertedWeightBytes(precision)
            let available = Int(clamping: Self.memoryBudget ?? ProcessInfo.processInfo.physicalMemory)
            if needed > available {
                throw ErnieError.notEnoughMemory(file: folder.url.appendingPathComponent("config.json").path,
                                                 precision: precision.rawValue, needed: needed, available: available,
                                                 smallest: config.convertedWeightBytes(.int4))
            }
        }
        // Every matrix copied (all precisions but as-stored): no MAP_POPULATE, each is read once, then released.
        let checkpoint = try MappedFile.$populate.withValue(precision == .asStored) { try folder.openWeights() }
        let file: String
        switch folder.weights {
        case .single(let url): file = url.path
        case .sharded(let index): file = index.path
        case .none: file = folder.url.path
        }
        let weights = try ErnieWeights(checkpoint: checkpoint, config: config, file: file, precision: precision)
        try self.init(config: config, weights: weights, name: name ?? folder.url.lastPathComponent,
                      vocabulary: vocabulary)
    }

    /// The memory a converting load may use; nil = the machine's physical memory (tests set a small budget).
    @TaskLocal public static var memoryBudget: UInt64?

    /// `init(folder: ModelFolder(url: url))`.
    public convenience init(folder url: URL, name: String? = nil, vocabulary: (any Vocabulary)? = nil,
                            precision: WeightPrecision = .asStored) throws {
        try self.init(folder: ModelFolder(url: url), name: name, vocabulary: vocabulary, precision: precision)
    }

    /// The dense SwiGLU, or the routed experts with `moe_k` and `moe_norm_min` from config.json.
    static func feedForward(_ w: FeedForwardWeights, config: ERNIEConfig) -> FeedForward {
        switch w {
        case .dense(let mlp): return .dense(mlp)
        case .routed(let moe):
            return .routed(MixtureOfExperts(weights: moe, topK: config.moe?.topK ?? 1,
                                            normMin: Float(config.moe?.normMin ?? 0)))
        }
    }

    /// Invariants the engine needs: ERNIEConfig's own, plus no biases and no position compression.
    static func check(_ c: ERNIEConfig, file: String) throws {
        try c.validate(file: file)                   // sizes, head grouping, even head_dim, rope type, activation
        if c.useBias {
            throw ErnieError.unsupportedConfig(file: file, key: "use_bias", problem: "is true; ERNIE-4.5 has no biases")
        }
        if c.compressionRatio != 1 {
            throw ErnieError.unsupportedConfig(file: file, key: "compression_ratio",
                                               problem: "is \(c.compressionRatio); only 1.0 is implemented")
        }
    }

    /// y = RMSNorm(x) ⊙ g with model.norm.weight, for `rows` rows of the residual stream: x, y [rows, D]; y may be x.
    func finalNorm(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>) {
        weights.finalNorm.withUnsafeBufferPointer { g in
            rmsNorm(rows: rows, cols: g.count, x: x, gain: g.baseAddress!, epsilon: Float(config.rmsNormEps), y: y)
        }
    }

    /// An empty KV cache for one sequence.
    public func makeCache() -> KVCache {
        KVCache(layers: config.numHiddenLayers, rowWidth: config.keyValueWidth)
    }

    /// Feeds `tokens` to one sequence and returns the logits [V] after each of them (`allPositions`) or after
    /// the last one only. Row i of the result predicts the token after tokens[i].
    ///
    /// - Parameter recorder: when given, receives this pass's hidden states and attention weights.
    /// - Throws: `ErnieError.tokenOutOfRange`, `.contextTooLong`.
    public func logits(_ tokens: [Int], cache: inout KVCache, allPositions: Bool,
                       recorder: ErnieRecorder? = nil) throws -> [[Float]] {
        guard !tokens.isEmpty else { return [] }
        let layout = BatchLayout.prefill(count: tokens.count, start: cache.count)
        var caches = [makeCache()]
        swap(&caches[0], &cache)                     // move, not copy: the cache's arrays stay uniquely owned
        defer { swap(&caches[0], &cache) }
        let rows = allPositions ? Array(tokens.indices) : [tokens.count - 1]
        return try forward(tokens, layout: layout, caches: &caches, outputRows: rows, recorder: recorder)
    }

    /// One decode step for several sequences at once (beam search): token i is appended to caches[i], and the
    /// logits after it are row i of the result. Every weight matrix is streamed once for all sequences.
    public func logitsBatch(_ tokens: [Int], caches: inout [KVCache],
                            recorder: ErnieRecorder? = nil) throws -> [[Float]] {
        precondition(tokens.count == caches.count, "logitsBatch: \(tokens.count) tokens for \(caches.count) caches")
        guard !tokens.isEmpty else { return [] }
        let layout = BatchLayout.decode(lengths: caches.map(\.count))
        return try forward(tokens, layout: layout, caches: &caches, outputRows: Array(tokens.indices),
                           recorder: recorder)
    }

    /// The forward pass over the rows of `layout`; returns the logits of `outputRows` only ([M][V]).
    ///
    /// Non-finite values are caught without touching the kernels: each layer's output h [N, D] is scanned until
    /// the first layer that holds a NaN or ±∞ is known (N·D floats per layer, about 1/10⁴ of the layer's
    /// arithmetic), and the logits [M, V] are scanned once at the end (NonFiniteScan.swift).
    /// - Throws: `ErnieError.nonFiniteActivations` naming that layer when a logit is NaN or ±∞.
    func forward(_ tokens: [Int], layout: BatchLayout, caches: inout [KVCache], outputRows: [Int],
                 recorder: ErnieRecorder?) throws -> [[Float]] {
        let N = tokens.count, D = config.hiddenSize, V = config.vocabSize
        for id in tokens where id < 0 || id >= V { throw ErnieError.tokenOutOfRange(id: id, vocabularySize: V) }
        if let last = layout.position.max(), last >= config.maxPositionEmbeddings {
            throw ErnieError.contextTooLong(length: last + 1, limit: config.maxPositionEmbeddings)
        }
        recorder?.begin()

        var h = [Float](repeating: 0, count: N * D)                         // [N, D] residual stream
        var firstNonFinite: (layer: Int, row: Int)?                         // the first layer output with NaN/±∞
        h.withUnsafeMutableBufferPointer { hb in
            let h = hb.baseAddress!
            for r in 0..<N { weights.embedding.widenRow(tokens[r], into: h + r * D) }     // h = E[ids]
            recorder?.hiddenStates.append(Array(hb))
            let scratch = LayerScratch(rows: N, config: config)                        // reused by every layer
            for layer in layers {                                                      // h = layer_l(h)
                layer(h, width: D, layout: layout, caches: &caches, scratch: scratch, recorder: recorder)
                recorder?.hiddenStates.append(Array(hb))
                if firstNonFinite == nil, let i = firstNonFiniteElement(h, count: N * D) {
                    firstNonFinite = (layer.index, i / D)
                }
            }
        }
        // Every layer has appended its keys and values: the caches advance.
        for s in caches.indices {
            let added = layout.sequence.reduce(0) { $0 + ($1 == s ? 1 : 0) }
            if added > 0 { caches[s].commit(rows: added) }
        }

        // logits = RMSNorm(h) · W_outᵀ, for the rows asked for only.
        let M = outputRows.count
        var selected = [Float](repeating: 0, count: M * D)                  // [M, D]
        var logits = [Float](repeating: 0, count: M * V)                    // [M, V]
        h.withUnsafeBufferPointer { hb in
            selected.withUnsafeMutableBufferPointer { sb in
                let s = sb.baseAddress!
                for (i, r) in outputRows.enumerated() { (s + i * D).update(from: hb.baseAddress! + r * D, count: D) }
                finalNorm(s, rows: M, into: s)
                logits.withUnsafeMutableBufferPointer { weights.lmHead.apply(s, count: M, $0.baseAddress!) }
            }
        }
        if let i = logits.withUnsafeBufferPointer({ firstNonFiniteElement($0.baseAddress!, count: M * V) }) {
            throw ErnieError.nonFiniteActivations(model: name, layer: firstNonFinite?.layer,
                                                  position: layout.position[firstNonFinite?.row ?? outputRows[i / V]])
        }
        return (0..<M).map { Array(logits[($0 * V)..<(($0 + 1) * V)]) }
    }
}

/// Pieces shown as their ids, for a model loaded without a tokenizer.
struct NumberedVocabulary: Vocabulary {
    let count: Int
    func piece(_ id: Int) -> String { "<\(id)>" }
}
