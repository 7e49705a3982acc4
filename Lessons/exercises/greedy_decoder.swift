// Exercise greedy_decoder (lesson 10, the assignment; greedy decoding itself is taught in lesson 3): write a greedy decoder.
//
// `nextLogProbs(ids)` asks the model for log P(next token | ids) over the whole vocabulary: entry t is the
// log-probability that token t comes next. Start from `prompt`, and at every step append the most likely token.
// Stop after `maxNewTokens` new tokens, or right after appending `endToken` (keep the end token in the result).
// Return only the new tokens, not the prompt.
//
// Check your work with:   lmlab exercise check greedy_decoder
// Stuck?                  lmlab exercise hint greedy_decoder

func greedyDecode(prompt: [Int], maxNewTokens: Int, endToken: Int,
                  nextLogProbs: ([Int]) -> [Float]) -> [Int] {
    var generated: [Int] = []
    // TODO: loop up to maxNewTokens times: ask nextLogProbs for the distribution after prompt + generated,
    // pick the index of the largest value, append it, and stop after the end token.
    return generated
}
