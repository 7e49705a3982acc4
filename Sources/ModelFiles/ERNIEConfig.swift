// ERNIEConfig — `config.json` of an ERNIE-4.5 checkpoint: dense (baidu/ERNIE-4.5-0.3B-PT, -Base-PT, and the lab's
// own tiny models, which are the same architecture at toy size) or mixture-of-experts (model_type "ernie4_5_moe",
// ERNIE-4.5-21B-A3B; its extra keys are ERNIEMoEConfig.swift's).
//
// Three writers of this file exist, and all three decode to the same value (shared/ERNIE45.md §1):
//   remote-code era (2025-07)      "rope_theta": 500000, "torch_dtype": "bfloat16", no head_dim on some copies
//   transformers 4.x (≥ 4.54)      "rope_theta": 500000.0, "torch_dtype": "bfloat16", "head_dim": 128
//   transformers 5.x               "rope_parameters": {"rope_theta": 500000.0, "rope_type": "default"}, "dtype": …
// Keys with no default (the sizes) must be present. The defaults for the others are transformers'
// Ernie4_5Config defaults, which equal the published 0.3B values; each is written on its field.
// Shape legend: D hidden, H/Hkv query/KV heads, Dh head dim, F FFN, V vocab, L layers.

import Foundation
import LabCore

/// The typed contents of an ERNIE-4.5 `config.json`.
public struct ERNIEConfig: Codable, Equatable, Sendable {
    /// `hidden_size`, D (1024 for 0.3B). Required.
    public var hiddenSize: Int
    /// `num_hidden_layers`, L (18). Required.
    public var numHiddenLayers: Int
    /// `num_attention_heads`, H (16). Required.
    public var numAttentionHeads: Int
    /// `num_key_value_heads`, Hkv (2). Absent → H (plain multi-head attention, transformers' rule).
    public var numKeyValueHeads: Int
    /// `head_dim`, Dh (128). Absent or null → D / H. ERNIE-0.3B has H·Dh = 2048 ≠ D, so q_proj is not square.
    public var headDim: Int
    /// `intermediate_size`, F (3072). Required.
    public var intermediateSize: Int
    /// `vocab_size`, V: rows of the embedding (103424; larger than the tokenizer's 101,304). Required.
    public var vocabSize: Int
    /// `max_position_embeddings` (131072). Absent → 131072.
    public var maxPositionEmbeddings: Int
    /// RoPE base θ: `rope_theta` (4.x) or `rope_parameters.rope_theta` (5.x). Absent → 500000.
    public var ropeTheta: Double
    /// `rope_parameters.rope_type` (5.x) or `rope_scaling.rope_type`/`type`. Absent → "default" (no scaling).
    public var ropeType: String
    /// `rms_norm_eps`, ε in RMSNorm (1e-5). Absent → 1e-5.
    public var rmsNormEps: Double
    /// `hidden_act`, the MLP gate activation. Absent → "silu" (SwiGLU); the only one supported.
    public var hiddenAct: String
    /// `tie_word_embeddings`: logits use the embedding matrix (no separate lm_head.weight). Absent → true.
    public var tieWordEmbeddings: Bool
    /// `use_bias`: biases on the attention and MLP projections. Absent → false.
    public var useBias: Bool
    /// `compression_ratio` (remote code only): positions are divided by it. Absent → 1.0.
    public var compressionRatio: Double
    /// `bos_token_id` (1). Absent → 1.
    public var bosTokenId: Int
    /// `eos_token_id`: one id or a list (2). Absent → [2].
    public var eosTokenIds: [Int]
    /// `pad_token_id` (0). Absent → 0.
    public var padTokenId: Int
    /// The stored weight dtype: `dtype` (5.x) or `torch_dtype` (4.x), e.g. "bfloat16". Absent → nil.
    public var dtype: String?
    /// `model_type`. Absent → "ernie4_5".
    public var modelType: String
    /// `architectures`, e.g. ["Ernie4_5ForCausalLM"] (older uploads: "Ernie4_5_ForCausalLM"). Absent → [].
    public var architectures: [String]
    /// The mixture-of-experts keys (ERNIEMoEConfig.swift) when `model_type` is "ernie4_5_moe"; nil for dense models.
    public var moe: ERNIEMoEConfig?

