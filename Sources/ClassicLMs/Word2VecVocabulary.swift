// Word2VecVocabulary — the words word2vec learns vectors for, how often it skips each one, and how it draws
// negative samples (Mikolov et al., 2013, "Distributed Representations of Words and Phrases and their
// Compositionality", https://arxiv.org/abs/1310.4546, §2.2–2.3).
//
// Three tables, all fixed before training starts:
//   • the vocabulary: every word seen at least `minCount` times, most frequent first (ties by code points);
//     rarer words are dropped from the text altogether (not mapped to <unk>), as in the C tool and gensim;
//   • keep probabilities for frequent-word subsampling (gensim's formula, below);
//   • the unigram^0.75 table for negative sampling (the C tool's table).
import Foundation

/// Word2vec's vocabulary with its subsampling and negative-sampling tables. Ids are indices into `words`.
public struct Word2VecVocabulary: Sendable, Equatable {
    /// Words by id, most frequent first.
    public let words: [String]
    /// Occurrences of each word in the training text, by id.
    public let counts: [Int]
    /// Σ counts: the words of the text that survive `minCount`.
    public let totalCount: Int
    /// The `sample` setting the keep probabilities were computed with (0: no subsampling).
    public let sample: Double
    /// P(keep word i) for each occurrence, by id (1 for rare words).
    public let keepProbability: [Double]
    /// `keepProbability` as a 32-bit threshold: an occurrence is kept when a uniform UInt32 < threshold
    /// (UInt64 so that probability 1 is 2³², always kept).
    let keepThreshold: [UInt64]
    /// The negative-sampling table: word i fills ≈ T · P_n(i) of its T slots, P_n(i) = cᵢ^0.75 / Σⱼ cⱼ^0.75.
    public let negativeTable: [Int32]
    private let index: [String: Int]

    /// Builds the vocabulary of `sentences`.
    ///
    /// - Parameters:
    ///   - minCount: words seen fewer times are dropped (≥ 1).
    ///   - sample: the subsampling threshold s (gensim's `sample`; 1e-3 is its default, 0 turns subsampling off).
    ///   - tableSize: slots of the negative-sampling table; nil picks max(10⁶, 1000 · V) capped at 10⁸ (the C tool
    ///     uses 10⁸), so even the rarest word gets hundreds of slots.
    public init<S: Sequence>(sentences: S, minCount: Int, sample: Double, tableSize: Int? = nil)
    where S.Element == [String] {
        precondition(minCount >= 1, "minCount must be ≥ 1")
        var raw: [String: Int] = [:]
        for s in sentences { for w in s { raw[w, default: 0] += 1 } }
        let kept = raw.filter { $0.value >= minCount }.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.unicodeScalars.lexicographicallyPrecedes(b.key.unicodeScalars)
        }
        self.init(words: kept.map(\.key), counts: kept.map(\.value), sample: sample, tableSize: tableSize)
    }

    /// A vocabulary from words and their counts (given in id order), e.g. read back from a saved model.
    public init(words: [String], counts: [Int], sample: Double, tableSize: Int? = nil) {
        precondition(words.count == counts.count && !words.isEmpty, "a word2vec vocabulary needs ≥ 1 word with a count")
        precondition(sample >= 0, "sample must be ≥ 0")
        self.words = words
        self.counts = counts
        self.sample = sample
        var index: [String: Int] = [:]
        for (i, w) in words.enumerated() { index[w] = i }
        self.index = index
        let total = counts.reduce(0, +)
        totalCount = total
        let keep = counts.map { Word2VecVocabulary.keepProbability(count: $0, total: total, sample: sample) }
        keepProbability = keep
        keepThreshold = keep.map { UInt64(($0 * 4_294_967_296).rounded()) }
        let size = tableSize ?? min(100_000_000, max(1_000_000, 1000 * words.count))
        negativeTable = Self.unigramTable(counts: counts, size: size)
    }

    public var count: Int { words.count }

    /// The id of `word`, or nil when it is not in the vocabulary.
    public func id(of word: String) -> Int? { index[word] }

    /// Probability that one occurrence of a word seen `count` times in `total` words is kept (gensim's `sample`
    /// formula, word2vec.py `prepare_vocab`, which is also the C tool's):
    ///
    ///     t = s · total,   P(keep) = min(1, (√(count / t) + 1) · t / count)
    ///
    /// so a word with frequency f = count/total keeps (√(f/s) + 1) · s/f of its occurrences. (The paper's
    /// formula, P(discard) = 1 − √(t/f), is the same idea without the "+ 1"; the tools use this one.)
    /// `sample` = 0 keeps everything.
    public static func keepProbability(count: Int, total: Int, sample: Double) -> Double {
        guard sample > 0, count > 0 else { return 1 }
        let t = sample * Double(total)
        let c = Double(count)
        return min(1, ((c / t).squareRoot() + 1) * t / c)
    }

    /// The C tool's negative-sampling table (`InitUnigramTable` in word2vec.c): with Fᵢ = Σⱼ≤ᵢ cⱼ^0.75 / Σ c^0.75,
    /// slot k holds the first word i with Fᵢ ≥ k / size, so word i fills ⌊size·Fᵢ⌋ − ⌊size·Fᵢ₋₁⌋ slots (word 0 one
    /// more, the last word one fewer), within one slot of size · P_n(i). (The C tool advances at most one word per slot; this loop advances past words
    /// whose share is below one slot.) Drawing a uniform slot draws a word from P_n(w) ∝ count(w)^0.75.
    public static func unigramTable(counts: [Int], size: Int, power: Double = 0.75) -> [Int32] {
        precondition(size > 0 && !counts.isEmpty)
        let weights = counts.map { pow(Double($0), power) }
        let total = weights.reduce(0, +)
        var table = [Int32](repeating: 0, count: size)
        var i = 0
        var cumulative = weights[0] / total
        for k in 0..<size {
            table[k] = Int32(i)
            while Double(k + 1) / Double(size) > cumulative && i < counts.count - 1 {
                i += 1
                cumulative += weights[i] / total
            }
        }
        return table
    }

    /// Longest sentence training takes in one piece; longer ones are cut into pieces of this size (gensim truncates
    /// at the same length instead).
    public static let maxSentenceLength = 10_000

    /// The sentences as id arrays, words outside the vocabulary removed, with no subsampling yet (that is drawn
    /// afresh every epoch). Empty sentences are dropped; long ones are cut at `maxSentenceLength`.
    public func encode<S: Sequence>(_ sentences: S) -> [[Int32]] where S.Element == [String] {
        var out: [[Int32]] = []
        for s in sentences {
            let ids = s.compactMap { index[$0].map(Int32.init) }
            for start in Swift.stride(from: 0, to: ids.count, by: Self.maxSentenceLength) {
                out.append(Array(ids[start ..< min(ids.count, start + Self.maxSentenceLength)]))
            }
        }
        return out
    }
}
