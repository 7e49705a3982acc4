// SequentialVsParallel — lesson 7's opening claim measured: an RNN must read T tokens one after another (hₜ needs
// hₜ₋₁), while self-attention over the same T tokens is one batched product for all positions at once.
//
//   RNN         for t in 1…T:  hₜ = cell(E[wₜ], hₜ₋₁)               T small products, each waiting for the last  [1, Hd]
//   attention   softmax(Q Kᵀ / √Hd + causal mask) V                 two [T, Hd]·[Hd, T]-sized products            [T, Hd]
//
// Both run through the same Autograd ops and kernels, at the RNN's hidden size Hd, on the same T. The time per token
// is the best of `repeats` runs divided by T (the minimum is the run least disturbed by other work on the machine).
// Attention does more arithmetic (T² · Hd against the RNN's T · Hd²) yet takes less time per token for moderate T,
// because its work comes in a few large pieces the kernels can spread and vectorise.

import Foundation
import LabCore
import Autograd

/// The two times per token, in seconds.
public struct SequentialVsParallelTiming: Sendable, Codable, Equatable {
    public var tokens: Int
    public var hiddenSize: Int
    public var repeats: Int
    /// The RNN's recurrence over the T tokens, divided by T.
    public var recurrentSecondsPerToken: Double
    /// One causal self-attention over the T tokens, divided by T.
    public var attentionSecondsPerToken: Double

    /// How many times longer a token takes through the recurrence than through attention.
    public var ratio: Double { recurrentSecondsPerToken / max(attentionSecondsPerToken, 1e-12) }

    /// Times `rnn`'s recurrence and one self-attention of its hidden size over `tokens` positions.
    public static func measure(_ rnn: RecurrentLM, tokens: Int, repeats: Int, seed: UInt64 = 1) -> Self {
        precondition(tokens > 0 && repeats > 0, "SequentialVsParallelTiming.measure: tokens and repeats must be positive")
        let hd = rnn.config.hiddenSize
        var rng = SeededRNG(seed: seed)
        let ids = (0..<tokens).map { 3 + $0 % max(rnn.tokens.count - 3, 1) }
        let q = Variable.constant(Tensor.randn([1, tokens, hd], std: 1, rng: &rng))      // [1, T, Hd]
        let k = Variable.constant(Tensor.randn([1, tokens, hd], std: 1, rng: &rng))
        let v = Variable.constant(Tensor.randn([1, tokens, hd], std: 1, rng: &rng))
        func best(_ work: () -> Void) -> Double {
            (0..<repeats).map { _ in
                let start = DispatchTime.now().uptimeNanoseconds
                work()
                return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            }.min()!
        }
        let recurrent = best { _ = rnn.run(ids.map { [$0] }, from: .constant(Tensor.zeros([1, hd]))) }
        let attention = best { _ = scaledDotProductAttention(q: q, k: k, v: v, causal: true) }
        return Self(tokens: tokens, hiddenSize: hd, repeats: repeats, recurrentSecondsPerToken: recurrent / Double(tokens),
                    attentionSecondsPerToken: attention / Double(tokens))
    }
}
