// ErnieWeights — every tensor of an ERNIE-4.5 checkpoint, by its checkpoint name, read in place or copied once.
//
// Names and shapes (shared/ERNIE45.md §5; nn.Linear stores [out, in]; no biases):
//   model.embed_tokens.weight                        [V, D]
//   model.layers.{i}.input_layernorm.weight          [D]
//   model.layers.{i}.self_attn.q_proj.weight         [H·Dh, D]     (2048 × 1024 in the 0.3B: not square)
//   model.layers.{i}.self_attn.k_proj.weight         [Hkv·Dh, D]
//   model.layers.{i}.self_attn.v_proj.weight         [Hkv·Dh, D]
//   model.layers.{i}.self_attn.o_proj.weight         [D, H·Dh]
//   model.layers.{i}.post_attention_layernorm.weight [D]
//   model.layers.{i}.mlp.gate_proj.weight            [F, D]
//   model.layers.{i}.mlp.up_proj.weight              [F, D]
//   model.layers.{i}.mlp.down_proj.weight            [D, F]
//   model.norm.weight                                [D]
// An MoE layer of an ernie4_5_moe checkpoint (ERNIEMoEConfig.isMoELayer) has, instead of the three mlp.* matrices:
//   model.layers.{i}.mlp.gate.weight                            [E, D]   the router (f32 in transformers)
//   model.layers.{i}.mlp.moe_statics.e_score_correction_bias    [1, E]
//   model.layers.{i}.mlp.experts.{e}.{gate,up}_proj.weight      [Fe, D]  for e = 0…E−1
//   model.layers.{i}.mlp.experts.{e}.down_proj.weight           [D, Fe]
//   model.layers.{i}.mlp.shared_experts.{gate,up}_proj.weight   [S·Fe, D] (S = moe_num_shared_experts > 0)
//   model.layers.{i}.mlp.shared_experts.down_proj.weight        [D, S·Fe]
// The Hub's MoE files may also hold multi-token-prediction tensors (names containing "mtp"); transformers skips
// them (_keys_to_ignore_on_load_unexpected) and so does this loader.
//   lm_head.weight                                   [V, D]   only when tie_word_embeddings is false
// With tied embeddings (ERNIE-4.5-0.3B) the output projection IS the embedding table: logits = h Eᵀ.
// A tied checkpoint that nevertheless stores lm_head.weight is accepted only if it holds the same bytes
// (some writers save both); any other extra tensor is an error.
//
// Matrices stay in the file's dtype inside the memory map (no copy) as stored; every other `WeightPrecision` copies
// each once into the lab's memory (WeightArena), converting it when the format changes. The D-sized norm gains
// are widened to Float once, since every token reads them.

import Foundation
import LabCore
import ModelFiles

/// The weights of one decoder layer.
public struct ErnieLayerWeights: @unchecked Sendable {
    /// model.layers.{i}.input_layernorm.weight [D]
    public let inputNorm: [Float]
    /// model.layers.{i}.self_attn.q_proj.weight [H·Dh, D]
    public let q: WeightMatrix
    /// model.layers.{i}.self_attn.k_proj.weight [Hkv·Dh, D]
    public let k: WeightMatrix
    /// model.layers.{i}.self_attn.v_proj.weight [Hkv·Dh, D]
    public let v: WeightMatrix
    /// model.layers.{i}.self_attn.o_proj.weight [D, H·Dh]
    public let o: WeightMatrix
    /// model.layers.{i}.post_attention_layernorm.weight [D]
    public let postAttentionNorm: [Float]
    /// model.layers.{i}.mlp.*: one SwiGLU, or a router and its experts.
    public let feedForward: FeedForwardWeights
}

/// The three matrices of one gated MLP (DecoderLayer.swift's `swiGLU`): a dense layer's `mlp.*`, an expert's
/// `mlp.experts.{e}.*`, or the shared experts' `mlp.shared_experts.*`.
public struct SwiGLUWeights: @unchecked Sendable {
    /// gate_proj.weight [F, D]
    public let gate: WeightMatrix
    /// up_proj.weight [F, D]
    public let up: WeightMatrix
    /// down_proj.weight [D, F]
    public let down: WeightMatrix

