// BPETrainingState — the working state of BPETrainer: the symbol table, the words as symbol ids, and the pair
// counts with the pair → words index, updated incrementally as each merge rewrites the words that contain it
// (steps 2–4 of BPETrainer.swift's algorithm), and the finished SentencePiece model it writes.

import Foundation

/// Symbols, words and pair statistics during training. Symbol ids: alphabet, frozen atoms, then merges.
struct TrainingState {
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
