// Exercise causal_attention (lesson 7): scaled dot-product attention with a
// causal mask.
// 练习 causal_attention（第 7 课）：带因果掩码的缩放点积注意力。
//
// One head of a decoder's self-attention. q, k, v are [T][Dh] (one row per
// token). Token t may look only at tokens 0…t:
//   output = softmax(q·kᵀ / √Dh with −∞ above the diagonal) · v
// the softmax taken row by row.
//
// 解码器自注意力中的一个头。q、k、v 都是 [T][Dh]（每个词元一行）。
// 词元 t 只能看词元 0…t：
//   output = softmax(q·kᵀ / √Dh，对角线以上为 −∞) · v
// softmax 逐行计算。
//
// Check your work with / 检查：    lmlab exercise check causal_attention
// Stuck? / 卡住了：                lmlab exercise hint causal_attention
// Leave this running / 边改边查：  lmlab exercise watch causal_attention
import Foundation

func causalAttention(q: [[Double]], k: [[Double]], v: [[Double]]) -> [[Double]] {
    // TODO: scores, scale, mask, softmax per row, then mix the rows of v.
    // 待办：得分、缩放、掩码、逐行 softmax，再混合 v 的各行。
    return v
}
