// TinyErnie — ERNIE-4.5's decoder as an Autograd model: the same graph as the inference engine (Sources/ERNIE), at a
// size the lab trains on two cores (lesson 7), with every weight under its Hugging Face checkpoint name so the saved
// folder is an ordinary `ernie4_5` checkpoint that the engine and transformers load unchanged.
//
// The forward pass over B sequences of T tokens each (shared/ERNIE45.md §2):
//   h = E[ids]                                                   [B·T, D]   no embedding scaling
//   for each layer:
//     x = RMSNorm(h; input_layernorm)                            [B·T, D]
//     q = RoPE(x Wqᵀ), k = RoPE(x Wkᵀ), v = x Wvᵀ                [B·T, H·Dh], [B·T, Hkv·Dh]   interleaved pairs (2i, 2i+1)
//     a = softmax(q kᵀ/√Dh + causal) v  per sequence and head    [B·T, H·Dh]   query head h reads KV head ⌊h / (H/Hkv)⌋
//     h = h + a Woᵀ                                              [B·T, D]
//     m = RMSNorm(h; post_attention_layernorm)
//     h = h + Wdown(silu(Wgate m) ⊙ Wup m)                       [B·T, D]   SwiGLU (Shazeer 2020, arXiv:2002.05202)
//       or, in an MoE layer (model_type ernie4_5_moe): h = h + MoE(m)   routed experts (MixtureOfExpertsBlock.swift)
//   logits = RMSNorm(h; norm) Eᵀ                                 [B·T, V]   tied embeddings: no lm_head.weight
//
// Shape legend: B sequences, T tokens, D hidden, H/Hkv query/KV heads, Dh head dim, F FFN, V vocab.

import Autograd
import Foundation
import LabCore
import ModelFiles

/// The tiny ERNIE: parameters by checkpoint name, a batched forward pass, HF-layout save and strict load.
public final class TinyErnie {
    public let config: ERNIEConfig
    /// Every trainable tensor by its checkpoint name (nn.Linear layout [out, in]):
    ///   model.embed_tokens.weight [V, D] · model.norm.weight [D]
    ///   model.layers.{i}.input_layernorm.weight [D] · .post_attention_layernorm.weight [D]
    ///   model.layers.{i}.self_attn.q_proj.weight [H·Dh, D] · k_proj, v_proj [Hkv·Dh, D] · o_proj [D, H·Dh]
    ///   model.layers.{i}.mlp.gate_proj.weight, up_proj [F, D] · down_proj [D, F]
    ///   MoE layers instead: mlp.gate.weight [E, D] · mlp.experts.{e}.{gate,up}_proj [Fe, D], down_proj [D, Fe] ·
    ///   mlp.shared_experts.{gate,up}_proj [S·Fe, D], down_proj [D, S·Fe]
    public let parameters: [String: Variable]
    /// model.layers.{i}.mlp.moe_statics.e_score_correction_bias [1, E] of each MoE layer i, as [E]: it moves the
    /// router's choice and is set by load balancing, not by gradients (`balanceExperts`), so AdamW never sees it.
    public internal(set) var correctionBiases: [Int: [Float]]
    /// The names in a fixed order (the optimizer keeps its state by position, checkpoints by name).
    public let names: [String]

    /// The checkpoint names this config needs, in a fixed order (ModelFiles' `checkpointShapes`, dense or MoE; the
    /// tiny ERNIE is always tied, so there is no lm_head.weight).
    public static func parameterShapes(_ c: ERNIEConfig) -> [(name: String, shape: [Int])] { c.checkpointShapes }

    /// A freshly initialised model: matrices ~ N(0, σ²) (transformers' `initializer_range`, 0.02), norm gains 1.
    /// The same seed gives the same weights on every machine (SeededRNG).
    /// - Throws: `TinyErnieError.unsupportedConfig` for configs this trainer does not build (untied, biases, …).
    public convenience init(config: ERNIEConfig, seed: UInt64, initStd: Float = 0.02) throws {
        try Self.check(config)                                  // before a tensor of a wrapped size is allocated
        var rng = SeededRNG(seed: seed)
        var tensors: [String: Tensor] = [:]
        for (name, shape) in Self.parameterShapes(config) {
            tensors[name] = shape.count == 1 ? Tensor.ones(shape) : Tensor.randn(shape, std: initStd, rng: &rng)
        }
        for (name, shape) in config.statisticShapes { tensors[name] = Tensor.zeros(shape) }
        try self.init(config: config, tensors: tensors, source: "seed \(seed)")
    }

