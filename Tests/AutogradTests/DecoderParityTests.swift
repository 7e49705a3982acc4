// A 2-layer decoder in ERNIE 4.5's design at toy size against plain PyTorch (Fixtures/decoder.json): tied embedding,
// pre-norm RMSNorm, grouped-query attention (4 query heads sharing 2 KV heads, head dim 4, hidden 8, so q_proj is
// not square), interleaved RoPE with θ = 500000, SwiGLU MLP, final norm, next-token cross-entropy with the last
// target ignored. This is the graph the lab's tiny transformer trains; its gradients must match for every weight.
// Tolerance: |ours − torch| ≤ 1e-5·max(1, |torch|) per element (Fixture.swift).

import Autograd
import LabCore
import Testing

@Test func tinyErnieDecoderGradientsMatchPyTorch() throws {
    let f = try Fixture("decoder")
    let (layers, heads, kvHeads, theta, eps) = (2, 4, 2, 500000.0, Float(1e-5))
    let ids = f.ints["input_ids"]!, targets = f.ints["targets"]!
    let positions = Array(0..<ids.count)
    let names = f.tensors.keys.filter { $0.hasPrefix("model.") }
    let w = Dictionary(uniqueKeysWithValues: names.map { ($0, Variable.parameter(f.tensor($0))) })

    var h = embedding(w["model.embed_tokens.weight"]!, ids: ids)                                  // [T, D]
    for i in 0..<layers {
        let p = "model.layers.\(i)."
        // Attention: x = RMSNorm(h); q, k, v per head; RoPE on q, k; KV heads shared by groups of query heads.
        let x = rmsNorm(h, weight: w[p + "input_layernorm.weight"]!, eps: eps)                     // [T, D]
        let q = rope(splitHeads(linear(x, weight: w[p + "self_attn.q_proj.weight"]!), heads: heads),
                     positions: positions, theta: theta)                                            // [H, T, Dh]
        let k = rope(splitHeads(linear(x, weight: w[p + "self_attn.k_proj.weight"]!), heads: kvHeads),
                     positions: positions, theta: theta)                                            // [Hkv, T, Dh]
        let v = splitHeads(linear(x, weight: w[p + "self_attn.v_proj.weight"]!), heads: kvHeads)  // [Hkv, T, Dh]
        let a = scaledDotProductAttention(q: q, k: repeatKVHeads(k, groups: heads / kvHeads),
                                          v: repeatKVHeads(v, groups: heads / kvHeads), causal: true)  // [H, T, Dh]
        h = h + linear(mergeHeads(a), weight: w[p + "self_attn.o_proj.weight"]!)                   // [T, D]
        // MLP: SwiGLU, down(silu(gate(x)) ⊙ up(x)).
        let m = rmsNorm(h, weight: w[p + "post_attention_layernorm.weight"]!, eps: eps)
        let gated = silu(linear(m, weight: w[p + "mlp.gate_proj.weight"]!)) * linear(m, weight: w[p + "mlp.up_proj.weight"]!)  // [T, F]
        h = h + linear(gated, weight: w[p + "mlp.down_proj.weight"]!)                              // [T, D]
    }
    h = rmsNorm(h, weight: w["model.norm.weight"]!, eps: eps)
    let logits = linear(h, weight: w["model.embed_tokens.weight"]!)                                // [T, V], tied
    let loss = crossEntropy(logits, targets: targets, ignoreIndex: -100)
    loss.backward()

    expectClose("decoder logits", logits.value, f.reference("logits"))
    expectClose("decoder loss", loss.value, f.reference("loss"))
    for name in names.sorted() {
        expectClose("decoder grad \(name)", w[name]!.grad, f.reference("grad.\(name)"))
    }
}
