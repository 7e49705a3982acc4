// RoPE as ERNIE-4.5 uses it: interleaved pairs (2i, 2i+1) over the full head dimension, θ = rope_theta.
//
// For a query or key head vector x at position p, pair i is rotated by the angle p · θ^(−2i/Dh):
//   out[2i]   = x[2i]·cos − x[2i+1]·sin
//   out[2i+1] = x[2i+1]·cos + x[2i]·sin
// so q·k depends on the two positions m, n only through the offset m − n, its sign included (Su et al. 2021,
// https://arxiv.org/abs/2104.09864).
// ERNIE pairs ADJACENT elements (GPT-J / GLM style), not the halves (i, i + Dh/2) of Llama's rotate_half: the
// weights were trained that way, and the half-split version runs but writes nonsense (shared/ERNIE45.md §3).
// In transformers: cos = emb.cos()[..., :Dh/2].repeat_interleave(2); q·cos + rotate_half(q)·sin with
// rotate_half(x) = stack(−x[1::2], x[0::2]).flatten(). All in float32.
// The loop is LabCore's `ropeInterleaved` (written out pair by pair in `ropeInterleavedNaive`).

import LabCore

/// Rotary position embedding for heads of `headDim` elements.
struct RotaryEmbedding {
    let headDim: Int
    let theta: Float

    /// Rotates, in place, the `heads` head vectors of one token at `position`. x [heads, Dh].
    func apply(_ x: UnsafeMutablePointer<Float>, heads: Int, position: Int) {
        ropeInterleaved(x, tokens: 1, heads: heads, headDim: headDim, startPosition: position, theta: theta)
    }
}