    /// A model from named tensors; every name of `parameterShapes` must be present with its shape, and nothing else.
    public init(config: ERNIEConfig, tensors: [String: Tensor], source: String) throws {
        try Self.check(config)
        let shapes = Self.parameterShapes(config)
        var params: [String: Variable] = [:]
        for (name, shape) in shapes {
            guard let t = tensors[name] else { throw TinyErnieError.missingTensor(file: source, name: name) }
            guard t.shape == shape else {
                throw TinyErnieError.wrongShape(file: source, name: name, shape: t.shape, expected: shape)
            }
            params[name] = Variable.parameter(t)
        }
        var biases: [Int: [Float]] = [:]
        for (name, shape) in config.statisticShapes {
            guard let t = tensors[name] else { throw TinyErnieError.missingTensor(file: source, name: name) }
            guard t.shape == shape else {
                throw TinyErnieError.wrongShape(file: source, name: name, shape: t.shape, expected: shape)
            }
            biases[Self.layerIndex(of: name)] = t.data
        }
        let known = Set(shapes.map(\.name) + config.statisticShapes.map(\.name))
        if let extra = tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw TinyErnieError.unexpectedTensor(file: source, name: extra)
        }
        self.config = config
        self.parameters = params
        self.names = shapes.map(\.name)
        self.correctionBiases = biases
    }

    /// Loads `config.json` and `model.safetensors` of a folder strictly (any missing, extra or misshapen tensor
    /// is an error naming the file).
    public convenience init(folder: URL) throws {
        let config = try ERNIEConfig.load(from: folder.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: folder.appendingPathComponent("model.safetensors"))
        var tensors: [String: Tensor] = [:]
        for name in file.tensorNames { tensors[name] = try file.tensor(name).toTensor() }
        try self.init(config: config, tensors: tensors, source: file.url.path)
    }

    static func check(_ c: ERNIEConfig) throws {
        try c.validate()
        _ = try parameterCount(c)
        guard c.tieWordEmbeddings else {
            throw TinyErnieError.unsupportedConfig("tie_word_embeddings is false; the tiny ERNIE ties its output to the embedding. HINT: set \"tie_word_embeddings\": true")
        }
        guard !c.useBias else { throw TinyErnieError.unsupportedConfig("use_bias is true; ERNIE-4.5 has no biases. HINT: set \"use_bias\": false") }
        guard c.hiddenAct == "silu" else { throw TinyErnieError.unsupportedConfig("hidden_act \"\(c.hiddenAct)\"; only silu (SwiGLU) is built") }
        guard c.compressionRatio == 1 else { throw TinyErnieError.unsupportedConfig("compression_ratio \(c.compressionRatio); only 1.0 is built") }
    }

    /// The layer index i of a name "model.layers.{i}.…".
    static func layerIndex(of name: String) -> Int {
        Int(name.dropFirst("model.layers.".count).prefix { $0 != "." })!
    }

    /// Trainable scalars of `c`, counted before anything is allocated (the config may come from a stranger's
    /// folder, and this target is built without overflow traps):
    ///   V·D + D + L·(2·D + (2·H·Dh + 2·Hkv·Dh)·D) + Σ_layers FFN, FFN = 3·F·D dense, E·D + (E + S)·3·Fe·D MoE
    /// - Throws: `TinyErnieError.unsupportedConfig` when the count does not fit in an Int.
    public static func parameterCount(_ c: ERNIEConfig) throws -> Int {
        let (d, h, kv, dh, f, v, l) = (c.hiddenSize, c.numAttentionHeads, c.numKeyValueHeads, c.headDim,
                                       c.intermediateSize, c.vocabSize, c.numHiddenLayers)
        let perLayer = checkedSum([[2, d], [2, h, dh, d], [2, kv, dh, d]])
        let moeLayers = c.moe.map { m in (0..<max(0, l)).filter(m.isMoELayer).count } ?? 0
        let routed = c.moe.flatMap { m in checkedSum([[m.numExperts, d], [m.numExperts + m.numSharedExperts, 3, m.intermediateSize, d]]) } ?? 0
        guard let perLayer, let total = checkedSum([[v, d], [1, d], [l, perLayer], [l - moeLayers, 3, f, d],
                                                    [moeLayers, routed]]) else {
            throw TinyErnieError.unsupportedConfig("the parameter count of hidden_size \(d), num_hidden_layers \(l), "
                + "num_attention_heads \(h)/num_key_value_heads \(kv) × head_dim \(dh), intermediate_size \(f), "
                + "vocab_size \(v) does not fit in a 64-bit integer. HINT: use sizes a CPU can train (see lmlab train tiny-ernie --help)")
        }
        return total
    }

    /// Bytes a training run of `batch` sequences of `sequenceLength` tokens holds at its peak, estimated before it
    /// starts, in Float32: each parameter with its gradient and AdamW's two moments (16 bytes), and one step's
    /// graph with its gradients — per token and layer about 8·D + 3·H·Dh + 4·Hkv·Dh + 4·F floats plus H rows of T
    /// attention weights, and the [B·T, V] logits with their softmax. Nil when the count does not fit in an Int.
    public static func trainingBytes(_ c: ERNIEConfig, batch: Int, sequenceLength t: Int) -> Int? {
        guard let parameters = try? parameterCount(c) else { return nil }
        let (d, h, kv, dh, f, v, l) = (c.hiddenSize, c.numAttentionHeads, c.numKeyValueHeads, c.headDim,
                                       c.intermediateSize, c.vocabSize, c.numHiddenLayers)
        // An MoE layer holds k + S expert widths per token, the gathered rows and the router's [E] columns.
        let ffn = c.moe.map { m in max(f, (m.topK + m.numSharedExperts) * m.intermediateSize + (m.topK * d + m.numExperts) / 2) } ?? f
        guard let perToken = checkedSum([[8, d], [3, h, dh], [4, kv, dh], [4, ffn], [h, t]]),
              let graph = checkedSum([[l, batch, t, perToken], [3, batch, t, v]]) else { return nil }
        return checkedSum([[16, parameters], [2, 4, graph]])      // the graph and its gradients, 4 bytes a float
    }

    /// The parameters in `names` order.
    public var parameterList: [Variable] { names.map { parameters[$0]! } }

    /// Number of trainable scalars.
    public var parameterCount: Int { parameterList.reduce(0) { $0 + $1.value.count } }

    /// Next-token logits for `batch` sequences of equal length laid end to end in `ids` (B·T ids); positions restart
    /// at 0 in every sequence. Returns [B·T, V]; row b·T + t predicts the token after ids[b·T + t].
    /// `recordLoad(i, load)` hears how many tokens each expert of MoE layer i received.
    public func forward(_ ids: [Int], batch: Int, recordLoad: ((Int, [Int]) -> Void)? = nil) -> Variable {
        precondition(batch > 0 && ids.count % batch == 0, "TinyErnie.forward: \(ids.count) ids do not split into \(batch) sequences")
        let c = config
        let (t, heads, kvHeads, dh) = (ids.count / batch, c.numAttentionHeads, c.numKeyValueHeads, c.headDim)
        let eps = Float(c.rmsNormEps)
        let w = parameters
        let table = w["model.embed_tokens.weight"]!
        let rotations = RopeTable(length: t, headDim: dh, theta: c.ropeTheta)

        var h = embedding(table, ids: ids)                                                     // [B·T, D]
        for i in 0..<c.numHiddenLayers {
            let p = "model.layers.\(i)."
            let x = rmsNorm(h, weight: w[p + "input_layernorm.weight"]!, eps: eps)              // [B·T, D]
            // The projections stay in row layout [B·T, heads·Dh]; RoPE rotates each row by its position t.
            let q = ropeRows(linear(x, weight: w[p + "self_attn.q_proj.weight"]!), table: rotations)   // [B·T, H·Dh]
            let k = ropeRows(linear(x, weight: w[p + "self_attn.k_proj.weight"]!), table: rotations)   // [B·T, Hkv·Dh]
            let v = linear(x, weight: w[p + "self_attn.v_proj.weight"]!)                              // [B·T, Hkv·Dh]
            // Query head h of sequence b reads KV head ⌊h / (H/Hkv)⌋ of the same sequence (ERNIE's repeat_kv).
            let a = groupedCausalAttention(q: q, k: k, v: v, batch: batch, heads: heads, kvHeads: kvHeads,
                                           headDim: dh)                                        // [B·T, H·Dh]
            h = h + linear(a, weight: w[p + "self_attn.o_proj.weight"]!)                  // [B·T, D]
            let m = rmsNorm(h, weight: w[p + "post_attention_layernorm.weight"]!, eps: eps)     // [B·T, D]
            if let moe = moeBlock(layer: i) {
                let (y, load) = moe(m)                                                           // [B·T, D]
                recordLoad?(i, load)
                h = h + y
            } else {
                h = h + SwiGLUParameters(prefix: p + "mlp.", in: w)(m)                             // [B·T, D]
            }
        }
        h = rmsNorm(h, weight: w["model.norm.weight"]!, eps: eps)                               // [B·T, D]
        return linear(h, weight: table)                                                          // [B·T, V]
    }

    /// The tensors by name, for saving.
    public var tensors: [String: Tensor] {
        var out = Dictionary(uniqueKeysWithValues: names.map { ($0, parameters[$0]!.value) })
        for (i, b) in correctionBiases { out[ERNIEConfig.correctionBiasName(layer: i)] = Tensor(shape: [1, b.count], data: b) }
        return out
    }

    /// Writes `config.json` and `model.safetensors` (metadata format "pt", no lm_head.weight: tied) into `folder`,
    /// creating it. Other files of the folder (tokenizer, card) are left alone. `dtype` .bf16 stores the matrices
    /// and gains as bfloat16 but keeps the routers and correction biases in float32, as transformers keeps them
    /// (`_keep_in_fp32_modules`); checkpoints for resuming are always float32.
    public func save(to folder: URL, dtype: SafetensorsDType = .f32) throws {
        try createFolder(folder, for: Learner.text("the model's files", "模型文件"))
        var writer = SafetensorsWriter(metadata: ["format": "pt"])
        let all = tensors
        for name in names + correctionBiases.keys.sorted().map(ERNIEConfig.correctionBiasName) {
            let keepF32 = name.hasSuffix("mlp.gate.weight") || name.contains("moe_statics")
            try writer.add(name, tensor: all[name]!, as: keepF32 ? .f32 : dtype)
        }
        try writer.write(to: folder.appendingPathComponent("model.safetensors"))
        var c = config
        c.dtype = dtype == .bf16 ? "bfloat16" : "float32"
        try c.jsonData().write(to: folder.appendingPathComponent("config.json"), options: .atomic)
    }
}

