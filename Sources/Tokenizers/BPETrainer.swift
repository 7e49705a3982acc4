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

// MARK: - The training state

/// Symbols, words and pair statistics during training. Symbol ids: alphabet, frozen atoms, then merges.
private struct TrainingState {
    let options: BPETrainer.Options
    static let space: Unicode.Scalar = "\u{2581}"

    /// Distinct words and how often each occurs (step 1).
    var wordCounts: [String: Int] = [:]

    // Symbols.
    var symbolText: [String] = []
    var symbolInfo: [SymbolInfo] = []
    var symbolId: [String: Int32] = [:]
    /// Alphabet scalars in frequency order (they become the character pieces).
    var alphabet: [String] = []
    /// Merged symbols in learning order (the merged pieces of the model).
    var mergedSymbols: [Int32] = []

    // Words: the symbols and the count of each distinct word.
    var words: [[Int32]] = []
    var counts: [Int] = []

    // Pair statistics, keyed by (left id << 32 | right id).
    var pairCount: [UInt64: Int] = [:]
    var pairWords: [UInt64: [Int32]] = [:]
    var heap = PairHeap()

    init(options: BPETrainer.Options) { self.options = options }

    var fixedPieces: Int {
        3 + options.userDefinedPieces.count + (options.byteFallback ? 256 : 0) + alphabet.count + options.trailingPieces.count
    }

    func validatePieces() throws {
        var seen: Set<String> = ["<unk>", "<s>", "</s>"]
        for p in options.userDefinedPieces + options.trailingPieces.map(\.piece) {
            if p.isEmpty { throw BPETrainer.TrainingError.invalidPiece(p, reason: "is empty") }
            if !seen.insert(p).inserted { throw BPETrainer.TrainingError.invalidPiece(p, reason: "is defined twice") }
            if options.byteFallback, BytePieces.isBytePiece(p) {
                throw BPETrainer.TrainingError.invalidPiece(p, reason: "collides with a byte piece")
            }
        }
        for t in options.trailingPieces where t.type != .control && t.type != .userDefined {
            throw BPETrainer.TrainingError.invalidPiece(t.piece, reason: "must be CONTROL or USER_DEFINED to trail the vocabulary")
        }
    }

    /// Step 1: cut a normalized sentence into words and count them.
    mutating func addSentence(_ normalized: String) {
        let scalars = Array(normalized.unicodeScalars)
        var start = 0
        var inSpaceRun = false
        for i in scalars.indices {
            let isSpace = scalars[i] == Self.space
            if i > 0 && isSpace && (!inSpaceRun || !options.allowWhitespaceOnlyPieces) {
                wordCounts[String(String.UnicodeScalarView(scalars[start..<i])), default: 0] += 1
                start = i
            }
            inSpaceRun = isSpace
        }
        if start < scalars.count {
            wordCounts[String(String.UnicodeScalarView(scalars[start...])), default: 0] += 1
        }
    }

    enum Atom { case userDefined(Int), scalar(Unicode.Scalar) }

    /// Step 2: atoms, alphabet by coverage, and every word as a list of symbol ids.
    mutating func buildAlphabetAndWords() throws {
        // Distinct words in a fixed order (Swift dictionaries iterate in a different order in every process).
        let sortedWords = wordCounts.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        let userPieces = options.userDefinedPieces.map { Array($0.unicodeScalars) }

        var atomWords: [[Atom]] = []
        var scalarCount: [Unicode.Scalar: Int] = [:]
        var total = 0
        for (word, count) in sortedWords {
            let s = Array(word.unicodeScalars)
            var atoms: [Atom] = []
            var i = 0
            while i < s.count {
                var best = -1, bestLen = 0
                for (k, p) in userPieces.enumerated() where p.count > bestLen && i + p.count <= s.count
                    && s[i..<(i + p.count)].elementsEqual(p) {
                    best = k; bestLen = p.count
                }
                if best >= 0 {
                    atoms.append(.userDefined(best)); i += bestLen
                } else {
                    atoms.append(.scalar(s[i]))
                    if s[i].properties.generalCategory != .control {
                        scalarCount[s[i], default: 0] += count; total += count
                    }
                    i += 1
                }
            }
            atomWords.append(atoms)
            counts.append(count)
        }

        // Alphabet: most frequent scalars until the coverage is reached ("▁" always).
        let byFrequency = scalarCount.sorted { a, b in a.value != b.value ? a.value > b.value : a.key.value < b.key.value }
        var covered = 0
        for (scalar, c) in byFrequency {
            if total > 0 && Double(covered) / Double(total) >= options.characterCoverage && scalar != Self.space { continue }
            alphabet.append(String(scalar))
            covered += c
            _ = addSymbol(String(scalar), frozen: false)
        }
        if fixedPieces > options.vocabSize {
            throw BPETrainer.TrainingError.vocabularyTooSmall(requested: options.vocabSize, minimum: fixedPieces)
        }

        // Frozen atoms (user-defined pieces, scalars outside the alphabet) get ids too, but never merge.
        words.reserveCapacity(atomWords.count)
        for atoms in atomWords {
            words.append(atoms.map { atom -> Int32 in
                switch atom {
                case .userDefined(let k): return addSymbol("\u{0}user\(k)", frozen: true)
                case .scalar(let s): return symbolId[String(s)] ?? addSymbol("\u{0}\(s)", frozen: true)
                }
            })
        }
    }

