// The fused attention node and RoPE on the row layout against their naive twins — Autograd's composed ops (head
// split by permute, rope on [B·H, T, Dh], repeatKVHeads, scaledDotProductAttention with causalSoftmax, merge):
// same values, same gradients for q, k and v.

import Autograd
import LabCore
import Testing
@testable import ErnieTraining

private func maxDiff(_ a: Tensor, _ b: Tensor) -> Float { zip(a.data, b.data).map { abs($0 - $1) }.max()! }

/// The tiny ERNIE's attention before this node existed: [B·T, n·Dh] → [B·n, T, Dh] and back.
private func composedAttention(q: Variable, k: Variable, v: Variable, batch: Int, heads: Int, kvHeads: Int,
                               dh: Int) -> Variable {
    let t = q.shape[0] / batch
    func split(_ x: Variable, _ n: Int) -> Variable {
        reshape(permute(reshape(x, [batch, t, n, dh]), [0, 2, 1, 3]), [batch * n, t, dh])
    }
    let groups = heads / kvHeads
    let a = scaledDotProductAttention(q: split(q, heads), k: repeatKVHeads(split(k, kvHeads), groups: groups),
                                      v: repeatKVHeads(split(v, kvHeads), groups: groups), causal: true)
    return reshape(permute(reshape(a, [batch, heads, t, dh]), [0, 2, 1, 3]), [batch * t, heads * dh])
}

@Test(arguments: [(2, 5, 4, 2, 6), (3, 37, 4, 2, 48), (1, 20, 3, 1, 8), (2, 17, 2, 2, 4)])
func fusedAttentionEqualsComposedOps(_ shape: (Int, Int, Int, Int, Int)) {
    let (batch, t, heads, kvHeads, dh) = shape
    var rng = SeededRNG(seed: 5)
    let qT = Tensor.randn([batch * t, heads * dh], std: 2, rng: &rng)
    let kT = Tensor.randn([batch * t, kvHeads * dh], std: 2, rng: &rng)
    let vT = Tensor.randn([batch * t, kvHeads * dh], rng: &rng)
    let seed = Tensor.randn([batch * t, heads * dh], rng: &rng)
    let (q1, k1, v1) = (Variable.parameter(qT), Variable.parameter(kT), Variable.parameter(vT))
    let (q2, k2, v2) = (Variable.parameter(qT), Variable.parameter(kT), Variable.parameter(vT))
    let fused = groupedCausalAttention(q: q1, k: k1, v: v1, batch: batch, heads: heads, kvHeads: kvHeads, headDim: dh)
    let naive = composedAttention(q: q2, k: k2, v: v2, batch: batch, heads: heads, kvHeads: kvHeads, dh: dh)
    fused.backward(seed: seed)
    naive.backward(seed: seed)
    let (dy, dq, dk, dv) = (maxDiff(fused.value, naive.value), maxDiff(q1.grad!, q2.grad!),
                            maxDiff(k1.grad!, k2.grad!), maxDiff(v1.grad!, v2.grad!))
    print("groupedCausalAttention \(shape) vs composed ops: max abs diff out \(dy), ∂q \(dq), ∂k \(dk), ∂v \(dv)")
    #expect(dy <= 1e-5 && dq <= 1e-4 && dk <= 1e-4 && dv <= 1e-5)
}

@Test func ropeRowsEqualsRopeOnSplitHeads() {
    let (batch, t, n, dh) = (3, 11, 2, 8)
    var rng = SeededRNG(seed: 9)
    let x = Tensor.randn([batch * t, n * dh], rng: &rng), seed = Tensor.randn([batch * t, n * dh], rng: &rng)
    let (x1, x2) = (Variable.parameter(x), Variable.parameter(x))
    let fused = ropeRows(x1, table: RopeTable(length: t, headDim: dh, theta: 10_000))
    let split = reshape(permute(reshape(x2, [batch, t, n, dh]), [0, 2, 1, 3]), [batch * n, t, dh])
    let rotated = rope(split, positions: Array(0..<t), theta: 10_000)
    let naive = reshape(permute(reshape(rotated, [batch, n, t, dh]), [0, 2, 1, 3]), [batch * t, n * dh])
    fused.backward(seed: seed)
    naive.backward(seed: seed)
    let (dy, dx) = (maxDiff(fused.value, naive.value), maxDiff(x1.grad!, x2.grad!))
    print("ropeRows vs rope on split heads: max abs diff value \(dy), ∂x \(dx)")
    #expect(dy <= 1e-6 && dx <= 1e-6)
}