    public init(hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int, numKeyValueHeads: Int? = nil,
                headDim: Int? = nil, intermediateSize: Int, vocabSize: Int,
                maxPositionEmbeddings: Int = 131072, ropeTheta: Double = 500000, ropeType: String = "default",
                rmsNormEps: Double = 1e-5, hiddenAct: String = "silu", tieWordEmbeddings: Bool = true,
                useBias: Bool = false, compressionRatio: Double = 1.0, bosTokenId: Int = 1, eosTokenIds: [Int] = [2],
                padTokenId: Int = 0, dtype: String? = nil, modelType: String = "ernie4_5",
                architectures: [String] = ["Ernie4_5ForCausalLM"], moe: ERNIEMoEConfig? = nil) {
        self.hiddenSize = hiddenSize; self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
        self.headDim = headDim ?? (numAttentionHeads > 0 ? hiddenSize / numAttentionHeads : 0)
        self.intermediateSize = intermediateSize; self.vocabSize = vocabSize
        self.maxPositionEmbeddings = maxPositionEmbeddings; self.ropeTheta = ropeTheta; self.ropeType = ropeType
        self.rmsNormEps = rmsNormEps; self.hiddenAct = hiddenAct; self.tieWordEmbeddings = tieWordEmbeddings
        self.useBias = useBias; self.compressionRatio = compressionRatio
        self.bosTokenId = bosTokenId; self.eosTokenIds = eosTokenIds; self.padTokenId = padTokenId
        self.dtype = dtype; self.modelType = modelType; self.architectures = architectures; self.moe = moe
    }

    /// The published ERNIE-4.5-0.3B shape (both PT and Base), shared/ERNIE45.md §1.
    public static let ernie45_0_3B = ERNIEConfig(
        hiddenSize: 1024, numHiddenLayers: 18, numAttentionHeads: 16, numKeyValueHeads: 2, headDim: 128,
        intermediateSize: 3072, vocabSize: 103424, dtype: "bfloat16")

    /// The published ERNIE-4.5-21B-A3B shape (PT and Base-PT config.json; ERNIEMoEConfig.swift): what the lab
    /// projects its decode speed from (`lmlab bench decode`) without the 44 GB download.
    public static let ernie45_21B_A3B = ERNIEConfig(
        hiddenSize: 2560, numHiddenLayers: 28, numAttentionHeads: 20, numKeyValueHeads: 4, headDim: 128,
        intermediateSize: 12288, vocabSize: 103424, dtype: "bfloat16", modelType: "ernie4_5_moe",
        architectures: ["Ernie4_5_MoeForCausalLM"],
        moe: ERNIEMoEConfig(numExperts: 64, topK: 6, intermediateSize: 1536, numSharedExperts: 2,
                            layerStartIndex: 1, layerEndIndex: 27, layerInterval: 1))

    /// Reads and validates `config.json`.
    /// - Throws: `ConfigError` naming the file, the key and the fix.
    public static func load(from url: URL) throws -> ERNIEConfig {
        let config = try loadJSONConfig(ERNIEConfig.self, from: url)
        try config.validate(file: url.lastPathComponent)
        return config
    }

    /// The size keys of config.json with their values, in the order validate() checks them.
    var sizes: [(key: String, value: Int)] {
        [("hidden_size", hiddenSize), ("num_hidden_layers", numHiddenLayers),
         ("num_attention_heads", numAttentionHeads), ("num_key_value_heads", numKeyValueHeads),
         ("head_dim", headDim), ("intermediate_size", intermediateSize),
         ("vocab_size", vocabSize), ("max_position_embeddings", maxPositionEmbeddings)]
    }

