// Exercise min_p (lesson 3): min-p filtering.
//
// Min-p keeps the tokens whose probability is at least minP × the largest probability (0 < minP ≤ 1), so the cut
// moves with the model's confidence. Set the others to 0 and renormalise the kept ones so they sum to 1.
//
// Check your work with:   lmlab exercise check min_p
// Stuck?                  lmlab exercise hint min_p
// Leave this running:     lmlab exercise watch min_p
import Foundation

func minP(_ probs: [Double], minP: Double) -> [Double] {
    // TODO: compute the threshold from the largest probability, keep what reaches it, renormalise.
    return probs
}
