// SentencePieceBPE.swift — BPE segmentation of a normalized string, as the library's bpe_model.cc.
//
// SentencePiece BPE has no merge list: the vocabulary's scores are the merge priorities.
//   1. Split the text into symbols: a user-defined piece (longest match, frozen: never merged) or one
//      UTF-8 character. There is no splitting into words at encode time — "▁" is an ordinary character.
//   2. Put every adjacent pair whose concatenation is a vocabulary piece on an agenda (a max-heap keyed
//      by that piece's score; ties go to the leftmost pair).
//   3. Pop the best pair, merge it, and push the two new pairs it forms with its neighbours.
//      Entries made stale by earlier merges are recognised by their size and skipped.
//   4. A result piece of type UNUSED is split back into the two parts it was last formed from (recursively).
//   Characters that are not pieces come out as <unk> (the processor turns them into byte pieces when
//   byte_fallback is on).
// Sennrich et al., "Neural Machine Translation of Rare Words with Subword Units", https://arxiv.org/abs/1508.07909
//
// Example: pieces {a, b, c, ab (score −1), abc (score −2)}: "abc" → a·b·c → ab·c → abc.
//
// Speed: symbols live in parallel arrays (a doubly linked list by index), pairs are looked up by the two
// symbols' ids in a precomputed table (no string hashing), the agenda is a binary heap of small structs.

/// A piece of the segmentation: `length` bytes of the normalized text from `start`, with its id.
struct SentencePieceSegment {
    var start: Int32
    var length: Int32
    var id: Int32
}

/// Open-addressing hash table (leftId, rightId) → merged piece id.
struct PiecePairTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private let mask: Int

    init(capacity: Int) {
        var cap = 16
        while cap < capacity * 2 { cap <<= 1 }
        keys = [UInt64](repeating: UInt64.max, count: cap)
        values = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    @inline(__always) private static func key(_ l: Int32, _ r: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: l)) << 32 | UInt64(UInt32(bitPattern: r))
    }
    @inline(__always) private func slot(_ k: UInt64) -> Int {
        Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    mutating func insert(_ l: Int32, _ r: Int32, _ v: Int32) {
        let k = Self.key(l, r)
        var s = slot(k)
        while keys[s] != UInt64.max && keys[s] != k { s = (s + 1) & mask }
        keys[s] = k
        values[s] = v
    }

    @inline(__always) func get(_ l: Int32, _ r: Int32) -> Int32 {
        let k = Self.key(l, r)
        var s = slot(k)
        while true {
            let x = keys[s]
            if x == k { return values[s] }
            if x == UInt64.max { return -1 }
            s = (s + 1) & mask
        }
    }
}

/// The BPE segmenter of one model.
struct SentencePieceBPE: Sendable {
    let vocab: SentencePieceVocabulary
    /// (left id, right id) → id of the piece spelled left+right, for every split of every piece into two pieces.
    let pairs: PiecePairTable
    /// True when some piece starts or ends with a character that is not itself a piece: then a pair
    /// involving such an out-of-vocabulary character must be looked up by its text.
    let needsTextLookup: Bool
    let hasUnused: Bool

    init(vocab: SentencePieceVocabulary) {
        self.vocab = vocab
        var total = 0
        for (i, b) in vocab.pieceBytes.enumerated() where vocab.resolvedId[i] >= 0 { total += b.count }
        var pairs = PiecePairTable(capacity: total + 16)
        var textLookup = false
        for (i, b) in vocab.pieceBytes.enumerated() where vocab.resolvedId[i] >= 0 && b.count > 1 {
            b.withUnsafeBufferPointer { p in
                var k = SentencePieceUTF8.oneCharLength(p[0])
                let firstCharLen = min(k, p.count)
                var lastCharStart = 0
                while k < p.count {
                    let l = vocab.segmentable.exact(p, 0..<k)
                    let r = vocab.segmentable.exact(p, k..<p.count)
                    if l >= 0 && r >= 0 { pairs.insert(l, r, Int32(i)) }
                    lastCharStart = k
                    k += SentencePieceUTF8.oneCharLength(p[k])
                }
                if firstCharLen < p.count {
                    if vocab.segmentable.exact(p, 0..<firstCharLen) < 0
                        || vocab.segmentable.exact(p, lastCharStart..<p.count) < 0 { textLookup = true }
                }
            }
        }
        self.pairs = pairs
        self.needsTextLookup = textLookup
        self.hasUnused = vocab.types.contains(.unused)
    }

    /// One agenda entry: merging symbols `left` and `right` (total `size` bytes) gives piece `merged`.
    private struct Candidate {
        var score: Float
        var left: Int32
        var right: Int32
        var size: Int32
        var merged: Int32

        /// Heap order: higher score first, then the leftmost pair (the library's SymbolPairComparator).
        @inline(__always) func before(_ o: Candidate) -> Bool {
            score > o.score || (score == o.score && left < o.left)
        }
    }

    private struct Heap {
        var items: [Candidate] = []
        mutating func push(_ c: Candidate) {
            items.append(c)
            var i = items.count - 1
            while i > 0 {
                let parent = (i - 1) >> 1
                if !items[i].before(items[parent]) { break }
                items.swapAt(i, parent)
                i = parent
            }
        }
        mutating func pop() -> Candidate? {
            guard let top = items.first else { return nil }
            let last = items.removeLast()
            if !items.isEmpty {
                items[0] = last
                var i = 0
                let n = items.count
                while true {
                    let l = 2 * i + 1
                    if l >= n { break }
                    var best = l
                    if l + 1 < n && items[l + 1].before(items[l]) { best = l + 1 }
                    if !items[best].before(items[i]) { break }
                    items.swapAt(i, best)
                    i = best
                }
            }
            return top
        }
    }

