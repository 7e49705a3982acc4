// CharTokenizer — one token per character: the tokenizer of the Chinese n-gram and RNN lessons.
//
// Chinese is written without spaces between words, and word segmentation is itself a model; the classic lessons
// therefore count characters: "我爱我的猫" → 我 爱 我 的 猫. A "character" is a Swift `Character` (an extended
// grapheme cluster), so "é" written as e + U+0301 and a flag emoji are one token each, as a reader sees them.
// Whitespace is either kept as tokens (character-level English, where the space matters) or dropped.

/// Splits text into characters and maps them to ids through a `TokenVocabulary`.
///
/// ```
/// let tok = CharTokenizer.train(on: ["我爱我的猫", "我爱你"], minCount: 2)
/// tok.split("我爱猫")            // ["我", "爱", "猫"]
/// tok.pieces("我爱猫")           // ["我", "爱", "<unk>"]   (猫 was seen once)
/// ```
public struct CharTokenizer: Tokenizer, Sendable {
    /// What happens to spaces, tabs and newlines.
    public enum Whitespace: Sendable {
        /// Each whitespace character is a token of its own (character-level English).
        case keep
        /// Whitespace is removed before counting and encoding (Chinese text).
        case drop
    }

    public let vocabulary: TokenVocabulary
    public let whitespace: Whitespace

    public init(vocabulary: TokenVocabulary, whitespace: Whitespace = .drop) {
        self.vocabulary = vocabulary
        self.whitespace = whitespace
    }

    /// Builds the vocabulary from `corpus` (one string per sentence or line).
    /// - Parameters:
    ///   - minCount: characters seen fewer times become `<unk>`.
    ///   - maxSize: at most this many ids, the three specials included.
    public static func train(on corpus: [String], minCount: Int = 1, maxSize: Int? = nil,
                             whitespace: Whitespace = .drop) -> CharTokenizer {
        let splitter = CharTokenizer(vocabulary: TokenVocabulary(tokens: []), whitespace: whitespace)
        let vocab = TokenVocabulary.build(from: corpus.lazy.map(splitter.split), minCount: minCount, maxSize: maxSize)
        return CharTokenizer(vocabulary: vocab, whitespace: whitespace)
    }

    /// The characters of `text` as strings, whitespace dropped or kept per `whitespace`.
    public func split(_ text: String) -> [String] {
        var out: [String] = []
        out.reserveCapacity(text.count)
        for c in text {
            if whitespace == .drop && c.isWhitespace { continue }
            out.append(String(c))
        }
        return out
    }

    public var count: Int { vocabulary.count }
    public func piece(_ id: Int) -> String { vocabulary.piece(id) }
    public func id(of piece: String) -> Int? { vocabulary.id(of: piece) }

    public func encode(_ text: String) -> [Int] { split(text).map(vocabulary.idOrUnknown) }

    /// The characters joined back together (nothing is inserted between them).
    public func decode(_ ids: [Int]) -> String { ids.map(vocabulary.piece).joined() }
}
