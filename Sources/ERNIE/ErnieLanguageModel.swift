// ERNIE as a `LanguageModel` (LabCore): what every decoder and explorer of the lab talks to.
//
// State is the KV cache of one sequence. Log-probabilities are log_softmax of the float32 logits
// (shared/ERNIE45.md §8):  log P(t | context) = z_t − log Σ_v e^(z_v).
// `scoreAll` runs the whole text as one prefill (matrix products); `append` of one token is a decode step
// (matrix–vector products); `appendBatch` advances several beams with one pass over the weights.

import LabCore

extension ErnieModel: LanguageModel {
    public typealias State = KVCache

    /// `bos_token_id` from config.json (`<s>` = 1 for ERNIE-4.5).
    public var startToken: Int? { config.bosTokenId }
    /// `eos_token_id` from config.json (`</s>` = 2 for ERNIE-4.5).
    public var endTokens: Set<Int> { Set(config.eosTokenIds) }

    public func makeState() throws -> KVCache { makeCache() }

    public func append(_ tokens: [Int], to state: inout KVCache) throws -> [Float] {
        precondition(!tokens.isEmpty, "append: no tokens")
        return logProbabilities(try logits(tokens, cache: &state, allPositions: false)[0])
    }

    public func scoreAll(_ tokens: [Int], from state: inout KVCache) throws -> [[Float]] {
        try logits(tokens, cache: &state, allPositions: true).map(logProbabilities)
    }

    public func appendBatch(_ tokens: [Int], to states: inout [KVCache]) throws -> [[Float]] {
        try logitsBatch(tokens, caches: &states).map(logProbabilities)
    }
}

/// log_softmax of one row of logits [V], in float32.
public func logProbabilities(_ logits: [Float]) -> [Float] {
    var out = [Float](repeating: 0, count: logits.count)
    logits.withUnsafeBufferPointer { x in
        out.withUnsafeMutableBufferPointer { y in
            logSoftmax(rows: 1, cols: x.count, x: x.baseAddress!, y: y.baseAddress!)
        }
    }
    return out
}
