// Temperature — divide every score by T before the softmax (transformers' TemperatureLogitsWarper).
//
//   p_i = exp(z_i / T) / Σ_j exp(z_j / T)
//
// T < 1 sharpens the distribution (T → 0 tends to greedy: all mass on the argmax), T > 1 flattens it
// (T → ∞ tends to uniform). The order of the tokens never changes, only how far apart their probabilities are.
// Ackley, Hinton & Sejnowski (1985), "A learning algorithm for Boltzmann machines".

import LabCore
public struct Temperature: LogitsProcessor {
    /// T ≥ `minimum`.
    public let value: Float

    /// The smallest T accepted. Below it sampling is greedy in all but name, and near Float's smallest numbers
    /// (T = 1e-39) z/T overflows to ±∞, the softmax turns to NaN and the "sample" is garbage.
    public static let minimum: Float = 0.0001

    /// - Throws: `DecodingError` when T is not a finite number ≥ `minimum`.
    public init(_ value: Float) throws {
        guard value >= Self.minimum, value.isFinite else {
            throw DecodingError(Learner.text(
                "temperature \(value): must be a finite number ≥ \(Self.minimum). HINT: for always "
                    + "picking the most likely token use --strategy greedy; 0.7–1 is usual.",
                "温度 \(value)：必须是 ≥ \(Self.minimum) 的有限数。HINT：想每次都选最可能的词元，用 --strategy greedy；"
                    + "常用 0.7–1。"))
        }
        self.value = value
    }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. z_i ← z_i / T for every token (−∞ stays −∞).
        for i in scores.indices { scores[i] = scores[i] / value }
    }

    public var description: String { "temperature \(value)" }
    public var learnerDescription: String { Learner.text(description, "温度 \(value)") }
}
