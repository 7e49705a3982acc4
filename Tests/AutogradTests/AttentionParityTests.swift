// A causal self-attention block against PyTorch (Fixtures/attention.json):
//   h = RMSNorm(x; g) → q, k, v = h·Wqᵀ, h·Wkᵀ, h·Wvᵀ split into 2 heads → interleaved RoPE on q, k at positions 2…6
//   → softmax(q·kᵀ/√Dh + causal mask)·v → merge heads → y = x + (…)·Woᵀ → logits = y·Woutᵀ → cross-entropy with
//   one ignored target (-100).
// The reference uses F.rms_norm, an HF-style interleaved RoPE and F.scaled_dot_product_attention(is_causal=True).
// Tolerance: |ours − torch| ≤ 1e-5·max(1, |torch|) per element (Fixture.swift).

import Autograd
import LabCore
import Testing

@Test func causalSelfAttentionBlockMatchesPyTorch() throws {
    let f = try Fixture("attention")
    let heads = 2
    let positions = f.ints["positions"]!
    let x = Variable.parameter(f.tensor("x"))                                       // [T, D]
    let g = Variable.parameter(f.tensor("g"))                                       // [D]
    let (wq, wk, wv, wo) = (Variable.parameter(f.tensor("wq")), Variable.parameter(f.tensor("wk")),
                            Variable.parameter(f.tensor("wv")), Variable.parameter(f.tensor("wo")))  // [D, D]
    let wout = Variable.parameter(f.tensor("wout"))                                 // [V, D]

    let h = rmsNorm(x, weight: g, eps: 1e-5)                                                           // [T, D]
    let q = rope(splitHeads(linear(h, weight: wq), heads: heads), positions: positions, theta: 10000)  // [H, T, Dh]
    let k = rope(splitHeads(linear(h, weight: wk), heads: heads), positions: positions, theta: 10000)  // [H, T, Dh]
    let v = splitHeads(linear(h, weight: wv), heads: heads)                                            // [H, T, Dh]
    let a = scaledDotProductAttention(q: q, k: k, v: v, causal: true)                                  // [H, T, Dh]
    let y = x + linear(mergeHeads(a), weight: wo)                                                      // [T, D]
    let logits = linear(y, weight: wout)                                                               // [T, V]
    let loss = crossEntropy(logits, targets: f.ints["targets"]!, ignoreIndex: f.ints["ignore_index"]![0])
    loss.backward()

    expectClose("attention y", y.value, f.reference("y"))
    expectClose("attention loss", loss.value, f.reference("loss"))
    for (name, p) in [("x", x), ("g", g), ("wq", wq), ("wk", wk), ("wv", wv), ("wo", wo), ("wout", wout)] {
        expectClose("attention grad \(name)", p.grad, f.reference("grad.\(name)"))
    }
}
