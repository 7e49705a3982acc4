// VanishingGradients — lesson 6's measurement of how far back a recurrent network can learn from (Bengio, Simard &
// Frasconi 1994, https://doi.org/10.1109/72.279181; Pascanu et al. 2013, https://arxiv.org/abs/1211.5063).
//
// Read a sequence w₀ … w_T, let L be the loss of the last prediction, −ln P(w_T | w₀ … w_{T−1}), and ask how strongly
// L depends on the hidden state k steps earlier:
//
//   g(k) = ‖∂L/∂h_{T−1−k}‖ = ‖∂L/∂h_{T−1} · Π_{j} ∂h_{j}/∂h_{j−1}‖      (k Jacobians, j = T−1 … T−k)
//
// For the Elman RNN each Jacobian is diag(1 − h_j²)·W_hh: when its norm is below 1 the product shrinks
// geometrically with k. The GRU's h_j = (1 − z) ⊙ n + z ⊙ h_{j−1} has the additive path diag(z), so with the update
// gate near 1 the gradient passes many steps nearly unchanged. The tape keeps ∂L/∂h at every interior node, so g(k)
// is read off one backward pass; `finiteDifferenceNorm` checks one point of the curve without the tape.

import Foundation
import LabCore
import Autograd

/// One point of the curve: the lag k and ‖∂L/∂h_{T−1−k}‖ (averaged over the sequences measured).
public struct GradientNormPoint: Codable, Sendable, Equatable {
    public var lag: Int
    public var norm: Double
}

extension RecurrentLM {
    /// ‖∂L/∂h_{T−1−k}‖ for k = 0 … `maxLag`, where the sequence is `tokens` (T + 1 ids: inputs w₀ … w_{T−1},
    /// target w_T) and L = −ln P(w_T | w₀ … w_{T−1}).
    /// - Precondition: `tokens.count ≥ maxLag + 2`.
    public func gradientNorms(_ tokens: [Int], maxLag: Int) -> [GradientNormPoint] {
        precondition(tokens.count >= maxLag + 2, "gradientNorms: \(tokens.count) tokens cannot show a lag of \(maxLag)")
        let inputs = tokens.dropLast().map { [$0] }
        let hs = run(inputs, from: .constant(Tensor.zeros([1, config.hiddenSize])))
        let loss = crossEntropy(logits(hs.last!), targets: [tokens.last!])
        loss.backward()
        let points = (0...maxLag).map { k -> GradientNormPoint in
            let g = hs[hs.count - 1 - k].grad?.data ?? []
            return GradientNormPoint(lag: k, norm: g.map { Double($0) * Double($0) }.reduce(0, +).squareRoot())
        }
        for (_, p) in namedParameters { p.zeroGrad() }
        return points
    }

    /// `count` sequences of `length` ids cut one after the other from `sentences` joined into one stream
    /// (<s> … </s> <s> …); nil when the stream is shorter than count × length.
    public func sequences(of sentences: [[String]], count: Int, length: Int) -> [[Int]]? {
        let stream = sentences.flatMap { [tokens.beginId] + $0.map(tokens.idOrUnknown) + [tokens.endId] }
        guard stream.count >= count * length else { return nil }
        return (0..<count).map { Array(stream[($0 * length)..<(($0 + 1) * length)]) }
    }

    /// The mean of `gradientNorms` over several sequences (one line of the lesson's plot).
    public func meanGradientNorms(_ sequences: [[Int]], maxLag: Int) -> [GradientNormPoint] {
        let all = sequences.map { gradientNorms($0, maxLag: maxLag) }
        return (0...maxLag).map { k in
            GradientNormPoint(lag: k, norm: all.map { $0[k].norm }.reduce(0, +) / Double(all.count))
        }
    }

    /// ‖∂L/∂h_{T−1−k}‖ without the tape: with u = the tape's gradient direction, the central difference
    /// (L(h + εu) − L(h − εu)) / 2ε of the loss re-run from the perturbed state equals ∂L/∂h · u = ‖∂L/∂h‖.
    /// Returns (tape norm, finite-difference estimate).
    public func finiteDifferenceNorm(_ tokens: [Int], lag k: Int, epsilon: Float = 1e-2) -> (tape: Double, estimate: Double) {
        let inputs = tokens.dropLast().map { [$0] }
        let hs = run(inputs, from: .constant(Tensor.zeros([1, config.hiddenSize])))
        let loss = crossEntropy(logits(hs.last!), targets: [tokens.last!])
        loss.backward()
        let j = hs.count - 1 - k                      // h_j = h_{T−1−k}
        let g = hs[j].grad!.data
        let norm = g.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        for (_, p) in namedParameters { p.zeroGrad() }
        let u = g.map { Float(Double($0) / norm) }
        let hj = hs[j].value
        func lossFrom(_ h: Tensor) -> Double {
            let rest = Array(inputs[(j + 1)...])
            let last = rest.isEmpty ? Variable.constant(h) : run(rest, from: .constant(h)).last!
            let lp = logSoftmax(logits(.constant(last.value))).value
            return -Double(lp.data[tokens.last!])
        }
        let plus = lossFrom(Tensor(shape: hj.shape, data: zip(hj.data, u).map { $0 + epsilon * $1 }))
        let minus = lossFrom(Tensor(shape: hj.shape, data: zip(hj.data, u).map { $0 - epsilon * $1 }))
        return (norm, (plus - minus) / (2 * Double(epsilon)))
    }
}