    mutating func addSymbol(_ text: String, frozen: Bool) -> Int32 {
        if let id = symbolId[text] { return id }
        let id = Int32(symbolText.count)
        symbolText.append(text)
        symbolInfo.append(frozen ? .frozen : SymbolInfo(text: text, options: options))
        symbolId[text] = id
        return id
    }

    @inline(__always) static func key(_ l: Int32, _ r: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
    }

    /// Steps 3–4: count pairs once, then merge until the vocabulary is full.
    mutating func learnMerges() throws -> [BPETrainer.Merge] {
        let wanted = options.vocabSize - fixedPieces

        for (w, syms) in words.enumerated() where syms.count > 1 {
            for i in 0..<(syms.count - 1) where canMerge(syms[i], syms[i + 1]) {
                let k = Self.key(syms[i], syms[i + 1])
                pairCount[k, default: 0] += counts[w]
                if pairWords[k]?.last != Int32(w) { pairWords[k, default: []].append(Int32(w)) }
            }
        }
        for (k, c) in pairCount { heap.push(PairEntry(count: c, key: k)) }

        var merges: [BPETrainer.Merge] = []
        var visited = [Int32](repeating: -1, count: words.count)
        var step: Int32 = 0
        while mergedSymbols.count < wanted {
            guard let best = popBest() else {
                throw BPETrainer.TrainingError.vocabularyTooLarge(requested: options.vocabSize,
                                                                  reachable: fixedPieces + mergedSymbols.count)
            }
            let a = Int32(truncatingIfNeeded: best.key >> 32), b = Int32(truncatingIfNeeded: best.key & 0xFFFF_FFFF)
            let text = symbolText[Int(a)] + symbolText[Int(b)]
            let isNew = symbolId[text] == nil          // "abc" may be reached again as a·bc after ab·c
            let merged = addSymbol(text, frozen: false)
            if isNew { mergedSymbols.append(merged) }
            merges.append(.init(left: symbolText[Int(a)], right: symbolText[Int(b)], count: best.count))

            // Rewrite every word that contains (a, b); adjust the counts of the pairs that changed.
            var increased = Set<UInt64>()
            for w32 in pairWords[best.key] ?? [] {
                let w = Int(w32)
                if visited[w] == step { continue }
                visited[w] = step
                increased.formUnion(mergeInWord(w, a, b, merged))
            }
            pairCount[best.key] = nil
            pairWords[best.key] = nil
            for k in increased.sorted() { if let c = pairCount[k], c > 0 { heap.push(PairEntry(count: c, key: k)) } }
            step += 1
        }
        return merges
    }

    /// `learnMerges` without any bookkeeping: count all pairs, take the best, rewrite all words, repeat.
    mutating func learnMergesNaive() throws -> [BPETrainer.Merge] {
        let wanted = options.vocabSize - fixedPieces
        var merges: [BPETrainer.Merge] = []
        while mergedSymbols.count < wanted {
            var count: [UInt64: Int] = [:]
            for (w, syms) in words.enumerated() where syms.count > 1 {
                for i in 0..<(syms.count - 1) where canMerge(syms[i], syms[i + 1]) {
                    count[Self.key(syms[i], syms[i + 1]), default: 0] += counts[w]
                }
            }
            guard let best = count.min(by: { x, y in x.value != y.value ? x.value > y.value : x.key < y.key }) else {
                throw BPETrainer.TrainingError.vocabularyTooLarge(requested: options.vocabSize,
                                                                  reachable: fixedPieces + mergedSymbols.count)
            }
            let a = Int32(truncatingIfNeeded: best.key >> 32), b = Int32(truncatingIfNeeded: best.key & 0xFFFF_FFFF)
            let text = symbolText[Int(a)] + symbolText[Int(b)]
            let isNew = symbolId[text] == nil
            let merged = addSymbol(text, frozen: false)
            if isNew { mergedSymbols.append(merged) }
            merges.append(.init(left: symbolText[Int(a)], right: symbolText[Int(b)], count: best.value))
            for w in words.indices {
                var new: [Int32] = []
                var i = 0
                let old = words[w]
                while i < old.count {
                    if i + 1 < old.count && old[i] == a && old[i + 1] == b { new.append(merged); i += 2 }
                    else { new.append(old[i]); i += 1 }
                }
                words[w] = new
            }
        }
        return merges
    }

