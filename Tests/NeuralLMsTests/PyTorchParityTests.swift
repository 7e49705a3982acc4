// GRU cell, Elman cell and Bahdanau attention, forward and backward, against PyTorch 2.13
// (fixtures written by scripts/make_neural_fixtures.py; tolerance 1e-5).
import Testing
import Foundation
import LabCore
import Autograd
@testable import NeuralLMs

/// A fixture file: name → {shape, data}.
struct TensorFixture {
    let entries: [String: Tensor]
    init(_ json: Any) {
        var e: [String: Tensor] = [:]
        for (k, v) in json as! [String: Any] {
            let d = v as! [String: Any]
            let data = (d["data"] as! [Double]).map { $0 <= -1e30 ? -Float.infinity : Float($0) }
            e[k] = Tensor(shape: d["shape"] as! [Int], data: data)
        }
        entries = e
    }
    subscript(_ k: String) -> Tensor { entries[k]! }
}

func loadFixture(_ name: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL(name)))
}

/// Max |a − b| over two tensors of one shape.
func maxDiff(_ a: Tensor?, _ b: Tensor) -> Float {
    guard let a, a.shape == b.shape else { return .infinity }
    return a.maxAbsDifference(b)
}

@Test(arguments: ["gru", "rnn"])
func recurrentCellMatchesPyTorch(name: String) throws {
    let f = TensorFixture((try loadFixture("recurrent_cells.json") as! [String: Any])[name]!)
    let x = Variable.parameter(f["x"]), h = Variable.parameter(f["h"])
    let w = RecurrentCellWeights(kind: name == "gru" ? .gru : .elman,
                                 weightIH: .parameter(f["weight_ih"]), weightHH: .parameter(f["weight_hh"]),
                                 biasIH: .parameter(f["bias_ih"]), biasHH: .parameter(f["bias_hh"]))
    let next = w(x, h)
    sum(next * Variable.constant(f["r"])).backward()
    let diffs: [(String, Float)] = [
        ("h_next", maxDiff(next.value, f["h_next"])), ("grad_x", maxDiff(x.grad, f["grad_x"])),
        ("grad_h", maxDiff(h.grad, f["grad_h"])), ("grad_weight_ih", maxDiff(w.weightIH.grad, f["grad_weight_ih"])),
        ("grad_weight_hh", maxDiff(w.weightHH.grad, f["grad_weight_hh"])),
        ("grad_bias_ih", maxDiff(w.biasIH.grad, f["grad_bias_ih"])), ("grad_bias_hh", maxDiff(w.biasHH.grad, f["grad_bias_hh"])),
    ]
    for (k, d) in diffs { print("\(name) cell vs PyTorch, \(k): max abs diff \(d)") }
    #expect(diffs.allSatisfy { $0.1 <= 1e-5 })
}

@Test func bahdanauAttentionMatchesPyTorch() throws {
    let f = TensorFixture(try loadFixture("bahdanau_attention.json"))
    let attention = BahdanauAttention(queryWeight: .parameter(f["query.weight"]), queryBias: .parameter(f["query.bias"]),
                                      keyWeight: .parameter(f["key.weight"]), energyWeight: .parameter(f["energy.weight"]))
    let s = Variable.parameter(f["query"]), h = Variable.parameter(f["annotations"])
    let (c, alpha) = attention(query: s, annotations: h, keys: attention.projectKeys(h), mask: f["mask"])
    (sum(c * Variable.constant(f["r_context"])) + sum(alpha * Variable.constant(f["r_weights"]))).backward()
    let diffs: [(String, Float)] = [
        ("context", maxDiff(c.value, f["context"])), ("weights", maxDiff(alpha.value, f["weights"])),
        ("grad_query", maxDiff(s.grad, f["grad_query"])), ("grad_annotations", maxDiff(h.grad, f["grad_annotations"])),
        ("grad_query.weight", maxDiff(attention.queryWeight.grad, f["grad_query.weight"])),
        ("grad_query.bias", maxDiff(attention.queryBias.grad, f["grad_query.bias"])),
        ("grad_key.weight", maxDiff(attention.keyWeight.grad, f["grad_key.weight"])),
        ("grad_energy.weight", maxDiff(attention.energyWeight.grad, f["grad_energy.weight"])),
    ]
    for (k, d) in diffs { print("Bahdanau attention vs PyTorch, \(k): max abs diff \(d)") }
    #expect(diffs.allSatisfy { $0.1 <= 1e-5 })
    #expect(alpha.value[1, 3] == 0 && alpha.value[1, 4] == 0)            // padding gets no weight
}
