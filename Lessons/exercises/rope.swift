// Exercise rope (lesson 8): interleaved RoPE.
// 练习 rope（第 8 课）：交错式 RoPE。
//
// Rotary position embedding as ERNIE 4.5 applies it to each query and key
// head vector x (even length Dh): pair i is the ADJACENT pair
// (x[2i], x[2i+1]), rotated by angle = position · θ^(−2i/Dh):
//   out[2i]   = x[2i]·cos(angle) − x[2i+1]·sin(angle)
//   out[2i+1] = x[2i+1]·cos(angle) + x[2i]·sin(angle)
//
// 旋转位置编码，按 ERNIE 4.5 的做法作用在每个查询头和键头的向量 x 上（长度
// Dh 为偶数）：第 i 对是“相邻”的一对 (x[2i], x[2i+1])，旋转角度
// angle = position · θ^(−2i/Dh)：
//   out[2i]   = x[2i]·cos(angle) − x[2i+1]·sin(angle)
//   out[2i+1] = x[2i+1]·cos(angle) + x[2i]·sin(angle)
//
// Check your work with / 检查：    lmlab exercise check rope
// Stuck? / 卡住了：                lmlab exercise hint rope
// Leave this running / 边改边查：  lmlab exercise watch rope
import Foundation

func rope(_ x: [Double], position: Int, theta: Double) -> [Double] {
    // TODO: rotate every adjacent pair by its own angle.
    // 待办：把每一对相邻元素按它自己的角度旋转。
    return x
}
