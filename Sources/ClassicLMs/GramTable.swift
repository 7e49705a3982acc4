// GramTable — an open-addressing hash table from a packed n-gram key to a dense n-gram index.
//
// Counting every n-gram of a million-token corpus must take well under a second, so n-grams are never Strings or
// arrays here. Each k-gram (k ≥ 2) is the pair (index of its (k−1)-gram prefix, id of its last token), packed into
// one integer:   key = prefix · V + last   (V = vocabulary size). The prefix index is itself dense (0, 1, 2, … in
// order of first appearance), so the key is exact — no collisions between different n-grams — and fits in 64 bits
// for any prefix count × vocabulary below 2⁶⁴. The table maps that key to the k-gram's own dense index, which the
// next order uses as its prefix: a trie laid out in flat arrays.
//
// Linear probing over a power-of-two capacity, kept at most half full; Fibonacci hashing spreads the keys.

/// key → dense index, with insertion that hands out indices 0, 1, 2, … to new keys.
struct GramTable: Sendable {
    private static let empty = UInt64.max
    private var keys: [UInt64]
    private var values: [Int32]
    private var shift: UInt64
    /// Number of distinct keys stored (= the next index to hand out).
    private(set) var count = 0

    init(expected: Int = 1024) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        keys = Array(repeating: Self.empty, count: capacity)
        values = Array(repeating: -1, count: capacity)
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The index of `key`, or nil when it was never inserted.
    @inline(__always) func find(_ key: UInt64) -> Int? {
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { return Int(values[i]) }
            if k == Self.empty { return nil }
            i = (i + 1) & mask
        }
    }

    /// The index of `key`, inserting it with the next free index when new. `isNew` says which happened.
    @inline(__always) mutating func findOrInsert(_ key: UInt64, isNew: inout Bool) -> Int {
        precondition(key != Self.empty, "GramTable: key UInt64.max is reserved")
        let mask = keys.count - 1
        var i = slot(key)
        while true {
            let k = keys[i]
            if k == key { isNew = false; return Int(values[i]) }
            if k == Self.empty { break }
            i = (i + 1) & mask
        }
        keys[i] = key
        values[i] = Int32(count)
        count += 1
        isNew = true
        if count * 2 > keys.count { grow() }
        return count - 1
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.empty, count: oldKeys.count * 2)
        values = Array(repeating: -1, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for j in oldKeys.indices where oldKeys[j] != Self.empty {
            var i = slot(oldKeys[j])
            while keys[i] != Self.empty { i = (i + 1) & mask }
            keys[i] = oldKeys[j]
            values[i] = oldValues[j]
        }
    }
}
