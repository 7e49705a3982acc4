// WordTokenizer — words and punctuation: the tokenizer of the English n-gram, NNLM and word2vec lessons.
//
// Rules, chosen to be predictable and easy to explain (a learner can tokenize a sentence by hand):
//   1. Whitespace separates tokens and is dropped.
//   2. A word is a run of letters, digits and combining marks: "cat", "4th", "mp3", "naïve".
//   3. Inside a word, an apostrophe (' or ’) or a hyphen joins two letters/digits, so contractions and compounds stay
//      whole: "don't" → ["don't"] (NOT "do n't" as in the Penn Treebank), "rock'n'roll", "well-known". A leading or
//      trailing apostrophe is punctuation: "students'" → ["students", "'"].
//   4. Inside a number, "." and "," join digits: "3.14", "1,000" stay one token; the sentence-final "." in "in 2024."
//      is its own token.
//   5. Chinese (Han), Japanese kana: every character is a token (as CharTokenizer), so mixed text works:
//      "我爱NLP!" → ["我", "爱", "NLP", "!"].
//   6. Any other character (punctuation, symbols, emoji) is a token; a run of the same one is kept together ("...", "!!").
// Lowercasing is optional (`lowercase: true` folds "The" and "the" into one type, the usual choice for small corpora).
// Decoding joins tokens with spaces, no space before closing punctuation or between Chinese characters: a readable
// rendering, not an exact inverse (the original spacing is gone after step 1).

/// Splits text into words and punctuation and maps them to ids through a `TokenVocabulary`.
///
/// ```
/// WordTokenizer.split("Don't panic: it's 3.14, not 42!")
///   // ["Don't", "panic", ":", "it's", "3.14", ",", "not", "42", "!"]
/// ```
public struct WordTokenizer: Tokenizer, Sendable {
    public let vocabulary: TokenVocabulary
    public let lowercase: Bool

    public init(vocabulary: TokenVocabulary, lowercase: Bool = false) {
        self.vocabulary = vocabulary
        self.lowercase = lowercase
    }

    /// Builds the vocabulary from `corpus` (one string per sentence or line).
    /// - Parameters:
    ///   - minCount: words seen fewer times become `<unk>`.
    ///   - maxSize: at most this many ids, the three specials included.
    ///   - lowercase: fold case before counting and encoding.
    public static func train(on corpus: [String], minCount: Int = 1, maxSize: Int? = nil,
                             lowercase: Bool = false) -> WordTokenizer {
        let vocab = TokenVocabulary.build(from: corpus.lazy.map { split($0, lowercase: lowercase) },
                                          minCount: minCount, maxSize: maxSize)
        return WordTokenizer(vocabulary: vocab, lowercase: lowercase)
    }

    /// The tokens of `text` under this tokenizer's case setting.
    public func split(_ text: String) -> [String] { Self.split(text, lowercase: lowercase) }

    /// The tokens of `text` (rules 1–6 above).
    public static func split(_ text: String, lowercase: Bool = false) -> [String] {
        let chars = Array(lowercase ? text.lowercased() : text)
        var tokens: [String] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if isIdeograph(c) {                                   // rule 5
                tokens.append(String(c)); i += 1; continue
            }
            var j = i + 1
            if isWordChar(c) {                                    // rules 2–4
                while j < chars.count {
                    if isWordChar(chars[j]) { j += 1; continue }
                    if j + 1 < chars.count, isWordChar(chars[j + 1]),
                       joins(chars[j], after: chars[j - 1], before: chars[j + 1]) {
                        j += 2; continue
                    }
                    break
                }
            } else {                                              // rule 6
                while j < chars.count && chars[j] == c { j += 1 }
            }
            tokens.append(String(chars[i..<j]))
            i = j
        }
        return tokens
    }

    public var count: Int { vocabulary.count }
    public func piece(_ id: Int) -> String { vocabulary.piece(id) }
    public func id(of piece: String) -> Int? { vocabulary.id(of: piece) }

    public func encode(_ text: String) -> [Int] { split(text).map(vocabulary.idOrUnknown) }

    public func decode(_ ids: [Int]) -> String { Self.join(ids.map(vocabulary.piece)) }

    /// Tokens joined into readable text: spaces between words, none before closing punctuation, after opening
    /// brackets, or between Chinese characters.
    public static func join(_ tokens: [String]) -> String {
        var out = ""
        var previous: String? = nil
        for t in tokens {
            if let p = previous, needsSpace(between: p, and: t) { out += " " }
            out += t
            previous = t
        }
        return out
    }

    // MARK: - Character classes

    /// Han ideographs and Japanese kana: one token per character.
    static func isIdeograph(_ c: Character) -> Bool {
        guard let s = c.unicodeScalars.first else { return false }
        switch s.value {
        case 0x3040...0x30FF, 0x31F0...0x31FF,       // hiragana, katakana
             0x3400...0x4DBF, 0x4E00...0x9FFF,       // CJK unified ideographs (+ extension A)
             0xF900...0xFAFF, 0x20000...0x3134F:     // compatibility ideographs, extensions B–H
            return true
        default:
            return false
        }
    }

    static func isWordChar(_ c: Character) -> Bool {
        (c.isLetter || c.isNumber) && !isIdeograph(c)
    }

    /// Whether `joiner` between `left` and `right` keeps one word (rules 3 and 4).
    static func joins(_ joiner: Character, after left: Character, before right: Character) -> Bool {
        switch joiner {
        case "'", "\u{2019}", "-": return true
        case ".", ",": return left.isNumber && right.isNumber
        default: return false
        }
    }

    private static let closing: Set<String> = [".", ",", "!", "?", ";", ":", ")", "]", "}", "%", "'", "\u{2019}",
                                               "\u{201D}", "...", "。", "，", "！", "？", "；", "：", "、", "）", "」", "』"]
    private static let opening: Set<String> = ["(", "[", "{", "\u{201C}", "\u{2018}", "（", "「", "『"]

    private static func needsSpace(between left: String, and right: String) -> Bool {
        if closing.contains(right) || opening.contains(left) { return false }
        let cjk = { (s: String) in s.first.map { isIdeograph($0) || closingCJK($0) } ?? false }
        if cjk(left) || cjk(right) { return false }
        return true
    }

    private static func closingCJK(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x3000...0x303F).contains(v) || (0xFF00...0xFF65).contains(v)
    }
}
