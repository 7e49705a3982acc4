// BPETrainer — learns a byte-pair-encoding vocabulary from a corpus and writes it as a SentencePiece BPE model.
//
// Byte-pair encoding (Sennrich et al., https://arxiv.org/abs/1508.07909): start from characters and repeatedly
// merge the most frequent adjacent pair into a new symbol:
//   1. Normalize every sentence as the model will at encode time (" " → "▁"; optional dummy prefix and
//      whitespace squeezing) and cut it into words: a word starts at the text start and at each "▁"
//      (a run of "▁" stays in one word when whitespace-only pieces are allowed: "a▁▁▁b" → a | ▁▁▁b).
//   2. Count words. Cut each word into atoms: a user-defined piece (longest match, frozen), or one Unicode scalar.
//      The alphabet is the most frequent scalars covering `characterCoverage` of all scalars; rarer scalars (and
//      control characters) are frozen too, and reach the model only through byte fallback.
//   3. Count every adjacent pair whose merge is allowed (rules below), weighted by word counts.
//   4. Take the most frequent pair (ties: smaller left id, then smaller right id; ids are deterministic), make the
//      merged symbol, rewrite the words that contain the pair, and update only the counts that changed.
//      Repeat until the vocabulary is full.
// Merge rules (as the library's trainer): a piece is at most `maxPieceLength` scalars; "▁" only at its start,
// unless the piece is all "▁" (`allowWhitespaceOnlyPieces`); one Unicode script per piece (Han, kana and
// the long-vowel mark count as one; punctuation is a script of its own), digits are a script of their own
// (`splitByNumber`) or always alone (`splitDigits`).
//
// The output is a SentencePiece ModelProto (type BPE): <unk> <s> </s>, user-defined pieces, 256 byte pieces
// <0x00>…<0xFF>, the merged pieces in learning order with scores 0, −1, −2, …, the alphabet (scores continue
// downward), then any trailing pieces. The library's encoder has no merge list: it repeatedly merges the adjacent
// pair whose concatenation is the highest-scoring piece, so descending scores replay the learned order.
//
// Speed: pair counts live in a hash table updated incrementally; a max-heap with lazy deletion picks the best
// pair; a pair → words index limits each merge to the words that contain it. A few MB train in seconds.

import Foundation

/// Trains SentencePiece-format BPE models.
///
/// ```
/// let options = BPETrainer.Options.ernieLike(vocabSize: 1000)   // digits 0–9 user-defined, as in ERNIE
/// let model = try BPETrainer(options: options).train(lines)
/// try model.write(to: URL(fileURLWithPath: "tiny.model"))
/// ```
public struct BPETrainer: Sendable {
    /// How raw text becomes the string that is split into pieces (and how the model will normalize at encode time).
    public enum Normalization: Sendable, Equatable {
        /// ERNIE-4.5's settings: identity rules, no dummy prefix, whitespace kept as is ("a  b" → "a▁▁b").
        case ernie
        /// The library's default whitespace handling, without NFKC: identity rules, a dummy "▁" prefix, spaces
        /// trimmed and squeezed ("  Hello  world " → "▁Hello▁world").
        case dummyPrefix
    }

    /// Training settings; `ernieLike(vocabSize:)` gives ERNIE-4.5's.
    public struct Options: Sendable, Equatable {
        /// Total number of pieces in the model: specials, user-defined, bytes, merges, alphabet, trailing pieces.
        public var vocabSize: Int
        public var normalization: Normalization = .ernie
        /// Pieces always kept whole (never merged with neighbours), placed right after <unk> <s> </s>.
        public var userDefinedPieces: [String] = []
        /// Pieces appended after everything else (ERNIE keeps e.g. <|end_of_sentence|> near the end of its vocabulary).
        public var trailingPieces: [TrailingPiece] = []
        /// Add <0x00>…<0xFF> so any character outside the alphabet can still be spelled.
        public var byteFallback = true
        /// Fraction of scalar occurrences the alphabet must cover (the rest goes through bytes).
        public var characterCoverage: Double = 0.9995
        /// Longest piece, in Unicode scalars.
        public var maxPieceLength = 16
        public var splitByUnicodeScript = true
        public var splitByNumber = true
        public var splitDigits = true
        public var allowWhitespaceOnlyPieces = true

