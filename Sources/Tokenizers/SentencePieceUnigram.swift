// SentencePieceUnigram.swift — unigram-LM segmentation (Viterbi), as the library's optimized encoder
// (unigram_model.cc, EncodeOptimized).
//
// A unigram model scores a segmentation x₁…x_k by Σ log p(xᵢ) (the piece scores). The best one is found by
// dynamic programming over byte positions:
//     best(e) = max over pieces w = text[s..<e] of  best(s) + score(w),        best(0) = 0
// Rules the library adds, reproduced exactly:
//   • UNUSED pieces are never used.
//   • A user-defined piece scores  length_in_bytes · maxScore − 0.1  (maxScore = the highest NORMAL score, but
//     never below FLT_MIN), so it beats any split of itself.
//   • Where no piece covers the first character at s, an <unk> edge spanning that one character scores
//     minScore − 10 (minScore = the lowest NORMAL score).
//   • Arithmetic as in C++: scores are Float, a candidate is summed in Double when the piece score is
//     (user-defined bonus, normal piece) and stored back as Float; ties keep the earlier start.
// Kudo, "Subword Regularization", https://arxiv.org/abs/1804.10959

/// The unigram segmenter of one model.
struct SentencePieceUnigram: Sendable {
    let vocab: SentencePieceVocabulary
    let minScore: Float
    let maxScore: Float
    /// The library's kUnkPenalty.
    static let unkPenalty: Float = 10

    init(vocab: SentencePieceVocabulary) {
        self.vocab = vocab
        var lo = Float.greatestFiniteMagnitude       // FLT_MAX
        var hi = Float.leastNormalMagnitude          // FLT_MIN, as the library initializes it
        for (t, s) in zip(vocab.types, vocab.scores) where t == .normal {
            lo = min(lo, s)
            hi = max(hi, s)
        }
        minScore = lo
        maxScore = hi
    }

    /// Segments `text` (normalized UTF-8) and appends the pieces to `out`.
    func segment(_ text: UnsafeBufferPointer<UInt8>, into out: inout [SentencePieceSegment]) {
        let n = text.count
        guard n > 0 else { return }
        let unkScore = minScore - Self.unkPenalty
        let unk = Int32(vocab.unkId)
        // best path ending at byte e: its score, where its last piece starts, and that piece's id.
        var bestScore = [Float](repeating: 0, count: n + 1)
        var from = [Int32](repeating: -1, count: n + 1)
        var bestId = [Int32](repeating: -1, count: n + 1)
        let trie = vocab.segmentable
        vocab.types.withUnsafeBufferPointer { types in
        vocab.scores.withUnsafeBufferPointer { scores in
            var s = 0
            while s < n {
                let base = bestScore[s]
                let charLen = min(SentencePieceUTF8.oneCharLength(text[s]), n - s)
                var hasSingleCharPiece = false
                var node: Int32 = 0
                var k = s
                while k < n {
                    node = trie.child(node, text[k])
                    if node < 0 { break }
                    k += 1
                    let v = trie.values[Int(node)]
                    if v < 0 { continue }
                    let type = types[Int(v)]
                    if type == .unused { continue }
                    let length = k - s
                    let score: Double = type == .userDefined
                        ? Double(Float(length) * maxScore) - 0.1
                        : Double(scores[Int(v)])
                    let candidate = score + Double(base)
                    if from[k] == -1 || candidate > Double(bestScore[k]) {
                        bestScore[k] = Float(candidate)
                        from[k] = Int32(s)
                        bestId[k] = v
                    }
                    if length == charLen { hasSingleCharPiece = true }
                }
                if !hasSingleCharPiece {
                    let e = s + charLen
                    let candidate = unkScore + base
                    if from[e] == -1 || candidate > bestScore[e] {
                        bestScore[e] = candidate
                        from[e] = Int32(s)
                        bestId[e] = unk
                    }
                }
                s += charLen
            }
        }
        }
        // Backtrack from the end.
        let first = out.count
        var e = n
        while e > 0 {
            let s = Int(from[e])
            out.append(SentencePieceSegment(start: Int32(s), length: Int32(e - s), id: bestId[e]))
            e = s
        }
        out[first...].reverse()
    }
}
