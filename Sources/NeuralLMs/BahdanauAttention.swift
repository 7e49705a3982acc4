// BahdanauAttention — additive attention, Bahdanau, Cho & Bengio (2015), "Neural Machine Translation by Jointly
// Learning to Align and Translate", https://arxiv.org/abs/1409.0473 (section 3.1 and appendix A.1.2).
// Lesson 6: instead of squeezing the source sentence into one vector, the decoder looks back at every source word,
// and the weights αᵢⱼ it uses are the alignment the lesson draws as a heatmap.
//
// Legend: B sentences, S source positions, Hk annotation size (2·Hd for a bidirectional encoder), Hq decoder state
// size, A attention size.
//
//   eᵢⱼ = vᵀ tanh(W sᵢ₋₁ + b + U hⱼ)      score of source word j for output i       [B, S]
//   αᵢⱼ = softmax_j(eᵢⱼ)                    alignment weights (masked positions → 0)   [B, S]
//   cᵢ  = Σⱼ αᵢⱼ hⱼ                         context vector                              [B, Hk]
//
// U hⱼ does not depend on i: `projectKeys` computes it once per sentence. Names follow PyTorch nn.Linear
// (`query.weight` W [A, Hq], `query.bias` b [A], `key.weight` U [A, Hk], `energy.weight` v [1, A]) and the
// fixture script builds the same module in PyTorch (scripts/make_neural_fixtures.py).

import LabCore
import Autograd

/// The parameters of additive attention.
public struct BahdanauAttention {
    /// W: `query.weight` [A, Hq]
    public let queryWeight: Variable
    /// b: `query.bias` [A]
    public let queryBias: Variable
    /// U: `key.weight` [A, Hk]
    public let keyWeight: Variable
    /// v: `energy.weight` [1, A]
    public let energyWeight: Variable

    public init(queryWeight: Variable, queryBias: Variable, keyWeight: Variable, energyWeight: Variable) {
        self.queryWeight = queryWeight
        self.queryBias = queryBias
        self.keyWeight = keyWeight
        self.energyWeight = energyWeight
    }

    /// PyTorch nn.Linear initialisation, U(−1/√fan_in, 1/√fan_in).
    public init(querySize: Int, keySize: Int, attentionSize: Int, rng: inout SeededRNG) {
        func u(_ shape: [Int], _ fanIn: Int) -> Variable {
            let a = Float(1 / Double(fanIn).squareRoot())
            return .parameter(Tensor.uniform(shape, low: -a, high: a, rng: &rng))
        }
        self.init(queryWeight: u([attentionSize, querySize], querySize), queryBias: u([attentionSize], querySize),
                  keyWeight: u([attentionSize, keySize], keySize), energyWeight: u([1, attentionSize], attentionSize))
    }

    public func named(_ prefix: String) -> [(String, Variable)] {
        [("\(prefix)query.weight", queryWeight), ("\(prefix)query.bias", queryBias),
         ("\(prefix)key.weight", keyWeight), ("\(prefix)energy.weight", energyWeight)]
    }

    /// U hⱼ for every source position: annotations [B, S, Hk] → [B, S, A].
    public func projectKeys(_ annotations: Variable) -> Variable { linear(annotations, weight: keyWeight) }

    /// One decoder step's attention.
    /// - Parameters:
    ///   - query: sᵢ₋₁ [B, Hq].
    ///   - annotations: hⱼ [B, S, Hk]; `keys` = `projectKeys(annotations)` [B, S, A].
    ///   - mask: [B, S] with 0 for real positions and −∞ for padding (nil: no padding).
    /// - Returns: the context cᵢ [B, Hk] and the weights αᵢ [B, S].
    public func callAsFunction(query: Variable, annotations: Variable, keys: Variable,
                               mask: Tensor? = nil) -> (context: Variable, weights: Variable) {
        let (b, s, a) = (keys.shape[0], keys.shape[1], keys.shape[2])
        let q = reshape(linear(query, weight: queryWeight, bias: queryBias), [b, 1, a])    // W sᵢ₋₁ + b   [B, 1, A]
        var e = reshape(linear(tanh(keys + q), weight: energyWeight), [b, s])               // eᵢⱼ          [B, S]
        if let mask { e = e + Variable.constant(mask) }
        let alpha = softmax(e)                                                              // αᵢⱼ          [B, S]
        let context = reshape(matmul(reshape(alpha, [b, 1, s]), annotations), [b, annotations.shape[2]])   // cᵢ [B, Hk]
        return (context, alpha)
    }
}
