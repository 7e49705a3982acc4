// AttentionSteps — scaled dot-product attention (Vaswani et al. 2017, "Attention Is All You Need",
// https://arxiv.org/abs/1706.03762) computed one visible step at a time, for lesson 7's cells. Nothing here is fast:
// every intermediate is a plain matrix ([[Float]], one array per row) that a cell can print, for inputs of a few
// tokens. The training code uses Autograd/Attention.swift; the tests hold the two equal.
//
// Legend: T tokens, D model width, H query heads, Hkv key/value heads, Dh = D / H head size.
//
//   Q = X W_qᵀ,  K = X W_kᵀ,  V = X W_vᵀ                    projections (PyTorch layout W [out, in])
//   S = Q Kᵀ                                                 scores              [T, T]
//   S′ = S / √Dh                                             scaled
//   S″ = S′ with −∞ above the diagonal (causal)               masked: token t sees tokens ≤ t
//   A = softmax(S″) row by row                               weights, each row sums to 1
//   O = A V                                                  output              [T, Dh]
//
// Multi-head: Q, K, V are split into heads along the features (head h takes columns h·Dh ..< (h+1)·Dh), each head
// attends on its own, the outputs are concatenated back ("merge") and mixed by W_o. Grouped-query attention (GQA,
// https://arxiv.org/abs/2305.13245, as in ERNIE 4.5) has fewer key/value heads: query head h reads K/V head
// h / (H / Hkv), so H / Hkv query heads share one.

import LabCore

/// A matrix as rows, for printing.
public typealias Matrix = [[Float]]

/// Every intermediate of one head's attention.
public struct AttentionTrace: Sendable, Equatable {
    public var queries: Matrix     // Q  [T, Dh]
    public var keys: Matrix        // K  [T, Dh]
    public var values: Matrix      // V  [T, Dh]
    public var scores: Matrix      // Q Kᵀ [T, T]
    public var scaled: Matrix      // Q Kᵀ / √Dh
    public var masked: Matrix      // −∞ above the diagonal when causal (equal to `scaled` otherwise)
    public var weights: Matrix     // softmax of each row
    public var output: Matrix      // weights · V [T, Dh]
}

/// Every intermediate of multi-head (or grouped-query) attention.
public struct MultiHeadTrace: Sendable, Equatable {
    public var queries: Matrix     // X W_qᵀ [T, H·Dh]
    public var keys: Matrix        // X W_kᵀ [T, Hkv·Dh]
    public var values: Matrix      // X W_vᵀ [T, Hkv·Dh]
    /// For each query head, the key/value head it reads (h / (H / Hkv)).
    public var keyValueHeadOfQueryHead: [Int]
    /// One trace per query head (its keys and values are its K/V head's).
    public var heads: [AttentionTrace]
    /// The heads' outputs side by side [T, H·Dh].
    public var merged: Matrix
    /// merged · W_oᵀ [T, D]
    public var output: Matrix
}

/// X Wᵀ for W in PyTorch layout [out, in].
public func project(_ x: Matrix, _ w: Matrix) -> Matrix {
    x.map { row in w.map { wr in zip(row, wr).reduce(0) { $0 + $1.0 * $1.1 } } }
}

/// Columns `range` of every row.
public func columns(_ m: Matrix, _ range: Range<Int>) -> Matrix { m.map { Array($0[range]) } }

/// One head: every step from Q, K, V to the output.
public func attentionSteps(queries q: Matrix, keys k: Matrix, values v: Matrix, causal: Bool) -> AttentionTrace {
    let dh = q.first?.count ?? 0
    precondition(k.count == v.count && k.allSatisfy { $0.count == dh }, "attentionSteps: Q rows and K rows need one width; K and V one length")
    let scores = q.map { qi in k.map { kj in zip(qi, kj).reduce(0) { $0 + $1.0 * $1.1 } } }
    let scale = Float(1 / Double(dh).squareRoot())
    let scaled = scores.map { $0.map { $0 * scale } }
    // With fewer queries than keys (a continuation), query i sits at key position i + (Tk − Tq).
    let offset = k.count - q.count
    let masked = causal ? scaled.enumerated().map { i, row in
        row.enumerated().map { j, s in j <= i + offset ? s : -Float.infinity }
    } : scaled
    let weights = masked.map { row in softmax(row.map(Double.init)).map(Float.init) }
    let output = weights.map { w in (0..<(v.first?.count ?? 0)).map { c in zip(w, v).reduce(0) { $0 + $1.0 * $1.1[c] } } }
    return AttentionTrace(queries: q, keys: k, values: v, scores: scores, scaled: scaled, masked: masked,
                          weights: weights, output: output)
}

/// Multi-head attention of `x` [T, D] with projections W_q [H·Dh, D], W_k and W_v [Hkv·Dh, D], W_o [D, H·Dh].
/// `keyValueHeads` = `heads` is ordinary multi-head attention; fewer is grouped-query attention.
public func multiHeadAttentionSteps(_ x: Matrix, wq: Matrix, wk: Matrix, wv: Matrix, wo: Matrix,
                                    heads: Int, keyValueHeads: Int, causal: Bool) -> MultiHeadTrace {
    precondition(heads % keyValueHeads == 0, "multiHeadAttentionSteps: \(heads) query heads cannot share \(keyValueHeads) K/V heads evenly")
    precondition(wq.count % heads == 0, "multiHeadAttentionSteps: W_q has \(wq.count) rows, not a multiple of \(heads) heads")
    let dh = wq.count / heads
    precondition(wk.count == keyValueHeads * dh && wv.count == keyValueHeads * dh,
                 "multiHeadAttentionSteps: W_k/W_v need \(keyValueHeads)·\(dh) rows")
    let (q, k, v) = (project(x, wq), project(x, wk), project(x, wv))
    let group = heads / keyValueHeads
    let kvOf = (0..<heads).map { $0 / group }
    let traces = (0..<heads).map { h -> AttentionTrace in
        let kv = kvOf[h]
        return attentionSteps(queries: columns(q, (h * dh)..<((h + 1) * dh)),            // split: head h's columns
                              keys: columns(k, (kv * dh)..<((kv + 1) * dh)),
                              values: columns(v, (kv * dh)..<((kv + 1) * dh)), causal: causal)
    }
    let merged = (0..<x.count).map { t in traces.flatMap { $0.output[t] } }             // merge: heads side by side
    return MultiHeadTrace(queries: q, keys: k, values: v, keyValueHeadOfQueryHead: kvOf, heads: traces,
                          merged: merged, output: project(merged, wo))
}
