// Exercise softmax (lesson 1): softmax that never overflows.
//
// Turn a model's scores (logits) z into probabilities: p_i = e^(z_i) / Σ_j e^(z_j). Every p_i is in (0, 1] and
// they sum to 1. It must work for any finite logits — [1000, 999, 998] included, where e^1000 is ∞ in Double.
//
// Check your work with:   lmlab exercise check softmax
// Stuck?                  lmlab exercise hint softmax
// Leave this running:     lmlab exercise watch softmax
import Foundation

func softmax(_ logits: [Double]) -> [Double] {
    // TODO: exponentiate every logit and divide by the sum (safely).
    return logits
}
