// Temperature — divide every score by T before the softmax (transformers' TemperatureLogitsWarper).
//
//   p_i = exp(z_i / T) / Σ_j exp(z_j / T)
//
// T < 1 sharpens the distribution (T → 0 tends to greedy: all mass on the argmax), T > 1 flattens it
// (T → ∞ tends to uniform). The order of the tokens never changes, only how far apart their probabilities are.
// Ackley, Hinton & Sejnowski (1985), "A learning algorithm for Boltzmann machines".

public struct Temperature: LogitsProcessor {
    /// T > 0.
    public let value: Float

    /// - Throws: `DecodingError` when T is not a positive finite number.
    public init(_ value: Float) throws {
        guard value > 0, value.isFinite else {
            throw DecodingError("temperature \(value): must be > 0 (for always picking the most likely token use "
                + "--strategy greedy)")
        }
        self.value = value
    }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. z_i ← z_i / T for every token (−∞ stays −∞).
        for i in scores.indices { scores[i] = scores[i] / value }
    }

    public var description: String { "temperature \(value)" }
}