    /// Query width H·Dh (2048 for 0.3B) and key/value width Hkv·Dh (256).
    public var queryWidth: Int { numAttentionHeads * headDim }
    public var keyValueWidth: Int { numKeyValueHeads * headDim }
    /// Query heads served by each KV head (8 for 0.3B): query head h reads KV head h / groupSize.
    public var groupSize: Int { numAttentionHeads / numKeyValueHeads }

    /// The largest value validate() accepts for each size key, checked before anything is allocated. Each is far
    /// above every published dense shape (ERNIE-4.5-0.3B: D 1024, L 18, H 16, Hkv 2, Dh 128, F 3072, V 103424,
    /// 131072 positions; the largest open dense models stay within these too), and together they keep every
    /// product the engine forms (V·D, F·D, H·Dh·D, …) far inside Int: the largest, V·D, is at most 2³⁸.
    public static let maximumSizes: [String: Int] = [
        "hidden_size": 65_536, "num_hidden_layers": 1_024, "num_attention_heads": 1_024,
        "num_key_value_heads": 1_024, "head_dim": 1_024, "intermediate_size": 1_048_576,
        "vocab_size": 4_194_304, "max_position_embeddings": 16_777_216,
    ]
    /// rope_theta lies in (1, 10¹²]: θ ≤ 1 would turn every pair faster than the first (and 1e-300 is 0 as a
    /// Float); published models use 10⁴ to 10⁷.
    public static let maximumRopeTheta = 1e12
    /// rms_norm_eps lies in [10⁻¹², 0.1]: it must stay a positive Float (1e-300 rounds to 0 and a zero row then
    /// divides by zero); published models use 10⁻⁶ to 10⁻⁵.
    public static let rmsNormEpsRange: ClosedRange<Double> = 1e-12...0.1

