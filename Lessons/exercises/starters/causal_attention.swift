// Exercise causal_attention (lesson 7): scaled dot-product attention with a causal mask.
//
// One head of a decoder's self-attention. q, k, v are [T][Dh] (one row per token). Token t may look only at
// tokens 0…t:  output = softmax(q·kᵀ / √Dh with −∞ above the diagonal) · v, the softmax taken row by row.
//
// Check your work with:   lmlab exercise check causal_attention
// Stuck?                  lmlab exercise hint causal_attention
// Leave this running:     lmlab exercise watch causal_attention
import Foundation

func causalAttention(q: [[Double]], k: [[Double]], v: [[Double]]) -> [[Double]] {
    // TODO: scores, scale, mask, softmax per row, then mix the rows of v.
    return v
}
