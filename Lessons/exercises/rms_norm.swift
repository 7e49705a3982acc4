// Exercise rms_norm (lesson 8): RMSNorm.
// 练习 rms_norm（第 8 课）：RMSNorm。
//
// ERNIE 4.5 normalises each hidden vector before attention and before the
// MLP with RMSNorm:
//   y = x / √(mean(x²) + ε) ⊙ gain
// no mean subtraction and no bias (unlike LayerNorm); ε keeps a vector of
// zeros finite.
//
// ERNIE 4.5 在注意力之前和 MLP 之前，都用 RMSNorm 把每个隐藏向量归一化：
//   y = x / √(mean(x²) + ε) ⊙ gain
// 不减均值，也没有偏置（与 LayerNorm 不同）；ε 让全零向量的结果保持有限。
//
// Check your work with / 检查：    lmlab exercise check rms_norm
// Stuck? / 卡住了：                lmlab exercise hint rms_norm
// Leave this running / 边改边查：  lmlab exercise watch rms_norm
import Foundation

func rmsNorm(_ x: [Double], gain: [Double], epsilon: Double) -> [Double] {
    // TODO: divide by the root of the mean square (plus epsilon), then
    // multiply by the gain.
    // 待办：除以均方根（加上 epsilon），再乘以 gain。
    return x
}
