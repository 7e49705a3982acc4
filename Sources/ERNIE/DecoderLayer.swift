// DecoderLayer — one of ERNIE-4.5's identical pre-norm transformer blocks (18 in the 0.3B model).
//
//   h = h + Attention(RMSNorm(h))        (GroupedQueryAttention.swift)
//   h = h + MLP(RMSNorm(h))              (SwiGLU.swift)
// Each sub-block reads a normalised copy of the residual stream h and adds its result back (pre-norm, as in
// Llama; the residual path itself is never normalised, which keeps deep stacks trainable).

import LabCore

/// One decoder block: attention then MLP, each with its own RMSNorm and residual connection.
struct DecoderLayer {
    let index: Int
    let inputNorm: RMSNorm
    let attention: GroupedQueryAttention
    let postAttentionNorm: RMSNorm
    let mlp: SwiGLU

    /// Updates the residual stream h [N, D] in place.
    func callAsFunction(_ h: UnsafeMutablePointer<Float>, width D: Int, layout: BatchLayout,
                        caches: inout [KVCache], recorder: ErnieRecorder?) {
        let N = layout.rows
        let x = UnsafeMutablePointer<Float>.allocate(capacity: N * D)       // [N, D] normalised input
        let y = UnsafeMutablePointer<Float>.allocate(capacity: N * D)       // [N, D] sub-block output
        defer { x.deallocate(); y.deallocate() }

        inputNorm(h, rows: N, into: x)                                       // x = RMSNorm(h)
        attention(x, layout: layout, layer: index, caches: &caches, recorder: recorder, into: y)
        for i in 0..<(N * D) { h[i] += y[i] }                                // h = h + Attention(x)

        postAttentionNorm(h, rows: N, into: x)                               // x = RMSNorm(h)
        mlp(x, rows: N, into: y)
        for i in 0..<(N * D) { h[i] += y[i] }                                // h = h + MLP(x)
    }
}