    /// Checks the invariants the engine relies on: sizes positive and within `maximumSizes`, products without
    /// overflow, θ and ε plausible, token ids inside the vocabulary.
    /// - Throws: `ConfigError.invalidValue` naming the key and how to fix it.
    public func validate(file: String = "config.json") throws {
        func fail(_ key: String, _ problem: String, _ fix: String) -> ConfigError {
            ConfigError.invalidValue(file: file, key: key, problem: problem, fix: fix)
        }
        for (key, value) in sizes {
            guard value > 0 else {
                throw fail(key, "\(value) is not positive", "set \(key) to the model's size (see its model card)")
            }
            let limit = Self.maximumSizes[key]!, example = Self.ernie45_0_3B.sizes.first { $0.key == key }!.value
            guard value <= limit else {
                throw fail(key, "\(value) is above the largest supported value \(limit)",
                           "set \(key) to the model's real size (ERNIE-4.5-0.3B has \(example))")
            }
        }
        // Bounded factors cannot overflow, but the products are checked anyway so no later edit of the bounds can
        // make a width wrap around silently.
        for (key, a, b) in [("num_attention_heads × head_dim", numAttentionHeads, headDim),
                            ("num_key_value_heads × head_dim", numKeyValueHeads, headDim),
                            ("vocab_size × hidden_size", vocabSize, hiddenSize),
                            ("intermediate_size × hidden_size", intermediateSize, hiddenSize)] {
            guard !a.multipliedReportingOverflow(by: b).overflow else {
                throw fail(key, "\(a) × \(b) does not fit in 64 bits", "use the model's real sizes")
            }
        }
        guard numKeyValueHeads <= numAttentionHeads else {
            throw fail("num_key_value_heads", "\(numKeyValueHeads) is more than num_attention_heads \(numAttentionHeads)",
                       "each KV head serves a group of query heads: use a divisor of num_attention_heads")
        }
        guard numAttentionHeads % numKeyValueHeads == 0 else {
            throw fail("num_key_value_heads", "\(numKeyValueHeads) does not divide num_attention_heads "
                       + "\(numAttentionHeads)", "grouped-query attention needs H to be a multiple of Hkv")
        }
        guard headDim % 2 == 0 else {
            throw fail("head_dim", "\(headDim) is odd", "RoPE rotates pairs (2i, 2i+1): use an even head_dim")
        }
        guard ropeTheta > 1, ropeTheta <= Self.maximumRopeTheta else {
            throw fail("rope_theta", "\(ropeTheta) is outside the plausible range (1, 1e12]",
                       "RoPE's base is a large number: ERNIE-4.5 uses 500000, Llama 2 uses 10000")
        }
        guard ropeType == "default" else {
            throw fail("rope_parameters.rope_type", "\(VisibleText.quoted(ropeType)) scaling is not implemented",
                       "use \"default\" (ERNIE-4.5 dense models do not scale RoPE)")
        }
        guard Self.rmsNormEpsRange.contains(rmsNormEps) else {
            throw fail("rms_norm_eps", "\(rmsNormEps) is not a small positive number in [1e-12, 0.1]",
                       "ERNIE-4.5 uses 1e-05")
        }
        guard hiddenAct == "silu" else {
            throw fail("hidden_act", "\(VisibleText.quoted(hiddenAct)) is not supported",
                       "ERNIE-4.5 uses \"silu\" (SwiGLU)")
        }
        guard compressionRatio > 0, compressionRatio.isFinite else {
            throw fail("compression_ratio", "\(compressionRatio) is not positive", "remove the key (default 1.0)")
        }
        switch (modelType, moe) {
        case ("ernie4_5", nil): break
        case ("ernie4_5_moe", let moe?): try moe.validate(file: file, layers: numHiddenLayers, hiddenSize: hiddenSize)
        case ("ernie4_5", _?), ("ernie4_5_moe", nil):
            throw fail("model_type", "\(VisibleText.quoted(modelType)) disagrees with the MoE settings given with it",
                       "use \"ernie4_5_moe\" with MoE keys and \"ernie4_5\" without")
        default:
            throw fail("model_type", "\(VisibleText.quoted(modelType)) is not an ERNIE-4.5 model",
                       "point --model at an ERNIE-4.5 checkpoint (model_type \"ernie4_5\" or \"ernie4_5_moe\")")
        }
        for (key, id) in [("bos_token_id", bosTokenId), ("pad_token_id", padTokenId)]
            + eosTokenIds.map({ ("eos_token_id", $0) }) where id < 0 || id >= vocabSize {
            throw fail(key, "\(id) is outside the vocabulary 0..<\(vocabSize)", "use the tokenizer's id for it")
        }
    }

    // MARK: Codable

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        func key(_ s: String) -> AnyCodingKey { AnyCodingKey(s) }
        func int(_ s: String) throws -> Int? { try c.decodeWholeNumberIfPresent(forKey: key(s)) }
        func double(_ s: String) throws -> Double? { try c.decodeIfPresent(Double.self, forKey: key(s)) }
        func bool(_ s: String) throws -> Bool? { try c.decodeIfPresent(Bool.self, forKey: key(s)) }
        func string(_ s: String) throws -> String? { try c.decodeIfPresent(String.self, forKey: key(s)) }
        func required(_ s: String) throws -> Int { try c.decodeWholeNumber(forKey: key(s)) }

        // RoPE: 5.x nests it in rope_parameters; 4.x has rope_theta on top and rope_scaling (null or an object).
        struct RopeParameters: Decodable {
            var rope_theta: Double?
            var rope_type: String?
            var type: String?
        }
        let nested = try c.decodeIfPresent(RopeParameters.self, forKey: key("rope_parameters"))
        let scaling = try c.decodeIfPresent(RopeParameters.self, forKey: key("rope_scaling"))
        let topTheta = try double("rope_theta")
        if let a = topTheta, let b = nested?.rope_theta, a != b {
            throw DecodingError.dataCorrupted(.init(
                codingPath: [key("rope_theta")],
                debugDescription: "\(a) disagrees with rope_parameters.rope_theta \(b); keep one value"))
        }
        let ropeType = nested?.rope_type ?? nested?.type ?? scaling?.rope_type ?? scaling?.type ?? "default"

