// GenerationConfig — `generation_config.json`: the sampling settings a checkpoint recommends.
//
// ERNIE-4.5-0.3B-Base-PT ships (shared/ERNIE45.md §7):
//   {"do_sample": true, "top_p": 0.8, "temperature": 0.8, "bos_token_id": 1, "eos_token_id": 2,
//    "pad_token_id": 0, "repetition_penalty": 1.0, "frequency_penalty": 0.0, "presence_penalty": 0.0}
// Absent keys take transformers' GenerationConfig defaults (greedy: do_sample false, temperature 1, top_p 1,
// top_k 50, repetition_penalty 1). The lab's decoders read these as the starting point the learner can change.

import Foundation

/// The typed contents of `generation_config.json`.
public struct GenerationConfig: Codable, Equatable, Sendable {
    /// `do_sample`: sample (true) or pick the most likely token (false). Absent → false.
    public var doSample: Bool
    /// `temperature` T: logits are divided by T before softmax. Absent → 1.0.
    public var temperature: Double
    /// `top_p`: keep the smallest set of tokens whose probabilities sum to ≥ p. Absent → 1.0 (keep all).
    public var topP: Double
    /// `top_k`: keep the k most likely tokens; 0 keeps all. Absent → 50.
    public var topK: Int
    /// `repetition_penalty` (CTRL, Keskar et al. 2019): divide positive logits of seen tokens by it. Absent → 1.0.
    public var repetitionPenalty: Double
    /// `frequency_penalty` (OpenAI-style): subtract penalty × count. Absent → 0.
    public var frequencyPenalty: Double
    /// `presence_penalty` (OpenAI-style): subtract penalty once per seen token. Absent → 0.
    public var presencePenalty: Double
    /// `max_new_tokens`. Absent → nil (the caller decides).
    public var maxNewTokens: Int?
    /// `bos_token_id`, `eos_token_id` (one id or a list), `pad_token_id`. Absent → nil / [].
    public var bosTokenId: Int?
    public var eosTokenIds: [Int]
    public var padTokenId: Int?

    public init(doSample: Bool = false, temperature: Double = 1.0, topP: Double = 1.0, topK: Int = 50,
                repetitionPenalty: Double = 1.0, frequencyPenalty: Double = 0, presencePenalty: Double = 0,
                maxNewTokens: Int? = nil, bosTokenId: Int? = nil, eosTokenIds: [Int] = [], padTokenId: Int? = nil) {
        self.doSample = doSample; self.temperature = temperature; self.topP = topP; self.topK = topK
        self.repetitionPenalty = repetitionPenalty; self.frequencyPenalty = frequencyPenalty
        self.presencePenalty = presencePenalty; self.maxNewTokens = maxNewTokens
        self.bosTokenId = bosTokenId; self.eosTokenIds = eosTokenIds; self.padTokenId = padTokenId
    }

    /// Reads and validates `generation_config.json`.
    /// - Throws: `ConfigError` naming the file and key.
    public static func load(from url: URL) throws -> GenerationConfig {
        let config = try loadJSONConfig(GenerationConfig.self, from: url)
        try config.validate(file: url.lastPathComponent)
        return config
    }

    /// - Throws: `ConfigError.invalidValue` for a setting no sampler can use.
    public func validate(file: String = "generation_config.json") throws {
        func fail(_ key: String, _ problem: String, _ fix: String) -> ConfigError {
            ConfigError.invalidValue(file: file, key: key, problem: problem, fix: fix)
        }
        // Greedy decoding ignores the temperature, so 0 is accepted there; sampling divides by it.
        guard temperature.isFinite, temperature > 0 || (!doSample && temperature == 0) else {
            throw fail("temperature", "\(temperature) cannot divide the logits",
                       "use a temperature > 0 (e.g. 0.8), or do_sample false for greedy decoding")
        }
        guard topP > 0, topP <= 1 else { throw fail("top_p", "\(topP) is outside (0, 1]", "use e.g. 0.8, or 1.0 to keep all") }
        guard topK >= 0 else { throw fail("top_k", "\(topK) is negative", "use 0 to keep all tokens") }
        guard repetitionPenalty > 0, repetitionPenalty.isFinite else {
            throw fail("repetition_penalty", "\(repetitionPenalty) is not positive", "use 1.0 for no penalty")
        }
        if let n = maxNewTokens, n < 0 { throw fail("max_new_tokens", "\(n) is negative", "use a positive count") }
    }

    enum CodingKeys: String, CodingKey {
        case doSample = "do_sample", temperature, topP = "top_p", topK = "top_k"
        case repetitionPenalty = "repetition_penalty", frequencyPenalty = "frequency_penalty"
        case presencePenalty = "presence_penalty", maxNewTokens = "max_new_tokens"
        case bosTokenId = "bos_token_id", eosTokenIds = "eos_token_id", padTokenId = "pad_token_id"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let eos = try c.decodeTokenIdsIfPresent(forKey: .eosTokenIds) ?? []
        self.init(doSample: try c.decodeIfPresent(Bool.self, forKey: .doSample) ?? false,
                  temperature: try c.decodeIfPresent(Double.self, forKey: .temperature) ?? 1.0,
                  topP: try c.decodeIfPresent(Double.self, forKey: .topP) ?? 1.0,
                  topK: try c.decodeWholeNumberIfPresent(forKey: .topK) ?? 50,
                  repetitionPenalty: try c.decodeIfPresent(Double.self, forKey: .repetitionPenalty) ?? 1.0,
                  frequencyPenalty: try c.decodeIfPresent(Double.self, forKey: .frequencyPenalty) ?? 0,
                  presencePenalty: try c.decodeIfPresent(Double.self, forKey: .presencePenalty) ?? 0,
                  maxNewTokens: try c.decodeWholeNumberIfPresent(forKey: .maxNewTokens),
                  bosTokenId: try c.decodeWholeNumberIfPresent(forKey: .bosTokenId),
                  eosTokenIds: eos,
                  padTokenId: try c.decodeWholeNumberIfPresent(forKey: .padTokenId))
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(doSample, forKey: .doSample)
        try c.encode(temperature, forKey: .temperature)
        try c.encode(topP, forKey: .topP)
        try c.encode(topK, forKey: .topK)
        try c.encode(repetitionPenalty, forKey: .repetitionPenalty)
        try c.encode(frequencyPenalty, forKey: .frequencyPenalty)
        try c.encode(presencePenalty, forKey: .presencePenalty)
        try c.encodeIfPresent(maxNewTokens, forKey: .maxNewTokens)
        try c.encodeIfPresent(bosTokenId, forKey: .bosTokenId)
        if eosTokenIds.count == 1 { try c.encode(eosTokenIds[0], forKey: .eosTokenIds) }
        else if !eosTokenIds.isEmpty { try c.encode(eosTokenIds, forKey: .eosTokenIds) }
        try c.encodeIfPresent(padTokenId, forKey: .padTokenId)
    }
}
