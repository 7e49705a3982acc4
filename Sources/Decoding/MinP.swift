// MinP — keep the tokens at least min_p times as likely as the most likely one (transformers' MinPLogitsWarper).
// Nguyen et al. (2024), "Turning Up the Heat: Min-p Sampling for Creative and Coherent LLM Outputs",
// https://arxiv.org/abs/2407.01082.
//
// Unlike top-p the cut scales with the model's confidence: a peaked distribution keeps few tokens, a flat one many.

public struct MinP: LogitsProcessor {
    /// 0 ≤ min_p ≤ 1.
    public let minP: Float
    /// The `minTokensToKeep` most likely tokens always stay (1 in `generate`).
    public let minTokensToKeep: Int

    /// - Throws: `DecodingError` when min_p is outside [0, 1].
    public init(_ minP: Float, minTokensToKeep: Int = 1) throws {
        try DecodingError.checkCut("min-p", minP, minTokensToKeep: minTokensToKeep)
        self.minP = minP
        self.minTokensToKeep = minTokensToKeep
    }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. p = softmax(z).
        let probs = probabilities(scores)
        // 2. The threshold is min_p · max_i p_i.
        let threshold = minP * (probs.max() ?? 0)
        // 3. Tokens with p_i < threshold are removed…
        var remove = probs.map { $0 < threshold }
        // 4. …except the `minTokensToKeep` most likely (first id on ties).
        let top = probs.indices.sorted { probs[$0] != probs[$1] ? probs[$0] > probs[$1] : $0 < $1 }
        for id in top.prefix(minTokensToKeep) { remove[id] = false }
        for i in scores.indices where remove[i] { scores[i] = -.infinity }
    }

    public var description: String { "min-p \(minP)" }
}
