// Exercise continuation_score (lesson 2): score a continuation, token by token.
//
// `ids` is a text as token ids; ids[0] is the start token <s>, context only. `logProbs[i]` is the model's
// log-probability of every token of the vocabulary AFTER it has read ids[0...i] (there are ids.count − 1 rows).
// Return log P(ids[1...] | ids[0]) — the number `lmlab prob` and `lmlab classify` add up for a continuation.
//
// Check your work with:   lmlab exercise check continuation_score
// Stuck?                  lmlab exercise hint continuation_score
// Leave this running:     lmlab exercise watch continuation_score
import Foundation

func continuationLogProb(ids: [Int], logProbs: [[Double]]) -> Double {
    // TODO: add up, for every token after the first, the log-probability its row gave it.
    return 0
}