    /// The most frequent pair still present (stale heap entries are refreshed or dropped).
    mutating func popBest() -> PairEntry? {
        while let top = heap.pop() {
            let actual = pairCount[top.key] ?? 0
            if actual == top.count { return top }
            if actual > 0 { heap.push(PairEntry(count: actual, key: top.key)) }
        }
        return nil
    }

    /// Replaces every (a, b) in word `w` by `merged`, left to right. Returns the pairs whose count went up.
    mutating func mergeInWord(_ w: Int, _ a: Int32, _ b: Int32, _ merged: Int32) -> [UInt64] {
        let old = words[w]
        let c = counts[w]
        var new: [Int32] = []
        new.reserveCapacity(old.count)
        var i = 0
        var changed = false
        while i < old.count {
            if i + 1 < old.count && old[i] == a && old[i + 1] == b {
                new.append(merged); i += 2; changed = true
            } else {
                new.append(old[i]); i += 1
            }
        }
        guard changed else { return [] }
        // Remove the old word's pairs, add the new word's (pairs present in both cancel out).
        for j in 0..<(old.count - 1) where canMerge(old[j], old[j + 1]) {
            pairCount[Self.key(old[j], old[j + 1]), default: 0] -= c
        }
        var increased: [UInt64] = []
        for j in 0..<max(0, new.count - 1) where canMerge(new[j], new[j + 1]) {
            let k = Self.key(new[j], new[j + 1])
            pairCount[k, default: 0] += c
            if new[j] == merged || new[j + 1] == merged {
                increased.append(k)
                if pairWords[k]?.last != Int32(w) { pairWords[k, default: []].append(Int32(w)) }
            }
        }
        words[w] = new
        return increased
    }

    /// Whether the concatenation of two symbols may become a piece (the merge rules in the file header).
    func canMerge(_ l: Int32, _ r: Int32) -> Bool {
        let a = symbolInfo[Int(l)], b = symbolInfo[Int(r)]
        if a.frozen || b.frozen { return false }
        if Int(a.length) + Int(b.length) > options.maxPieceLength { return false }
        // "▁" only at the start of a piece, or pieces made only of "▁".
        if a.allSpace && b.allSpace { return options.allowWhitespaceOnlyPieces }
        if b.spaces > 0 { return false }
        if a.allSpace && a.length > 1 { return false }
        if options.splitDigits && (a.hasDigit || b.hasDigit) { return false }
        if options.splitByUnicodeScript, a.script != SymbolInfo.anyScript, b.script != SymbolInfo.anyScript,
           a.script != b.script { return false }
        return true
    }

    /// The model: specials, user-defined, bytes, merges, alphabet, trailing pieces.
    func makeModel() -> SentencePieceModel {
        var model = SentencePieceModel()
        model.pieces.append(.init(piece: "<unk>", score: 0, type: .unknown))
        model.pieces.append(.init(piece: "<s>", score: 0, type: .control))
        model.pieces.append(.init(piece: "</s>", score: 0, type: .control))
        for p in options.userDefinedPieces { model.pieces.append(.init(piece: p, score: 0, type: .userDefined)) }
        if options.byteFallback {
            for b in 0..<256 { model.pieces.append(.init(piece: BytePieces.piece(UInt8(b)), score: 0, type: .byte)) }
        }
        var score: Float = 0
        for s in mergedSymbols { model.pieces.append(.init(piece: symbolText[Int(s)], score: score, type: .normal)); score -= 1 }
        for ch in alphabet { model.pieces.append(.init(piece: ch, score: score, type: .normal)); score -= 1 }
        for t in options.trailingPieces { model.pieces.append(.init(piece: t.piece, score: 0, type: t.type)) }

        var t = SentencePieceModel.TrainerSpec()
        t.modelType = .bpe
        t.vocabSize = Int32(model.pieces.count)
        t.characterCoverage = Float(options.characterCoverage)
        t.maxSentencepieceLength = Int32(options.maxPieceLength)
        t.splitByUnicodeScript = options.splitByUnicodeScript
        t.splitByNumber = options.splitByNumber
        t.splitDigits = options.splitDigits
        t.allowWhitespaceOnlyPieces = options.allowWhitespaceOnlyPieces
        t.userDefinedSymbols = options.userDefinedPieces
        t.controlSymbols = options.trailingPieces.filter { $0.type == .control }.map(\.piece)
        t.byteFallback = options.byteFallback
        t.numThreads = 1
        model.trainerSpec = t

        var n = SentencePieceModel.NormalizerSpec()
        n.name = "identity"
        switch options.normalization {
        case .ernie: n.addDummyPrefix = false; n.removeExtraWhitespaces = false
        case .dummyPrefix: n.addDummyPrefix = true; n.removeExtraWhitespaces = true
        }
        n.escapeWhitespaces = true
        model.normalizerSpec = n
        return model
    }
}

