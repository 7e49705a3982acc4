// Exercise top_p (lesson 3): nucleus (top-p) filtering.
//
// Given a probability distribution `probs` (non-negative, summing to 1) and 0 < p ≤ 1, keep the smallest set of the
// most likely tokens whose probabilities add up to at least p; set every other entry to 0 and renormalise the kept
// ones so they sum to 1 again. Always keep at least the most likely token.
//
// Check your work with:   lmlab exercise check top_p
// Stuck?                  lmlab exercise hint top_p

func topP(_ probs: [Double], p: Double) -> [Double] {
    // TODO: sort the token ids by probability, most likely first; add them up until the sum reaches p;
    // zero the rest; divide the kept ones by their sum.
    return probs
}
