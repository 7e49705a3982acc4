// Exercise rms_norm (lesson 8): RMSNorm.
//
// ERNIE 4.5 normalises each hidden vector before attention and before the MLP with RMSNorm:
//   y = x / √(mean(x²) + ε) ⊙ gain
// no mean subtraction and no bias (unlike LayerNorm); ε keeps a vector of zeros finite.
//
// Check your work with:   lmlab exercise check rms_norm
// Stuck?                  lmlab exercise hint rms_norm
// Leave this running:     lmlab exercise watch rms_norm
import Foundation

func rmsNorm(_ x: [Double], gain: [Double], epsilon: Double) -> [Double] {
    // TODO: divide by the root of the mean square (plus epsilon), then multiply by the gain.
    return x
}
