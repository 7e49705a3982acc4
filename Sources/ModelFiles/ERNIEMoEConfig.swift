// ERNIEMoEConfig — the mixture-of-experts keys of an `ernie4_5_moe` config.json (baidu/ERNIE-4.5-21B-A3B-PT and
// -Base-PT, and tiny random checkpoints of the same layout).
//
// In an MoE layer the dense feed-forward block is replaced by E small SwiGLU "experts" and a router that picks k of
// them for each token; `moe_num_shared_experts` more run on every token. 21B-A3B: E = 64, k = 6, expert width
// Fe = 1536, 2 shared experts (one SwiGLU of width 2·Fe), layers 1…27 MoE and layer 0 dense.
// Which layers are MoE (transformers' Ernie4_5_MoeDecoderLayer):
//   layer i is MoE  ⇔  (i + 1) mod moe_layer_interval = 0  and  moe_layer_start_index ≤ i ≤ moe_layer_end_index
// Defaults are transformers' Ernie4_5_MoeConfig defaults (= 21B-A3B); moe_layer_end_index −1 or absent means the
// last layer. The Hub config also carries training-only keys (moe_capacity, moe_gate, moe_use_aux_free, …),
// which the forward pass does not read.

import Foundation

/// The MoE keys of config.json. Shape legend: E experts, k chosen per token, Fe expert FFN width, D hidden.
public struct ERNIEMoEConfig: Equatable, Sendable {
    /// `moe_num_experts`, E (64 in 21B-A3B).
    public var numExperts: Int
    /// `moe_k`, experts chosen per token (6).
    public var topK: Int
    /// `moe_intermediate_size`, Fe: the FFN width of one expert (1536).
    public var intermediateSize: Int
    /// `moe_num_shared_experts` (2): one extra SwiGLU of width shared·Fe, applied to every token, unweighted.
    public var numSharedExperts: Int
    /// `moe_layer_start_index` (1): the first layer that may be MoE.
    public var layerStartIndex: Int
    /// `moe_layer_end_index` (27): the last layer that may be MoE (−1 in the file: the last layer).
    public var layerEndIndex: Int
    /// `moe_layer_interval` (1): only layers with (i + 1) divisible by it are MoE.
    public var layerInterval: Int
    /// `moe_norm_min` (1e-12): the chosen experts' probabilities are divided by max(their sum, this).
    public var normMin: Double

    public init(numExperts: Int = 64, topK: Int = 6, intermediateSize: Int = 1536, numSharedExperts: Int = 2,
                layerStartIndex: Int = 1, layerEndIndex: Int, layerInterval: Int = 1, normMin: Double = 1e-12) {
        self.numExperts = numExperts; self.topK = topK; self.intermediateSize = intermediateSize
        self.numSharedExperts = numSharedExperts; self.layerStartIndex = layerStartIndex
        self.layerEndIndex = layerEndIndex; self.layerInterval = layerInterval; self.normMin = normMin
    }

    /// Whether decoder layer `i` has the routed block (otherwise the dense SwiGLU of width intermediate_size).
    public func isMoELayer(_ i: Int) -> Bool {
        (i + 1) % layerInterval == 0 && i >= layerStartIndex && i <= layerEndIndex
    }

    /// The largest E the engine accepts (the published ERNIE-4.5 models have 64; DeepSeek-V3 has 256).
    public static let maximumExperts = 1_024

