// SentencePieceTrie.swift — a byte trie for piece lookup, plus UTF-8 helpers with the library's exact rules.
//
// The library walks Darts double arrays byte by byte. We build our own trie at load time: node values in
// an array, transitions (node, byte) → child in one open-addressing hash table, so a step is one multiply
// and (usually) one probe, with no per-node allocation. Root transitions get a direct 256-entry table.

/// A trie over UTF-8 bytes mapping keys to Int32 values (piece ids).
struct ByteTrie: Sendable {
    private(set) var values: [Int32] = [-1]          // per node; -1 = no key ends here
    private var rootChildren = [Int32](repeating: -1, count: 256)
    private var keys: [UInt64]                       // (parent << 8 | byte) + 1, 0 = empty slot
    private var children: [Int32]
    private var mask: Int
    private var used = 0

    init(expectedNodes: Int = 1024) {
        var cap = 16
        while cap < expectedNodes * 2 { cap <<= 1 }
        keys = [UInt64](repeating: 0, count: cap)
        children = [Int32](repeating: -1, count: cap)
        mask = cap - 1
    }

    var nodeCount: Int { values.count }

    @inline(__always) private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
    }

    /// The child of `node` along `byte`, or -1.
    @inline(__always) func child(_ node: Int32, _ byte: UInt8) -> Int32 {
        if node == 0 { return rootChildren[Int(byte)] }
        let key = (UInt64(UInt32(bitPattern: node)) << 8 | UInt64(byte)) &+ 1
        var s = Self.slot(key, mask)
        while true {
            let k = keys[s]
            if k == key { return children[s] }
            if k == 0 { return -1 }
            s = (s + 1) & mask
        }
    }

    private mutating func addChild(_ node: Int32, _ byte: UInt8) -> Int32 {
        let existing = child(node, byte)
        if existing >= 0 { return existing }
        let new = Int32(values.count)
        values.append(-1)
        if node == 0 { rootChildren[Int(byte)] = new; return new }
        if (used + 1) * 2 > keys.count { grow() }
        let key = (UInt64(UInt32(bitPattern: node)) << 8 | UInt64(byte)) &+ 1
        var s = Self.slot(key, mask)
        while keys[s] != 0 { s = (s + 1) & mask }
        keys[s] = key
        children[s] = new
        used += 1
        return new
    }

    private mutating func grow() {
        let oldKeys = keys, oldChildren = children
        keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
        children = [Int32](repeating: -1, count: oldKeys.count * 2)
        mask = keys.count - 1
        for (k, c) in zip(oldKeys, oldChildren) where k != 0 {
            var s = Self.slot(k, mask)
            while keys[s] != 0 { s = (s + 1) & mask }
            keys[s] = k
            children[s] = c
        }
    }

    /// Adds `key` → `value` (a later insert of the same key overwrites).
    mutating func insert<C: Collection>(_ key: C, value: Int32) where C.Element == UInt8 {
        var node: Int32 = 0
        for b in key { node = addChild(node, b) }
        values[Int(node)] = value
    }

    /// The value stored for exactly `bytes[range]`, or -1.
    @inline(__always)
    func exact(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32 {
        var node: Int32 = 0
        for i in range {
            node = child(node, bytes[i])
            if node < 0 { return -1 }
        }
        return values[Int(node)]
    }

    /// Length of the longest key that is a prefix of `bytes[start..<end]`, or 0.
    @inline(__always)
    func longestPrefix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        var node: Int32 = 0
        var best = 0
        var i = start
        while i < end {
            node = child(node, bytes[i])
            if node < 0 { break }
            i += 1
            if values[Int(node)] >= 0 { best = i - start }
        }
        return best
    }
}

/// UTF-8 rules exactly as the library applies them (src/util.h, util.cc).
enum SentencePieceUTF8 {
    /// The library's `OneCharLen`: the sequence length implied by a lead byte, from its top 4 bits.
    /// Continuation bytes (0x80–0xBF) count as length 1; 0xF8–0xFF as 4.
    @inline(__always) static func oneCharLength(_ lead: UInt8) -> Int {
        switch lead >> 4 {
        case 0xC, 0xD: return 2
        case 0xE: return 3
        case 0xF: return 4
        default: return 1
        }
    }

    /// The library's `IsValidDecodeUTF8`: the length of a well-formed character at `start` (no overlongs,
    /// no surrogates, ≤ U+10FFFF), or nil for a malformed byte (which then counts as one byte).
    @inline(__always)
    static func validLength(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        let c0 = b[start]
        if c0 < 0x80 { return 1 }
        let n = end - start
        @inline(__always) func trail(_ x: UInt8) -> Bool { x & 0xC0 == 0x80 }
        if n >= 2 && c0 & 0xE0 == 0xC0 {
            let cp = UInt32(c0 & 0x1F) << 6 | UInt32(b[start + 1] & 0x3F)
            return trail(b[start + 1]) && cp >= 0x80 ? 2 : nil
        } else if n >= 3 && c0 & 0xF0 == 0xE0 {
            let cp = UInt32(c0 & 0x0F) << 12 | UInt32(b[start + 1] & 0x3F) << 6 | UInt32(b[start + 2] & 0x3F)
            return trail(b[start + 1]) && trail(b[start + 2]) && cp >= 0x800 && (cp < 0xD800 || cp >= 0xE000) ? 3 : nil
        } else if n >= 4 && c0 & 0xF8 == 0xF0 {
            let cp = UInt32(c0 & 0x07) << 18 | UInt32(b[start + 1] & 0x3F) << 12
                | UInt32(b[start + 2] & 0x3F) << 6 | UInt32(b[start + 3] & 0x3F)
            return trail(b[start + 1]) && trail(b[start + 2]) && trail(b[start + 3])
                && cp >= 0x10000 && cp <= 0x10FFFF ? 4 : nil
        }
        return nil
    }

    /// U+FFFD REPLACEMENT CHARACTER.
    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
    /// U+2581 LOWER ONE EIGHTH BLOCK "▁", SentencePiece's visible space.
    static let spaceSymbol: [UInt8] = [0xE2, 0x96, 0x81]
}
