// NGramCounts — every k-gram count of a corpus for k = 1…n, and the derived tables that smoothing needs.
//
// Lesson 4 ("Counting"): a language model can be nothing more than a table of counts. Each sentence is padded
// with n−1 start tokens and `endPadding` end tokens, then every window of length 1…n is counted
// (what nltk calls the padded everygrams):
//
//     n = 3, "the cat sleeps":   <s> <s> the cat sleeps </s>
//     1-grams: <s> <s> the cat sleeps </s>     2-grams: (<s> <s>) (<s> the) (the cat) …    3-grams: (<s> <s> the) …
//
// Storage: k-grams are dense indices per order (see GramTable.swift). Order 1 uses the token id itself.
// Beside the raw counts c(·) we keep, per context h (a (k−1)-gram), what MLE, add-k and Kneser–Ney read:
//     N(h)   = Σ_w c(h w)                         total count of what followed h
//     T(h)   = |{w : c(h w) > 0}|                 how many different tokens followed h
//     N₁₊(• g) = |{x : c(x g) > 0}|               continuation count of a k-gram g (in how many contexts it appears)
//     C(h)   = Σ_w N₁₊(• h w)                      continuation total of a context
// Kneser & Ney, "Improved backing-off for m-gram language modeling" (ICASSP 1995); Chen & Goodman (1998),
// https://dash.harvard.edu/handle/1/25104739 .

/// The counts of one order k.
struct NGramLevel: Sendable {
    /// k-gram key (prefix index · V + last token) → k-gram index; unused for k = 1 (the index is the token id).
    var table = GramTable()
    /// c(g) by k-gram index.
    var count: [Int] = []
    /// Index of the (k−1)-gram prefix of each k-gram (k ≥ 2); the single empty context 0 for k = 1.
    var prefix: [Int32] = []
    /// Last token id of each k-gram.
    var last: [Int32] = []
    /// Index of the (k−1)-gram suffix of each k-gram (k ≥ 2).
    var suffix: [Int32] = []
    /// N(h), T(h) by context index ((k−1)-gram index; one slot for k = 1).
    var contextTotal: [Int] = []
    var contextTypes: [Int] = []
    /// N₁₊(• g) by k-gram index, and C(h) by context index (k < n only; empty at the highest order).
    var continuation: [Int] = []
    var continuationTotal: [Int] = []
}

/// How sentences are padded before counting.
public struct NGramPadding: Sendable, Equatable {
    /// Number of `</s>` appended to each sentence. 1 is the textbook choice (predict one end of sentence);
    /// nltk's `padded_everygram_pipeline` appends n−1 (`NGramPadding.nltk(order:)`).
    public var endCount: Int
    public init(endCount: Int) { self.endCount = endCount }
    public static let single = NGramPadding(endCount: 1)
    public static func nltk(order: Int) -> NGramPadding { NGramPadding(endCount: order - 1) }
}

/// All k-gram counts, k = 1…order, of a tokenized corpus.
public struct NGramCounts: Sendable {
    /// n: the longest k-gram counted (1…5… any n ≥ 1 whose keys fit 64 bits).
    public let order: Int
    /// V: token ids are 0..<V.
    public let vocabularySize: Int
    public let beginId: Int
    public let endId: Int
    public let padding: NGramPadding
    /// Sentences counted and tokens counted (padding excluded).
    public private(set) var sentenceCount = 0
    public private(set) var tokenCount = 0
    var levels: [NGramLevel]   // levels[k − 1] holds the k-grams

    /// Counts `sentences` (token ids in 0..<vocabularySize, without padding).
    public init(order: Int, vocabularySize: Int, beginId: Int, endId: Int, padding: NGramPadding = .single,
                sentences: [[Int]]) {
        precondition(order >= 1, "NGramCounts: order must be ≥ 1, got \(order)")
        precondition(vocabularySize > 0, "NGramCounts: empty vocabulary")
        self.order = order
        self.vocabularySize = vocabularySize
        self.beginId = beginId
        self.endId = endId
        self.padding = padding
        levels = (0..<order).map { _ in NGramLevel() }
        levels[0].count = Array(repeating: 0, count: vocabularySize)
        levels[0].last = (0..<vocabularySize).map { Int32($0) }
        levels[0].prefix = Array(repeating: 0, count: vocabularySize)
        countAll(sentences)
        derive()
    }

    // MARK: - Counting

