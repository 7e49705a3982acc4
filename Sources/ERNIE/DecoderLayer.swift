// DecoderLayer — one of ERNIE-4.5's pre-norm transformer blocks (18 in the 0.3B model, 28 in 21B-A3B).
//
//   h = h + Attention(RMSNorm(h))        (GroupedQueryAttention.swift)
//   h = h + FFN(RMSNorm(h))              dense: SwiGLU (SwiGLU.swift)
//                                        MoE:   Σ_chosen w_e·Expert_e + Shared (MixtureOfExperts.swift)
// Each sub-block reads a normalised copy of the residual stream h and adds its result back (pre-norm, as in
// Llama; the residual path itself is never normalised, which keeps deep stacks trainable). An MoE checkpoint mixes
// both kinds of layer: ERNIE-4.5-21B-A3B keeps layer 0 dense (ERNIEMoEConfig.isMoELayer).

import LabCore

/// The feed-forward sub-block of a layer.
enum FeedForward {
    /// One SwiGLU that every token passes through.
    case dense(SwiGLU)
    /// k of E SwiGLU experts per token, chosen by a router, plus the shared experts.
    case routed(MixtureOfExperts)
}

/// One decoder block: attention then the feed-forward block, each with its own RMSNorm and residual connection.
struct DecoderLayer {
    let index: Int
    let inputNorm: RMSNorm
    let attention: GroupedQueryAttention
    let postAttentionNorm: RMSNorm
    let feedForward: FeedForward

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
        switch feedForward {
        case .dense(let mlp):
            mlp(x, rows: N, into: y)                                         // y = SwiGLU(x)
            recorder?.routing.append(nil)
        case .routed(let experts):
            let routing = experts(x, rows: N, into: y)                       // y = Σ_chosen w_e·Expert_e(x) + Shared(x)
            recorder?.routing.append(routing)
        }
        for i in 0..<(N * D) { h[i] += y[i] }                                // h = h + FFN(x)
    }
}
