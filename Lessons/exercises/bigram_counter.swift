// Exercise bigram_counter (lesson 4): count bigrams.
//
// Each sentence is a list of tokens. Pad it with "<s>" in front and "</s>" at the end, then count every pair of
// neighbours: for ["the", "cat"] the pairs are (<s>, the), (the, cat), (cat, </s>).
// Return counts[first][second] = how many times `second` followed `first` in all sentences.
//
// Check your work with:   lmlab exercise check bigram_counter
// Stuck?                  lmlab exercise hint bigram_counter

func countBigrams(_ sentences: [[String]]) -> [String: [String: Int]] {
    var counts: [String: [String: Int]] = [:]
    // TODO: for every sentence, pad it and add 1 to counts[a][b] for each neighbouring pair (a, b).
    return counts
}