    private mutating func countAll(_ sentences: [[Int]]) {
        let n = order, V = UInt64(vocabularySize)
        var padded: [Int32] = []
        var isNew = false
        for sentence in sentences {
            sentenceCount += 1
            tokenCount += sentence.count
            padded.removeAll(keepingCapacity: true)
            for _ in 0..<(n - 1) { padded.append(Int32(beginId)) }
            for t in sentence {
                precondition(t >= 0 && t < vocabularySize, "NGramCounts: token id \(t) outside 0..<\(vocabularySize)")
                padded.append(Int32(t))
            }
            for _ in 0..<padding.endCount { padded.append(Int32(endId)) }
            let L = padded.count
            for i in 0..<L {
                // Walk the trie: the 1-gram at i, then the 2-gram starting at i, … up to the n-gram.
                var idx = Int(padded[i])
                levels[0].count[idx] += 1
                var k = 2
                while k <= n && i + k <= L {
                    let w = padded[i + k - 1]
                    let key = UInt64(idx) &* V &+ UInt64(w)
                    idx = levels[k - 1].table.findOrInsert(key, isNew: &isNew)
                    if isNew {
                        levels[k - 1].count.append(1)
                        levels[k - 1].prefix.append(Int32(truncatingIfNeeded: Int(key / V)))
                        levels[k - 1].last.append(w)
                    } else {
                        levels[k - 1].count[idx] += 1
                    }
                    k += 1
                }
            }
        }
    }

    /// Suffix links, N(h), T(h), continuation counts and totals.
    private mutating func derive() {
        let n = order, V = UInt64(vocabularySize)
        for k in 1...n {
            let contexts = k == 1 ? 1 : levels[k - 2].count.count
            var total = Array(repeating: 0, count: contexts)
            var types = Array(repeating: 0, count: contexts)
            let level = levels[k - 1]
            for g in level.count.indices where level.count[g] > 0 {
                let h = Int(level.prefix[g])
                total[h] += level.count[g]
                types[h] += 1
            }
            levels[k - 1].contextTotal = total
            levels[k - 1].contextTypes = types
            if k >= 2 {
                var suffix = [Int32](repeating: 0, count: level.count.count)
                for g in level.count.indices {
                    if k == 2 { suffix[g] = level.last[g]; continue }
                    // suffix(g) = suffix(prefix(g)) followed by last(g): a (k−1)-gram that was counted too.
                    let s = levels[k - 2].suffix[Int(level.prefix[g])]
                    let key = UInt64(s) &* V &+ UInt64(level.last[g])
                    guard let idx = levels[k - 2].table.find(key) else {
                        preconditionFailure("NGramCounts: suffix of a \(k)-gram was not counted")
                    }
                    suffix[g] = Int32(idx)
                }
                levels[k - 1].suffix = suffix
            }
        }
        // Continuation counts of order k come from the distinct (k+1)-grams.
        for k in stride(from: 1, to: n, by: 1) {
            var cont = Array(repeating: 0, count: levels[k - 1].count.count)
            let upper = levels[k]
            for g in upper.count.indices where upper.count[g] > 0 { cont[Int(upper.suffix[g])] += 1 }
            var contTotal = Array(repeating: 0, count: levels[k - 1].contextTotal.count)
            for g in cont.indices where cont[g] > 0 { contTotal[Int(levels[k - 1].prefix[g])] += cont[g] }
            levels[k - 1].continuation = cont
            levels[k - 1].continuationTotal = contTotal
        }
    }

    // MARK: - Lookup

    /// The index of `gram` at order gram.count, or nil when it was never counted. The empty gram is context 0.
    func index<C: Collection>(of gram: C) -> Int? where C.Element == Int {
        guard let first = gram.first else { return 0 }
        guard first >= 0 && first < vocabularySize else { return nil }
        var idx = first
        var k = 1
        for w in gram.dropFirst() {
            k += 1
            guard k <= order, w >= 0, w < vocabularySize else { return nil }
            guard let next = levels[k - 1].table.find(UInt64(idx) &* UInt64(vocabularySize) &+ UInt64(w)) else {
                return nil
            }
            idx = next
        }
        return idx
    }

    /// c(gram): how often the k-gram was counted (0 when never).
    public func count<C: Collection>(_ gram: C) -> Int where C.Element == Int {
        guard !gram.isEmpty, gram.count <= order, let g = index(of: gram) else { return 0 }
        return levels[gram.count - 1].count[g]
    }

    /// Number of distinct k-grams seen (types), for k = 1…n.
    public func typeCount(order k: Int) -> Int {
        precondition(k >= 1 && k <= order, "typeCount: order \(k) outside 1…\(order)")
        return levels[k - 1].count.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
    }

    /// Total number of k-gram windows counted (tokens of order k).
    public func windowCount(order k: Int) -> Int {
        precondition(k >= 1 && k <= order, "windowCount: order \(k) outside 1…\(order)")
        return levels[k - 1].contextTotal.reduce(0, +)
    }
}
