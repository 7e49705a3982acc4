// Exercise temperature (lesson 3): softmax with a temperature.
//
// Sampling with temperature T divides every logit by T before the softmax: p_i = softmax(z / T)_i. T < 1 sharpens
// the distribution (T → 0 becomes greedy), T > 1 flattens it. T is > 0; logits are finite.
//
// Check your work with:   lmlab exercise check temperature
// Stuck?                  lmlab exercise hint temperature
// Leave this running:     lmlab exercise watch temperature
import Foundation

func softmaxWithTemperature(_ logits: [Double], temperature: Double) -> [Double] {
    // TODO: divide by the temperature, then a (safe) softmax.
    return logits
}
