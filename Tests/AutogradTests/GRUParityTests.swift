// A GRU cell written with our ops against torch.nn.GRUCell (Fixtures/gru.json), unrolled over 3 steps so the
// shared weights collect gradients from every step. Tolerance: |ours − torch| ≤ 1e-5·max(1, |torch|) per element.
//
// torch.nn.GRUCell, gates in the order (r, z, n) along the rows of weight_ih [3·Hd, I] and weight_hh [3·Hd, Hd]:
//   r = σ(x·W_irᵀ + b_ir + h·W_hrᵀ + b_hr)
//   z = σ(x·W_izᵀ + b_iz + h·W_hzᵀ + b_hz)
//   n = tanh(x·W_inᵀ + b_in + r ⊙ (h·W_hnᵀ + b_hn))
//   h′ = (1 − z) ⊙ n + z ⊙ h

import Autograd
import LabCore
import Testing

/// One GRU step: x [B, I], h [B, Hd] → h′ [B, Hd].
private func gruCell(x: Variable, h: Variable, weightIH: Variable, weightHH: Variable,
                     biasIH: Variable, biasHH: Variable) -> Variable {
    let hd = h.shape[1]
    let gi = linear(x, weight: weightIH, bias: biasIH)     // [B, 3·Hd]
    let gh = linear(h, weight: weightHH, bias: biasHH)     // [B, 3·Hd]
    let r = sigmoid(slice(gi, axis: 1, 0..<hd) + slice(gh, axis: 1, 0..<hd))
    let z = sigmoid(slice(gi, axis: 1, hd..<(2 * hd)) + slice(gh, axis: 1, hd..<(2 * hd)))
    let n = tanh(slice(gi, axis: 1, (2 * hd)..<(3 * hd)) + r * slice(gh, axis: 1, (2 * hd)..<(3 * hd)))
    return (1 - z) * n + z * h
}

@Test func gruCellUnrolledMatchesPyTorch() throws {
    let f = try Fixture("gru")
    let xs = Variable.parameter(f.tensor("xs"))            // [steps, B, I]
    let h0 = Variable.parameter(f.tensor("h0"))            // [B, Hd]
    let wih = Variable.parameter(f.tensor("weight_ih")), whh = Variable.parameter(f.tensor("weight_hh"))
    let bih = Variable.parameter(f.tensor("bias_ih")), bhh = Variable.parameter(f.tensor("bias_hh"))
    let c = Variable.constant(f.tensor("c"))
    let steps = xs.shape[0]

    var h = h0
    var states: [Variable] = []
    for t in 0..<steps {
        let x = reshape(slice(xs, axis: 0, t..<(t + 1)), Array(xs.shape.dropFirst()))   // [B, I]
        h = gruCell(x: x, h: h, weightIH: wih, weightHH: whh, biasIH: bih, biasHH: bhh)
        states.append(h)
    }
    let loss = sum(h * c)
    loss.backward()

    expectClose("gru h1", states[0].value, f.reference("h1"))
    expectClose("gru h3", states[steps - 1].value, f.reference("h3"))
    expectClose("gru loss", loss.value, f.reference("loss"))
    expectClose("gru grad xs", xs.grad, f.reference("grad.xs"))
    expectClose("gru grad h0", h0.grad, f.reference("grad.h0"))
    expectClose("gru grad weight_ih", wih.grad, f.reference("grad.weight_ih"))
    expectClose("gru grad weight_hh", whh.grad, f.reference("grad.weight_hh"))
    expectClose("gru grad bias_ih", bih.grad, f.reference("grad.bias_ih"))
    expectClose("gru grad bias_hh", bhh.grad, f.reference("grad.bias_hh"))
}