/// Σ of the products of `terms`, or nil when a product or the sum overflows an Int (or a factor is negative).
func checkedSum(_ terms: [[Int]]) -> Int? {
    var sum = 0
    for factors in terms {
        var product = 1
        for x in factors {
            guard x >= 0 else { return nil }
            let (p, overflow) = product.multipliedReportingOverflow(by: x)
            if overflow { return nil }
            product = p
        }
        let (s, overflow) = sum.addingReportingOverflow(product)
        if overflow { return nil }
        sum = s
    }
    return sum
}

/// Why a tiny ERNIE could not be built or loaded; each message names the file and says what to do.
public enum TinyErnieError: Error, Equatable, CustomStringConvertible {
    case missingTensor(file: String, name: String)
    case unexpectedTensor(file: String, name: String)
    case wrongShape(file: String, name: String, shape: [Int], expected: [Int])
    case unsupportedConfig(String)
    case badData(file: String, reason: String)
    case badCheckpoint(file: String, reason: String)
    case noCheckpoint(folder: String)

    public var description: String {
        switch self {
        case let .missingTensor(file, name):
            return Learner.text(
                "\(file): tensor \"\(name)\" is missing. HINT: the checkpoint does not match config.json; re-save it with `lmlab train tiny-ernie`.",
                "\(file)：缺少张量 \"\(name)\"。HINT：检查点与 config.json 不符；用 `lmlab train tiny-ernie` 重新保存。")
        case let .unexpectedTensor(file, name):
            return Learner.text(
                "\(file): unexpected tensor \"\(name)\" (strict load: every tensor must be used). HINT: check config.json (layers, tie_word_embeddings) against the checkpoint.",
                "\(file)：多出了张量 \"\(name)\"（严格加载：每个张量都必须用上）。HINT：对照检查点核对 config.json（层数、tie_word_embeddings）。")
        case let .wrongShape(file, name, shape, expected):
            return Learner.text(
                "\(file): tensor \"\(name)\" has shape \(shape), config.json implies \(expected). HINT: the config and weights come from different models.",
                "\(file)：张量 \"\(name)\" 的形状是 \(shape)，按 config.json 应为 \(expected)。HINT：配置和权重来自不同的模型。")
        case let .unsupportedConfig(reason):
            return "config.json: \(reason)."
        case let .badData(file, reason):
            return Learner.text("\(file): \(reason)", "\(file)：\(reason)")
        case let .badCheckpoint(file, reason):
            return Learner.text("\(file): \(reason) HINT: delete the checkpoint folder to start over, or pass the right --out.",
                                "\(file)：\(reason)HINT：删掉检查点文件夹重新开始，或给出正确的 --out。")
        case let .noCheckpoint(folder):
            return Learner.text(
                "\(folder): no checkpoint here (the folder does not exist), so there is nothing to resume. "
                    + "HINT: leave out --resume to start a new run, or pass the --out of the run you stopped.",
                "\(folder)：这里没有检查点（文件夹不存在），没有可以接着训练的。"
                    + "HINT：去掉 --resume 开始新的训练，或给出你停下的那次训练的 --out。")
        }
    }
}