        public init(vocabSize: Int) { self.vocabSize = vocabSize }

        /// ERNIE-4.5's tokenizer settings at another size: identity normalization, no dummy prefix, whitespace
        /// kept, digits 0–9 as user-defined pieces (so numbers always split into digits), byte fallback.
        public static func ernieLike(vocabSize: Int) -> Options {
            var o = Options(vocabSize: vocabSize)
            o.userDefinedPieces = (0...9).map(String.init)
            return o
        }
    }

    /// A piece placed after the learned ones (CONTROL or USER_DEFINED).
    public struct TrailingPiece: Sendable, Equatable {
        public var piece: String
        public var type: SentencePieceModel.PieceType
        public init(_ piece: String, type: SentencePieceModel.PieceType) { self.piece = piece; self.type = type }
    }

    /// One learned merge, for lessons that show the merges one by one.
    public struct Merge: Sendable, Equatable {
        public var left: String
        public var right: String
        /// Weighted number of adjacent occurrences when the pair was chosen.
        public var count: Int
    }

    public enum TrainingError: Error, Equatable, CustomStringConvertible {
        case vocabularyTooSmall(requested: Int, minimum: Int)
        case vocabularyTooLarge(requested: Int, reachable: Int)
        case invalidPiece(String, reason: String)

        public var description: String {
            switch self {
            case let .vocabularyTooSmall(requested, minimum):
                return "BPE training: vocab size \(requested) cannot hold the special, user-defined, byte and alphabet pieces "
                    + "(\(minimum) needed). HINT: use a vocab size ≥ \(minimum), or lower the character coverage."
            case let .vocabularyTooLarge(requested, reachable):
                return "BPE training: the corpus allows only \(reachable) pieces, not \(requested) (no pair is left to merge). "
                    + "HINT: use a smaller vocab size or a larger corpus."
            case let .invalidPiece(piece, reason):
                return "BPE training: piece \"\(piece)\" \(reason). HINT: remove it from the user-defined/trailing pieces."
            }
        }
    }

    public let options: Options
    public init(options: Options) { self.options = options }

    /// Trains on `sentences` (one per element; a line of a text file) and returns the model.
    public func train(_ sentences: [String]) throws -> SentencePieceModel {
        try trainWithMerges(sentences).model
    }

    /// Trains and also returns the merges in learning order.
    public func trainWithMerges(_ sentences: [String]) throws -> (model: SentencePieceModel, merges: [Merge]) {
        var state = TrainingState(options: options)
        try state.validatePieces()
        for s in sentences { state.addSentence(normalize(s)) }
        try state.buildAlphabetAndWords()
        let merges = try state.learnMerges()
        return (state.makeModel(), merges)
    }

    /// The naive twin of `trainWithMerges`: recounts every pair of every word before each merge (no incremental
    /// counts, no heap, no index). Same rules and tie-breaking, so the same merges; O(merges × corpus), for tests.
    func trainWithMergesNaive(_ sentences: [String]) throws -> (model: SentencePieceModel, merges: [Merge]) {
        var state = TrainingState(options: options)
        try state.validatePieces()
        for s in sentences { state.addSentence(normalize(s)) }
        try state.buildAlphabetAndWords()
        let merges = try state.learnMergesNaive()
        return (state.makeModel(), merges)
    }

    /// The training-time normalization (identity rules): the string the library's normalizer produces for the
    /// same text under the model's normalizer settings.
    func normalize(_ s: String) -> String {
        switch options.normalization {
        case .ernie:
            return s.replacingOccurrences(of: " ", with: "\u{2581}")
        case .dummyPrefix:
            let words = s.split(separator: " ", omittingEmptySubsequences: true)
            return words.isEmpty ? "" : "\u{2581}" + words.joined(separator: "\u{2581}")
        }
    }
}
