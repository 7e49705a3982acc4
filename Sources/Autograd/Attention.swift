// Attention helpers — the causal mask, a fused causal softmax, heads split/merge, KV-head sharing (GQA), and scaled
// dot-product attention built from the ops of this target (Vaswani et al. 2017, https://arxiv.org/abs/1706.03762; lesson 7).
//
// Shapes: T tokens, H heads, Dh head dim. Scores are [H, Tq, Tk]. Query row i sits at absolute position
// i + (Tk − Tq) (the keys may include earlier, cached positions) and may look at keys j ≤ i + (Tk − Tq).
//
//   causal mask:     s′ᵢⱼ = sᵢⱼ if j ≤ i + (Tk − Tq), else −∞            ∂s′/∂s = 1 where kept, 0 where masked
//   causal softmax:  p = softmax(causalMask(s))  (one node, masked probabilities exactly 0)
//   attention:       out = softmax(q·kᵀ/√Dh + mask)·v

import LabCore

/// Calls `body(base, allowed)` for every score row: `base` its flat offset, keys 0..<allowed visible.
@inline(__always)
private func forEachCausalRow(_ shape: [Int], _ body: (Int, Int) -> Void) {
    precondition(shape.count >= 2, "Autograd: causal attention scores must be [..., Tq, Tk], got \(shape)")
    let (tq, tk) = (shape[shape.count - 2], shape[shape.count - 1])
    precondition(tk >= tq, "Autograd: causal scores need Tk ≥ Tq (keys include the queries), got \(shape)")
    let slices = shape.dropLast(2).reduce(1, *)
    for s in 0..<slices {
        for i in 0..<tq { body((s * tq + i) * tk, min(tk, i + (tk - tq) + 1)) }
    }
}

/// Sets future positions of `scores` [..., Tq, Tk] to −∞, so a following softmax gives them probability 0.
/// ∂L/∂s = ∂L/∂s′ where kept, 0 where masked.
public func causalMask(_ scores: Variable) -> Variable {
    let tk = scores.shape.last ?? 0
    var out = scores.value
    forEachCausalRow(scores.shape) { base, allowed in
        for j in allowed..<tk { out.data[base + j] = -.infinity }
    }
    return makeNode(out, op: "causalMask", parents: [scores]) { g in
        var dx = g
        forEachCausalRow(scores.shape) { base, allowed in
            for j in allowed..<tk { dx.data[base + j] = 0 }
        }
        scores.accumulateGrad(dx)
    }
}

/// softmax(causalMask(scores)) over the last axis in one node: each row is a softmax over its visible keys only.
/// ∂L/∂sᵢⱼ = pᵢⱼ·(gᵢⱼ − Σₖ gᵢₖpᵢₖ) for visible j, 0 for masked j.
public func causalSoftmax(_ scores: Variable) -> Variable {
    var p = [Float](repeating: 0, count: scores.value.count)
    scores.value.data.withUnsafeBufferPointer { src in
        p.withUnsafeMutableBufferPointer { dst in
            forEachCausalRow(scores.shape) { base, allowed in
                LabCore.softmax(rows: 1, cols: allowed, x: src.baseAddress! + base, y: dst.baseAddress! + base)
            }
        }
    }
    let out = Tensor(shape: scores.shape, data: p)
    return makeNode(out, op: "causalSoftmax", parents: [scores]) { g in
        out.data.withUnsafeBufferPointer { py in
            g.data.withUnsafeBufferPointer { pg in
                scores.withGradBuffer { gx in
                    forEachCausalRow(scores.shape) { base, allowed in
                        let r = base..<(base + allowed)
                        softmaxRowsBackward(y: UnsafeBufferPointer(rebasing: py[r]), g: UnsafeBufferPointer(rebasing: pg[r]),
                                            dx: UnsafeMutableBufferPointer(rebasing: gx[r]), cols: allowed)
                    }
                }
            }
        }
    }
}

/// [T, H·Dh] → [H, T, Dh]: each head's features become its own matrix.
public func splitHeads(_ x: Variable, heads: Int) -> Variable {
    precondition(x.value.rank == 2 && x.shape[1] % heads == 0,
                 "Autograd.splitHeads: \(x.shape) is not [T, H·Dh] with H = \(heads)")
    return transpose(reshape(x, [x.shape[0], heads, x.shape[1] / heads]), 0, 1)
}

/// [H, T, Dh] → [T, H·Dh]: the heads' outputs side by side again (the inverse of `splitHeads`).
public func mergeHeads(_ x: Variable) -> Variable {
    precondition(x.value.rank == 3, "Autograd.mergeHeads: expects [H, T, Dh], got \(x.shape)")
    let (h, t, dh) = (x.shape[0], x.shape[1], x.shape[2])
    return reshape(transpose(x, 0, 1), [t, h * dh])
}

/// Grouped-query attention's sharing of key/value heads (Ainslie et al. 2023, https://arxiv.org/abs/2305.13245):
/// [Hkv, T, Dh] → [Hkv·groups, T, Dh], query head h reading KV head ⌊h / groups⌋ (ERNIE 4.5: 16 query heads over
/// 2 KV heads, groups = 8). ∂L/∂x for a KV head is the sum over the query heads that share it.
public func repeatKVHeads(_ x: Variable, groups: Int) -> Variable {
    precondition(x.value.rank == 3 && groups >= 1, "Autograd.repeatKVHeads: expects [Hkv, T, Dh] and groups ≥ 1, got \(x.shape), \(groups)")
    if groups == 1 { return x }
    let (hkv, block) = (x.shape[0], x.shape[1] * x.shape[2])
    var out = [Float](repeating: 0, count: hkv * groups * block)
    x.value.data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for h in 0..<(hkv * groups) {
                let from = (h / groups) * block
                for i in 0..<block { dst[h * block + i] = src[from + i] }
            }
        }
    }
    return makeNode(Tensor(shape: [hkv * groups, x.shape[1], x.shape[2]], data: out), op: "repeatKVHeads", parents: [x]) { g in
        g.data.withUnsafeBufferPointer { pg in
            x.withGradBuffer { gx in
                for h in 0..<(hkv * groups) {
                    let to = (h / groups) * block
                    for i in 0..<block { gx[to + i] += pg[h * block + i] }
                }
            }
        }
    }
}

/// Scaled dot-product attention per head: softmax(q·kᵀ/√Dh (+ causal mask))·v.
/// - Parameters:
///   - q: [H, Tq, Dh] queries; k, v: [H, Tk, Dh] keys and values.
///   - causal: mask keys after each query's position (decoder self-attention).
/// - Returns: [H, Tq, Dh].
public func scaledDotProductAttention(q: Variable, k: Variable, v: Variable, causal: Bool) -> Variable {
    let dh = q.shape.last ?? 1
    let scores = matmul(q, k, transposeB: true) * Float(1 / Double(dh).squareRoot())   // [H, Tq, Tk]
    let weights = causal ? causalSoftmax(scores) : softmax(scores)                    // [H, Tq, Tk]
    return matmul(weights, v)                                                          // [H, Tq, Dh]
}
