// CorpusStatistics — sizes, vocabulary and Zipf's law for a corpus.
//
// Zipf (1935/1949): the r-th most frequent word has frequency f(r) ≈ C / r^s with s ≈ 1, a straight line of
// slope −s on a log–log plot. We fit s by least squares on (ln r, ln f) over the ranks with f > 1.

/// What `lmlab corpus stats` reports.
public struct CorpusStatistics: Sendable, Codable {
    public var name: String
    public var sentences: Int
    public var tokens: Int
    public var bytes: Int
    public var types: Int
    /// Types seen exactly once (hapax legomena).
    public var singletons: Int
    public var heldOutSentences: Int
    public var heldOutTokens: Int
    /// Held-out tokens whose type never occurs in training.
    public var heldOutUnknown: Int
    /// Most frequent tokens with counts.
    public var top: [TokenCount]
    /// Zipf exponent s of f(r) ≈ C / r^s.
    public var zipfExponent: Double
    /// Frequency by rank (rank 1 first), for the plot.
    public var frequencies: [Int]

    public struct TokenCount: Sendable, Codable, Equatable {
        public var token: String
        public var count: Int
    }

    public init(_ corpus: Corpus, top topCount: Int = 20) {
        var counts: [String: Int] = [:]
        var tokens = 0
        for s in corpus.train { tokens += s.count; for t in s { counts[t, default: 0] += 1 } }
        let ranked = counts.sorted { a, b in
            a.value != b.value ? a.value > b.value : a.key.unicodeScalars.lexicographicallyPrecedes(b.key.unicodeScalars)
        }
        name = corpus.spec.name
        sentences = corpus.train.count
        self.tokens = tokens
        bytes = corpus.trainBytes
        types = counts.count
        singletons = counts.values.filter { $0 == 1 }.count
        heldOutSentences = corpus.heldOut.count
        heldOutTokens = corpus.heldOut.reduce(0) { $0 + $1.count }
        heldOutUnknown = corpus.heldOut.reduce(0) { acc, s in acc + s.filter { counts[$0] == nil }.count }
        top = ranked.prefix(topCount).map { TokenCount(token: $0.key, count: $0.value) }
        frequencies = ranked.map(\.value)
        zipfExponent = Self.zipfSlope(frequencies)
    }

    /// −slope of the least-squares line through (ln r, ln f(r)) for f > 1.
    static func zipfSlope(_ f: [Int]) -> Double {
        let pts = f.enumerated().filter { $0.element > 1 }.map { (x: log(Double($0.offset + 1)), y: log(Double($0.element))) }
        guard pts.count >= 2 else { return 0 }
        let n = Double(pts.count)
        let mx = pts.reduce(0) { $0 + $1.x } / n, my = pts.reduce(0) { $0 + $1.y } / n
        let sxy = pts.reduce(0) { $0 + ($1.x - mx) * ($1.y - my) }, sxx = pts.reduce(0) { $0 + ($1.x - mx) * ($1.x - mx) }
        return sxx > 0 ? -sxy / sxx : 0
    }
}
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