    /// The three matrices, for byte counts and conversions.
    public var matrices: [WeightMatrix] { [gate, up, down] }
}

/// All weights of an `Ernie4_5ForCausalLM` or `Ernie4_5_MoeForCausalLM` checkpoint, validated against its config.
public final class ErnieWeights: @unchecked Sendable {
    /// model.embed_tokens.weight [V, D]
    public let embedding: WeightMatrix
    public let layers: [ErnieLayerWeights]
    /// model.norm.weight [D]
    public let finalNorm: [Float]
    /// lm_head.weight [V, D], or the embedding itself when tie_word_embeddings is true.
    public let lmHead: WeightMatrix
    /// True when `lmHead` is the embedding table.
    public let tied: Bool
    /// The checkpoint whose memory map every as-stored `WeightMatrix` points into; kept alive with these weights.
    public let checkpoint: any TensorCheckpoint
    /// The precision the matrices were loaded in.
    public let precision: WeightPrecision
    /// The dtype of the embedding in the file (before any conversion), e.g. `.bf16` for ERNIE-4.5.
    public let storedStorage: WeightMatrix.Storage

    /// Checks every tensor of `checkpoint` against `config` and keeps pointers to them.
    ///
    /// - Parameters:
    ///   - file: the name used in error messages (the safetensors path).
    ///   - precision: the format the matrices are held in (WeightPrecision.swift); as stored by default.
    /// Every tensor is scanned once for NaN and ±∞ (NonFiniteScan.swift: about one pass over the file at memory
    /// speed), so damaged weights fail here instead of printing nan later.
    /// - Throws: `ErnieError.missingTensor`, `.shapeMismatch`, `.unexpectedTensor`, `.unsupportedDType`,
    ///   `.nonFiniteWeight`.
    public init(checkpoint: any TensorCheckpoint, config: ERNIEConfig, file: String,
                precision: WeightPrecision = .asStored) throws {
        self.checkpoint = checkpoint
        self.precision = precision
        let D = config.hiddenSize, V = config.vocabSize, F = config.intermediateSize
        let qWidth = config.queryWidth, kvWidth = config.keyValueWidth
        var used = Set<String>()

        func tensor(_ name: String, _ shape: [Int]) throws -> SafetensorsTensor {
            guard checkpoint.contains(name) else {
                throw ErnieError.missingTensor(file: file, tensor: name, expectedShape: shape)
            }
            let t = try checkpoint.tensor(name)
            guard t.shape == shape else {
                throw ErnieError.shapeMismatch(file: file, tensor: name, expected: shape, found: t.shape)
            }
            guard WeightMatrix.Storage(checkpointDType: t.dtype.rawValue) != nil else {
                throw ErnieError.unsupportedDType(file: file, tensor: name, dtype: t.dtype.rawValue)
            }
            if let i = t.firstNonFiniteIndex() {
                throw ErnieError.nonFiniteWeight(file: file, tensor: name, index: Self.coordinates(i, in: shape),
                                                 value: nonFiniteText(t.floatElement(i)!))
            }
            used.insert(name)
            return t
        }
        /// The matrix as stored in the file (a view into the memory map).
        func storedMatrix(_ name: String, _ rows: Int, _ cols: Int) throws -> WeightMatrix {
            let t = try tensor(name, [rows, cols])
            return WeightMatrix(name: name, rows: rows, cols: cols,
                                storage: WeightMatrix.Storage(checkpointDType: t.dtype.rawValue)!,
                                base: t.bytes.baseAddress!)      // ERNIE shapes are never empty
        }
        // Converted matrices are carved, in the order read here (decode's order), from 2 MB-page slabs.
        let arena = precision == .asStored ? nil : WeightArena()
        func matrix(_ name: String, _ rows: Int, _ cols: Int) throws -> WeightMatrix {
            let stored = try storedMatrix(name, rows, cols)
            let matrix = try stored.converted(to: precision, in: arena)
            if matrix.base != stored.base { stored.releaseMappedPages() }   // converted: the mapped copy is unused
            return matrix
        }
        func gain(_ name: String) throws -> [Float] { try tensor(name, [D]).floats() }
        func swiGLU(_ prefix: String, width: Int) throws -> SwiGLUWeights {
            SwiGLUWeights(gate: try matrix(prefix + "gate_proj.weight", width, D),
                          up: try matrix(prefix + "up_proj.weight", width, D),
                          down: try matrix(prefix + "down_proj.weight", D, width))
        }
        /// mlp.* of layer i: dense, or the router, its correction bias and the experts (MixtureOfExperts.swift).
        func feedForward(_ i: Int) throws -> FeedForwardWeights {
            let p = "model.layers.\(i).mlp."
            guard let moe = config.moe, moe.isMoELayer(i) else { return .dense(try swiGLU(p, width: F)) }
            let E = moe.numExperts, Fe = moe.intermediateSize
            return .routed(MoEWeights(
                router: try tensor(p + "gate.weight", [E, D]).floats(),
                correctionBias: try tensor(p + "moe_statics.e_score_correction_bias", [1, E]).floats(),
                experts: try (0..<E).map { try swiGLU(p + "experts.\($0).", width: Fe) },
                shared: moe.numSharedExperts == 0 ? nil
                    : try swiGLU(p + "shared_experts.", width: moe.numSharedExperts * Fe)))
        }

        let storedEmbedding = try storedMatrix("model.embed_tokens.weight", V, D)
        storedStorage = storedEmbedding.storage
        embedding = try storedEmbedding.converted(to: precision, in: arena)
        let embeddingConverted = embedding.base != storedEmbedding.base
        if embeddingConverted { storedEmbedding.releaseMappedPages() }
        var layers: [ErnieLayerWeights] = []
        for i in 0..<config.numHiddenLayers {
            let p = "model.layers.\(i)."
            layers.append(ErnieLayerWeights(
                inputNorm: try gain(p + "input_layernorm.weight"),
                q: try matrix(p + "self_attn.q_proj.weight", qWidth, D),
                k: try matrix(p + "self_attn.k_proj.weight", kvWidth, D),
                v: try matrix(p + "self_attn.v_proj.weight", kvWidth, D),
                o: try matrix(p + "self_attn.o_proj.weight", D, qWidth),
                postAttentionNorm: try gain(p + "post_attention_layernorm.weight"),
                feedForward: try feedForward(i)))
        }
        self.layers = layers
        finalNorm = try gain("model.norm.weight")

        tied = config.tieWordEmbeddings
        if tied {
            lmHead = embedding                       // one matrix (converted once) for both roles
            // Tolerate a stored copy of the tied matrix, but only if it really is the same matrix.
            if checkpoint.contains("lm_head.weight") {
                let stored = try storedMatrix("lm_head.weight", V, D)
                guard Self.sameBytes(stored, storedEmbedding) else {
                    throw ErnieError.unexpectedTensor(file: file, tensor: "lm_head.weight", shape: [V, D])
                }
                if embeddingConverted { stored.releaseMappedPages(); storedEmbedding.releaseMappedPages() }
            }
        } else {
            lmHead = try matrix("lm_head.weight", V, D)
        }

        for name in checkpoint.tensorNames where !used.contains(name) && !(config.moe != nil && name.contains("mtp")) {
            throw ErnieError.unexpectedTensor(file: file, tensor: name, shape: try checkpoint.info(name).shape)
        }
    }

    /// The row-major index `i` as coordinates in `shape`: 5 in [2, 3] is [1, 2].
    static func coordinates(_ i: Int, in shape: [Int]) -> [Int] {
        var rest = i
        return shape.reversed().map { n in defer { rest /= n }; return rest % n }.reversed()
    }

    /// Same dtype, shape and bytes.
    private static func sameBytes(_ a: WeightMatrix, _ b: WeightMatrix) -> Bool {
        guard a.storage == b.storage, a.rows == b.rows, a.cols == b.cols else { return false }
        return memcmp(a.base, b.base, a.rows * a.cols * a.bytesPerElement) == 0
    }
}
