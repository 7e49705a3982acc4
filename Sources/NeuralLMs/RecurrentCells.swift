// Recurrent cells — the Elman RNN (Elman 1990, https://doi.org/10.1207/s15516709cog1402_1) and the GRU
// (Cho et al. 2014, https://arxiv.org/abs/1406.1078), written with Autograd ops so their backward is the tape's.
// Lesson 6: an RNN carries the previous words forward in one vector h; the GRU adds gates that decide how much of h
// to keep, which is why its gradient survives more steps (VanishingGradients.swift).
//
// Legend: B sequences in a batch, I input size, Hd hidden size. Weights in PyTorch's layout and names
// (nn.RNNCell / nn.GRUCell), so the fixtures of scripts/make_neural_fixtures.py load one to one:
//   weight_ih [k·Hd, I], weight_hh [k·Hd, Hd], bias_ih [k·Hd], bias_hh [k·Hd]     k = 1 (Elman) or 3 (GRU: r, z, n)
//
// Elman:  h′ = tanh(W_ih x + b_ih + W_hh h + b_hh)
// GRU:    r  = σ(W_ir x + b_ir + W_hr h + b_hr)                  reset gate
//         z  = σ(W_iz x + b_iz + W_hz h + b_hz)                  update gate
//         n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))         candidate
//         h′ = (1 − z) ⊙ n + z ⊙ h

import LabCore
import Autograd

/// Which recurrence a recurrent LM uses.
public enum RecurrentCellKind: String, Codable, Sendable, CaseIterable {
    case elman = "rnn"
    case gru
    /// Gate blocks stacked in the weights: 1 for Elman, 3 (r, z, n) for the GRU.
    public var gates: Int { self == .gru ? 3 : 1 }
}

/// The four tensors of one recurrent cell.
public struct RecurrentCellWeights {
    public let kind: RecurrentCellKind
    /// `weight_ih` [k·Hd, I]
    public let weightIH: Variable
    /// `weight_hh` [k·Hd, Hd]
    public let weightHH: Variable
    /// `bias_ih` [k·Hd]
    public let biasIH: Variable
    /// `bias_hh` [k·Hd]
    public let biasHH: Variable

    public var hiddenSize: Int { weightHH.shape[1] }
    public var inputSize: Int { weightIH.shape[1] }

    /// PyTorch's initialisation: every tensor U(−1/√Hd, 1/√Hd).
    public init(kind: RecurrentCellKind, inputSize: Int, hiddenSize: Int, rng: inout SeededRNG) {
        let a = Float(1 / Double(hiddenSize).squareRoot())
        let k = kind.gates * hiddenSize
        // Drawn in argument order (ih, hh, biases), as before: the seeded weights of saved models stay the same.
        func uniform(_ shape: [Int]) -> Variable { .parameter(Tensor.uniform(shape, low: -a, high: a, rng: &rng)) }
        self.init(kind: kind, weightIH: uniform([k, inputSize]), weightHH: uniform([k, hiddenSize]),
                  biasIH: uniform([k]), biasHH: uniform([k]))
    }

    /// Given tensors (fixtures, checkpoints).
    public init(kind: RecurrentCellKind, weightIH: Variable, weightHH: Variable, biasIH: Variable, biasHH: Variable) {
        precondition(weightIH.shape[0] == kind.gates * weightHH.shape[1] && weightHH.shape[0] == weightIH.shape[0],
                     "RecurrentCellWeights: weight_ih \(weightIH.shape) and weight_hh \(weightHH.shape) do not fit a \(kind) cell")
        self.kind = kind
        self.weightIH = weightIH
        self.weightHH = weightHH
        self.biasIH = biasIH
        self.biasHH = biasHH
    }

    /// The tensors with their PyTorch names under `prefix` ("encoder.forward." …).
    public func named(_ prefix: String) -> [(String, Variable)] {
        [("\(prefix)weight_ih", weightIH), ("\(prefix)weight_hh", weightHH),
         ("\(prefix)bias_ih", biasIH), ("\(prefix)bias_hh", biasHH)]
    }

    /// One step: x [B, I], h [B, Hd] → h′ [B, Hd].
    public func callAsFunction(_ x: Variable, _ h: Variable) -> Variable {
        switch kind {
        case .elman: return elmanCell(x, h, self)
        case .gru: return gruCell(x, h, self)
        }
    }
}

/// h′ = tanh(W_ih x + b_ih + W_hh h + b_hh).   x [B, I], h [B, Hd] → [B, Hd]
public func elmanCell(_ x: Variable, _ h: Variable, _ w: RecurrentCellWeights) -> Variable {
    tanh(linear(x, weight: w.weightIH, bias: w.biasIH) + linear(h, weight: w.weightHH, bias: w.biasHH))
}

/// One GRU step (PyTorch nn.GRUCell).   x [B, I], h [B, Hd] → [B, Hd]
public func gruCell(_ x: Variable, _ h: Variable, _ w: RecurrentCellWeights) -> Variable {
    let hd = w.hiddenSize
    let gi = linear(x, weight: w.weightIH, bias: w.biasIH)                       // [B, 3Hd]  W_i· x + b_i·
    let gh = linear(h, weight: w.weightHH, bias: w.biasHH)                       // [B, 3Hd]  W_h· h + b_h·
    let r = sigmoid(slice(gi, axis: 1, 0..<hd) + slice(gh, axis: 1, 0..<hd))    // reset gate     [B, Hd]
    let z = sigmoid(slice(gi, axis: 1, hd..<(2 * hd)) + slice(gh, axis: 1, hd..<(2 * hd)))   // update gate [B, Hd]
    let n = tanh(slice(gi, axis: 1, (2 * hd)..<(3 * hd)) + r * slice(gh, axis: 1, (2 * hd)..<(3 * hd)))   // candidate
    return n + z * (h - n)                                                       // (1 − z) ⊙ n + z ⊙ h
}
