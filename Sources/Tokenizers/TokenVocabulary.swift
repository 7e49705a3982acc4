// TokenVocabulary — the vocabulary of the classic lessons' tokenizers (characters, words), built by counting.
//
// A token that occurs fewer than `minCount` times in the training corpus is left out and later reads as `<unk>`:
// this is how the n-gram lesson shows the "unknown word" problem. Ids are stable for a given corpus: specials first
// (`<unk>` 0, `<s>` 1, `</s>` 2), then tokens by descending count, ties by Unicode code-point order.
import LabCore

/// An id ↔ token table with the three special tokens of the classic lessons.
public struct TokenVocabulary: Vocabulary, Sendable, Equatable {
    public static let unknown = "<unk>"
    public static let begin = "<s>"
    public static let end = "</s>"

    /// Token text by id: `tokens[0] == "<unk>"`, `tokens[1] == "<s>"`, `tokens[2] == "</s>"`.
    public private(set) var tokens: [String]
    private var index: [String: Int]

    public var unknownId: Int { 0 }
    public var beginId: Int { 1 }
    public var endId: Int { 2 }

    /// A vocabulary of the specials followed by `tokens` in the given order (duplicates and specials are skipped).
    public init(tokens: [String]) {
        self.tokens = []
        self.index = [:]
        for t in [Self.unknown, Self.begin, Self.end] + tokens where index[t] == nil {
            index[t] = self.tokens.count
            self.tokens.append(t)
        }
    }

    /// Counts `tokenizedCorpus` and keeps every token seen at least `minCount` times, most frequent first.
    ///
    /// - Parameters:
    ///   - tokenizedCorpus: the corpus, already split into tokens (one array per sentence or line).
    ///   - minCount: tokens rarer than this become `<unk>` (≥ 1).
    ///   - maxSize: keep at most this many ids in total, specials included (nil: no limit).
    public static func build<S: Sequence>(from tokenizedCorpus: S, minCount: Int = 1, maxSize: Int? = nil) -> TokenVocabulary
    where S.Element == [String] {
        precondition(minCount >= 1, "minCount must be ≥ 1")
        var counts: [String: Int] = [:]
        for sentence in tokenizedCorpus { for t in sentence { counts[t, default: 0] += 1 } }
        var kept = counts.filter { $0.value >= minCount && ![unknown, begin, end].contains($0.key) }
            .sorted { a, b in
                if a.value != b.value { return a.value > b.value }
                return a.key.unicodeScalars.lexicographicallyPrecedes(b.key.unicodeScalars)
            }
            .map(\.key)
        if let maxSize { kept = Array(kept.prefix(max(0, maxSize - 3))) }
        return TokenVocabulary(tokens: kept)
    }

    public var count: Int { tokens.count }

    /// The token text of `id`; ids outside the table read as `<unused:ID>`.
    public func piece(_ id: Int) -> String {
        id >= 0 && id < tokens.count ? tokens[id] : "<unused:\(id)>"
    }

    /// The id of `token`, or nil when it is not in the table.
    public func id(of token: String) -> Int? { index[token] }

    /// The id of `token`, or `<unk>`'s id.
    public func idOrUnknown(_ token: String) -> Int { index[token] ?? unknownId }

    public static func == (a: TokenVocabulary, b: TokenVocabulary) -> Bool { a.tokens == b.tokens }
}