        // eos_token_id: an integer or a list of integers.
        let eos = try c.decodeTokenIdsIfPresent(forKey: key("eos_token_id")) ?? [2]
        let modelType = try string("model_type") ?? "ernie4_5"
        let layers = try required("num_hidden_layers")

        self.init(hiddenSize: try required("hidden_size"),
                  numHiddenLayers: layers,
                  numAttentionHeads: try required("num_attention_heads"),
                  numKeyValueHeads: try int("num_key_value_heads"),
                  headDim: try int("head_dim"),
                  intermediateSize: try required("intermediate_size"),
                  vocabSize: try required("vocab_size"),
                  maxPositionEmbeddings: try int("max_position_embeddings") ?? 131072,
                  ropeTheta: topTheta ?? nested?.rope_theta ?? 500000,
                  ropeType: ropeType,
                  rmsNormEps: try double("rms_norm_eps") ?? 1e-5,
                  hiddenAct: try string("hidden_act") ?? "silu",
                  tieWordEmbeddings: try bool("tie_word_embeddings") ?? true,
                  useBias: try bool("use_bias") ?? false,
                  compressionRatio: try double("compression_ratio") ?? 1.0,
                  bosTokenId: try int("bos_token_id") ?? 1,
                  eosTokenIds: eos,
                  padTokenId: try int("pad_token_id") ?? 0,
                  dtype: try string("dtype") ?? string("torch_dtype"),
                  modelType: modelType,
                  architectures: try c.decodeIfPresent([String].self, forKey: key("architectures")) ?? [],
                  moe: modelType == "ernie4_5_moe" ? try ERNIEMoEConfig(from: c, layers: layers) : nil)
    }

    /// Writes a file that both transformers 4.x and 5.x read: rope_theta and torch_dtype on top (4.x),
    /// rope_parameters and dtype as well (5.x). Keys are sorted, as `save_pretrained` writes them.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        func put<T: Encodable>(_ value: T, _ name: String) throws { try c.encode(value, forKey: AnyCodingKey(name)) }
        try put(architectures, "architectures")
        try put(bosTokenId, "bos_token_id")
        if let dtype { try put(dtype, "dtype"); try put(dtype, "torch_dtype") }
        if eosTokenIds.count == 1 { try put(eosTokenIds[0], "eos_token_id") } else { try put(eosTokenIds, "eos_token_id") }
        try put(headDim, "head_dim")
        try put(hiddenAct, "hidden_act")
        try put(hiddenSize, "hidden_size")
        try put(intermediateSize, "intermediate_size")
        try put(maxPositionEmbeddings, "max_position_embeddings")
        try put(modelType, "model_type")
        try put(numAttentionHeads, "num_attention_heads")
        try put(numHiddenLayers, "num_hidden_layers")
        try put(numKeyValueHeads, "num_key_value_heads")
        try put(padTokenId, "pad_token_id")
        try put(rmsNormEps, "rms_norm_eps")
        try put(["rope_theta": AnyJSONScalar.number(ropeTheta), "rope_type": .string(ropeType)], "rope_parameters")
        try put(ropeTheta, "rope_theta")
        try put(tieWordEmbeddings, "tie_word_embeddings")
        try put(useBias, "use_bias")
        try put(vocabSize, "vocab_size")
        if compressionRatio != 1.0 { try put(compressionRatio, "compression_ratio") }
        try moe?.encode(into: &c)
    }

    /// Pretty, key-sorted JSON as `save_pretrained` writes it.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}

/// A JSON string or number, for writing small mixed objects.
enum AnyJSONScalar: Encodable {
    case string(String)
    case number(Double)
    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .string(let s): try c.encode(s)
        case .number(let x): try c.encode(x)
        }
    }
}
