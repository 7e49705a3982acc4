// Exercise temperature (lesson 3): softmax with a temperature.
// 练习 temperature（第 3 课）：带温度的 softmax。
//
// Sampling with temperature T divides every logit by T before the softmax:
// p_i = softmax(z / T)_i. T < 1 sharpens the distribution (T → 0 becomes
// greedy), T > 1 flattens it. T is > 0; logits are finite.
//
// 以温度 T 采样时，先把每个 logit 除以 T，再做 softmax：
// p_i = softmax(z / T)_i。T < 1 让分布更尖（T → 0 就成了贪心解码），T > 1
// 让它更平。T > 0；logit 都是有限的。
//
// Check your work with / 检查：    lmlab exercise check temperature
// Stuck? / 卡住了：                lmlab exercise hint temperature
// Leave this running / 边改边查：  lmlab exercise watch temperature
import Foundation

func softmaxWithTemperature(_ logits: [Double], temperature: Double) -> [Double] {
    // TODO: divide by the temperature, then a (safe) softmax.
    // 待办：先除以温度，再做（安全的）softmax。
    return logits
}