    /// Segments `text` (normalized UTF-8) and appends the pieces to `out`.
    func segment(_ text: UnsafeBufferPointer<UInt8>, into out: inout [SentencePieceSegment]) {
        let n = text.count
        guard n > 0 else { return }
        var start = [Int32](), len = [Int32](), prev = [Int32](), next = [Int32](), ids = [Int32](), frozen = [Bool]()
        start.reserveCapacity(n); len.reserveCapacity(n); ids.reserveCapacity(n)
        prev.reserveCapacity(n); next.reserveCapacity(n); frozen.reserveCapacity(n)

        // 1. Symbols: user-defined pieces (frozen) or single characters.
        var pos = 0
        while pos < n {
            var l = 0
            var freeze = false
            if let ud = vocab.userDefined {
                l = ud.longestPrefix(text, from: pos, to: n)
                freeze = l > 0
            }
            if l == 0 { l = min(SentencePieceUTF8.oneCharLength(text[pos]), n - pos) }
            let index = Int32(start.count)
            start.append(Int32(pos)); len.append(Int32(l)); frozen.append(freeze)
            ids.append(vocab.segmentable.exact(text, pos..<(pos + l)))
            prev.append(index - 1)
            pos += l
            next.append(pos < n ? index + 1 : -1)
        }

        var heap = Heap()
        heap.items.reserveCapacity(start.count)
        // Last recorded split of each UNUSED piece (the library's rev_merge): merged id → (left, right).
        var revMerge: [Int32: (SentencePieceSegment, SentencePieceSegment)] = [:]

        @inline(__always) func maybeAdd(_ l: Int32, _ r: Int32) {
            guard l >= 0, r >= 0 else { return }
            let li = Int(l), ri = Int(r)
            if frozen[li] || frozen[ri] { return }
            var merged: Int32 = -1
            if ids[li] >= 0 && ids[ri] >= 0 {
                merged = pairs.get(ids[li], ids[ri])
            } else if needsTextLookup {
                let s = Int(start[li])
                merged = vocab.segmentable.exact(text, s..<(s + Int(len[li]) + Int(len[ri])))
            }
            guard merged >= 0 else { return }
            heap.push(Candidate(score: vocab.scores[Int(merged)], left: l, right: r, size: len[li] + len[ri], merged: merged))
            if hasUnused && vocab.types[Int(merged)] == .unused {
                revMerge[merged] = (SentencePieceSegment(start: start[li], length: len[li], id: ids[li]),
                                    SentencePieceSegment(start: start[ri], length: len[ri], id: ids[ri]))
            }
        }

        // 2. All adjacent pairs.
        for i in 1..<start.count { maybeAdd(Int32(i - 1), Int32(i)) }

        // 3. Merge the best pair until none is left.
        while let top = heap.pop() {
            let l = Int(top.left), r = Int(top.right)
            if len[l] == 0 || len[r] == 0 || len[l] + len[r] != top.size { continue }   // stale
            len[l] += len[r]
            ids[l] = top.merged
            next[l] = next[r]
            if next[r] >= 0 { prev[Int(next[r])] = top.left }
            len[r] = 0
            maybeAdd(prev[l], top.left)
            maybeAdd(top.left, next[l])
        }

        // 4. Emit, re-splitting UNUSED pieces.
        func emit(_ seg: SentencePieceSegment) {
            let id: Int32 = seg.id >= 0
                ? vocab.resolvedId[Int(seg.id)]
                : vocab.id(of: text, Int(seg.start)..<Int(seg.start + seg.length))
            if hasUnused && vocab.types[Int(id)] == .unused, let parts = revMerge[id] {
                emit(parts.0)
                emit(parts.1)
                return
            }
            out.append(SentencePieceSegment(start: seg.start, length: seg.length, id: id))
        }
        var i: Int32 = 0
        while i >= 0 {
            emit(SentencePieceSegment(start: start[Int(i)], length: len[Int(i)], id: ids[Int(i)]))
            i = next[Int(i)]
        }
    }

    /// The naive twin of `segment`, for reading and for testing the fast path: rescan every adjacent pair,
    /// merge the best (highest score, leftmost on ties), repeat — O(n²) — with pieces looked up by their text.
    /// Models with UNUSED pieces are not supported here (their re-splitting depends on the agenda's history).
    func segmentNaive(_ text: UnsafeBufferPointer<UInt8>) -> [SentencePieceSegment] {
        precondition(!hasUnused, "segmentNaive does not model UNUSED pieces")
        var symbols: [(start: Int, length: Int, frozen: Bool)] = []
        var pos = 0
        while pos < text.count {
            let ud = vocab.userDefined?.longestPrefix(text, from: pos, to: text.count) ?? 0
            let l = ud > 0 ? ud : min(SentencePieceUTF8.oneCharLength(text[pos]), text.count - pos)
            symbols.append((pos, l, ud > 0))
            pos += l
        }
        while true {
            var best: (index: Int, score: Float)? = nil
            for i in 0..<max(0, symbols.count - 1) where !symbols[i].frozen && !symbols[i + 1].frozen {
                let range = symbols[i].start..<(symbols[i + 1].start + symbols[i + 1].length)
                let id = vocab.segmentable.exact(text, range)
                if id >= 0, best == nil || vocab.scores[Int(id)] > best!.score {
                    best = (i, vocab.scores[Int(id)])
                }
            }
            guard let b = best else { break }
            symbols[b.index].length += symbols[b.index + 1].length
            symbols.remove(at: b.index + 1)
        }
        return symbols.map { s in
            SentencePieceSegment(start: Int32(s.start), length: Int32(s.length), id: vocab.id(of: text, s.start..<(s.start + s.length)))
        }
    }
}