    /// Sizes positive and bounded, 1 ≤ k ≤ E, the layer range inside the model.
    /// - Throws: `ConfigError.invalidValue` naming the key and the fix.
    func validate(file: String, layers: Int, hiddenSize: Int) throws {
        func fail(_ key: String, _ problem: String, _ fix: String) -> ConfigError {
            ConfigError.invalidValue(file: file, key: key, problem: problem, fix: fix)
        }
        guard (1...Self.maximumExperts).contains(numExperts) else {
            throw fail("moe_num_experts", "\(numExperts) is outside 1…\(Self.maximumExperts)",
                       "set it to the model's number of routed experts (ERNIE-4.5-21B-A3B has 64)")
        }
        guard (1...numExperts).contains(topK) else {
            throw fail("moe_k", "\(topK) is outside 1…moe_num_experts (\(numExperts))",
                       "set it to the experts chosen per token (ERNIE-4.5-21B-A3B uses 6)")
        }
        let limit = ERNIEConfig.maximumSizes["intermediate_size"]!
        guard (1...limit).contains(intermediateSize) else {
            throw fail("moe_intermediate_size", "\(intermediateSize) is outside 1…\(limit)",
                       "set it to one expert's FFN width (ERNIE-4.5-21B-A3B has 1536)")
        }
        guard (0...64).contains(numSharedExperts) else {
            throw fail("moe_num_shared_experts", "\(numSharedExperts) is outside 0…64",
                       "set it to the number of always-on experts (ERNIE-4.5-21B-A3B has 2)")
        }
        guard !(max(1, numSharedExperts) * intermediateSize).multipliedReportingOverflow(by: hiddenSize).overflow,
              !(numExperts * intermediateSize).multipliedReportingOverflow(by: hiddenSize).overflow else {
            throw fail("moe_intermediate_size", "the experts' sizes do not fit in 64 bits", "use the model's real sizes")
        }
        guard layerInterval >= 1 else {
            throw fail("moe_layer_interval", "\(layerInterval) is not positive", "use 1 (every layer in range is MoE)")
        }
        guard layerStartIndex >= 0, layerStartIndex < layers else {
            throw fail("moe_layer_start_index", "\(layerStartIndex) is outside the layers 0…\(layers - 1)",
                       "ERNIE-4.5-21B-A3B uses 1 (layer 0 stays dense)")
        }
        guard layerEndIndex < layers else {
            throw fail("moe_layer_end_index", "\(layerEndIndex) is beyond the last layer \(layers - 1)",
                       "use \(layers - 1) or -1 (the last layer)")
        }
        guard normMin.isFinite, normMin >= 0 else {
            throw fail("moe_norm_min", "\(normMin) is not a small non-negative number", "ERNIE-4.5 uses 1e-12")
        }
    }

    /// Reads the MoE keys; `layers` resolves moe_layer_end_index −1.
    init(from c: KeyedDecodingContainer<AnyCodingKey>, layers: Int) throws {
        func int(_ s: String) throws -> Int? { try c.decodeWholeNumberIfPresent(forKey: AnyCodingKey(s)) }
        let end = try int("moe_layer_end_index") ?? -1
        self.init(numExperts: try int("moe_num_experts") ?? 64, topK: try int("moe_k") ?? 6,
                  intermediateSize: try int("moe_intermediate_size") ?? 1536,
                  numSharedExperts: try int("moe_num_shared_experts") ?? 2,
                  layerStartIndex: try int("moe_layer_start_index") ?? 1,
                  layerEndIndex: end == -1 ? layers - 1 : end,
                  layerInterval: try int("moe_layer_interval") ?? 1,
                  normMin: try c.decodeIfPresent(Double.self, forKey: AnyCodingKey("moe_norm_min")) ?? 1e-12)
    }

    /// Writes the MoE keys as transformers' save_pretrained does.
    func encode(into c: inout KeyedEncodingContainer<AnyCodingKey>) throws {
        for (key, value) in [("moe_intermediate_size", intermediateSize), ("moe_k", topK),
                             ("moe_layer_end_index", layerEndIndex), ("moe_layer_interval", layerInterval),
                             ("moe_layer_start_index", layerStartIndex), ("moe_num_experts", numExperts),
                             ("moe_num_shared_experts", numSharedExperts)] {
            try c.encode(value, forKey: AnyCodingKey(key))
        }
        try c.encode(normMin, forKey: AnyCodingKey("moe_norm_min"))
    }
}