/// What the merge rules need to know about a symbol.
private struct SymbolInfo {
    static let anyScript: Int32 = -1
    static let numberScript: Int32 = 1
    static let commonScript: Int32 = 2

    var frozen = false
    var length: Int32 = 0
    /// Number of "▁" in the symbol, and whether it is made only of them.
    var spaces: Int32 = 0
    var allSpace = false
    var hasDigit = false
    /// One script for the whole symbol, or `anyScript` when it has only marks and "▁".
    var script: Int32 = anyScript

    static let frozen: SymbolInfo = { var s = SymbolInfo(); s.frozen = true; return s }()
    private init() {}

    init(text: String, options: BPETrainer.Options) {
        for s in text.unicodeScalars {
            length += 1
            if s == "\u{2581}" { spaces += 1; continue }
            if s.properties.generalCategory == .decimalNumber { hasDigit = true }
            let sc = Self.script(of: s, splitByNumber: options.splitByNumber)
            if sc != Self.anyScript { script = sc }
        }
        allSpace = spaces == length
    }

    /// A coarse Unicode script: enough to keep a piece inside one writing system.
    static func script(of s: Unicode.Scalar, splitByNumber: Bool) -> Int32 {
        let v = s.value
        switch s.properties.generalCategory {
        case .decimalNumber: return splitByNumber ? numberScript : anyScript
        case .nonspacingMark, .spacingMark, .enclosingMark: return anyScript
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .letterNumber:
            switch v {
            case 0x0041...0x024F, 0x1E00...0x1EFF, 0x2C60...0x2C7F, 0xA720...0xA7FF, 0xFF21...0xFF5A: return 10  // Latin
            case 0x0370...0x03FF, 0x1F00...0x1FFF: return 11                                              // Greek
            case 0x0400...0x052F: return 12                                                               // Cyrillic
            case 0x0590...0x05FF: return 13                                                               // Hebrew
            case 0x0600...0x06FF, 0x0750...0x077F: return 14                                              // Arabic
            case 0x0900...0x097F: return 15                                                               // Devanagari
            case 0x0E00...0x0E7F: return 16                                                               // Thai
            case 0x1100...0x11FF, 0x3130...0x318F, 0xAC00...0xD7AF: return 17                             // Hangul
            case 0x3040...0x30FF, 0x31F0...0x31FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF,
                 0xFF66...0xFF9F, 0x20000...0x3134F: return 18                                            // Han + kana
            default: return 100 + Int32(v >> 7)                                                          // other: by block
            }
        default:
            return v == 0x30FC ? 18 : commonScript      // punctuation and symbols ("Common"); ー goes with kana
        }
    }
}

/// A candidate pair: most frequent first, ties to the smaller (left id, right id).
private struct PairEntry { var count: Int; var key: UInt64 }

/// Binary max-heap of pair candidates.
private struct PairHeap {
    private var items: [PairEntry] = []

    @inline(__always) private static func before(_ x: PairEntry, _ y: PairEntry) -> Bool {
        x.count != y.count ? x.count > y.count : x.key < y.key
    }

    mutating func push(_ e: PairEntry) {
        items.append(e)
        var i = items.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Self.before(items[i], items[p]) else { break }
            items.swapAt(i, p); i = p
        }
    }

    mutating func pop() -> PairEntry? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < items.count && Self.before(items[l], items[m]) { m = l }
                if r < items.count && Self.before(items[r], items[m]) { m = r }
                if m == i { break }
                items.swapAt(i, m); i = m
            }
        }
        return top
    }
}

/// Byte pieces as the library spells them: "<0x0A>".
enum BytePieces {
    static func piece(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    static func isBytePiece(_ p: String) -> Bool {
        let u = Array(p.utf8)
        guard u.count == 6, p.hasPrefix("<0x"), u[5] == UInt8(ascii: ">") else { return false }
        return u[3...4].allSatisfy { (48...57).contains($0) || (65...70).contains($0) }
    }

    static func value(_ p: String) -> UInt8? {
        guard isBytePiece(p) else { return nil }
        return UInt8(String(p.dropFirst(3).prefix(2)), radix: 16)
    }
}
