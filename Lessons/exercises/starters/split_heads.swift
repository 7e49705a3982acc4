// Exercise split_heads (lesson 7): split into heads, merge them back.
// 练习 split_heads（第 7 课）：拆分成多头，再合并回来。
//
// Multi-head attention cuts each token's vector of width H·Dh into H heads
// of width Dh: head h takes columns h·Dh ..< (h+1)·Dh. splitHeads turns
// x [T][H·Dh] into [H][T][Dh]; mergeHeads puts the heads side by side
// again.
//
// 多头注意力把每个词元宽为 H·Dh 的向量切成 H 个宽为 Dh 的头：头 h 取第
// h·Dh ..< (h+1)·Dh 列。splitHeads 把 x [T][H·Dh] 变成 [H][T][Dh]；
// mergeHeads 再把各个头并排拼回去。
//
// Check your work with / 检查：    lmlab exercise check split_heads
// Stuck? / 卡住了：                lmlab exercise hint split_heads
// Leave this running / 边改边查：  lmlab exercise watch split_heads
import Foundation

func splitHeads(_ x: [[Double]], heads: Int) -> [[[Double]]] {
    // TODO: one [T][Dh] matrix per head.
    // 待办：每个头一个 [T][Dh] 矩阵。
    return [x]
}

func mergeHeads(_ perHead: [[[Double]]]) -> [[Double]] {
    // TODO: row t is the heads' rows t joined in head order.
    // 待办：第 t 行是各个头的第 t 行按头的顺序拼接起来。
    return perHead[0]
}
