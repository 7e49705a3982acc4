// Exercise int8_rows (lesson 8): int8 quantisation of a weight row.
// 练习 int8_rows（第 8 课）：权重行的 int8 量化。
//
// Symmetric per-row int8: scale = max|w| / 127 and
// q[c] = round(w[c] / scale), rounded to the nearest integer (ties to even)
// and kept within −127…127, so w[c] ≈ scale · q[c]. A row of zeros has
// scale 0 and q = 0.
//
// 按行对称的 int8 量化：scale = max|w| / 127，q[c] = round(w[c] / scale)，
// 取最近的整数（恰好在中间时取偶数），并限制在 −127…127 之内，于是
// w[c] ≈ scale · q[c]。全零的行 scale 为 0，q 也全为 0。
//
// Check your work with / 检查：    lmlab exercise check int8_rows
// Stuck? / 卡住了：                lmlab exercise hint int8_rows
// Leave this running / 边改边查：  lmlab exercise watch int8_rows
import Foundation

func quantizeRow(_ w: [Double]) -> (scale: Double, q: [Int]) {
    // TODO: the scale from the largest magnitude, then every weight as a
    // multiple of it.
    // 待办：由绝对值最大的数得到 scale，再把每个权重表示成它的整数倍。
    return (1, w.map { Int($0) })
}
