// PrecompiledCharsMap.swift — SentencePiece's compiled normalization rules (`precompiled_charsmap`).
//
// The trainer compiles a rule table (e.g. "nmt_nfkc": NFKC plus a few NMT-specific rewrites such as
// control characters → nothing, U+3000 → " ") into one blob:
//
//   blob = trieSize: UInt32 (little-endian) ‖ trie: trieSize bytes ‖ replacements: NUL-terminated UTF-8 strings
//
// `trie` is a Darts-clone double array (https://github.com/s-yata/darts-clone) over the UTF-8 bytes of every
// rule's left-hand side; a leaf's value is the byte offset of the right-hand side in `replacements`.
// Normalizing a position means: find the LONGEST rule whose left side is a prefix of the remaining input.
//
// Double-array layout. Each unit is a UInt32:
//   bit 8            hasLeaf  — a key ends here (its value sits in the unit at `node ^ offset`)
//   bits 0–7 (+31)   label    — the byte that led to this unit (a leaf unit has bit 31 set: never a byte)
//   bits 10–31       offset   — XOR distance to the children; bit 9 says "shift it left by 8"
//   bits 0–30        value    — in a leaf unit
// From node n, the child for byte b is unit `n ^ offset(n) ^ b`, valid if its label equals b.

/// A read-only Darts-clone double-array trie over bytes.
public struct DoubleArrayTrie: Sendable {
    public let units: [UInt32]

    public init(units: [UInt32]) { self.units = units }

    @inline(__always) static func hasLeaf(_ u: UInt32) -> Bool { (u >> 8) & 1 == 1 }
    @inline(__always) static func value(_ u: UInt32) -> Int { Int(u & 0x7FFF_FFFF) }
    @inline(__always) static func label(_ u: UInt32) -> UInt32 { u & 0x8000_00FF }
    @inline(__always) static func offset(_ u: UInt32) -> Int { Int((u >> 10) << ((u & (1 << 9)) >> 6)) }

    /// Calls `body(length, value)` for every key that is a prefix of `bytes[start..<end]`, shortest first. Keys are
    /// at most `TokenLimit.maxBytes` long: a stranger's trie whose units lead back to the root would otherwise walk
    /// from every position to the end of the text (n²/2 steps for n bytes).
    @inline(__always)
    public func forEachPrefix(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int,
                              _ body: (_ length: Int, _ value: Int) -> Void) {
        let count = units.count
        let end = min(end, start + TokenLimit.maxBytes)
        units.withUnsafeBufferPointer { u in
            guard count > 0 else { return }
            var node = Self.offset(u[0])
            var i = start
            while i < end {
                let b = Int(bytes[i])
                node ^= b
                guard node < count else { return }
                let unit = u[node]
                if Self.label(unit) != UInt32(b) { return }
                node ^= Self.offset(unit)
                i += 1
                if Self.hasLeaf(unit) {
                    guard node < count else { return }
                    body(i - start, Self.value(u[node]))
                }
            }
        }
    }
}

/// The decoded `precompiled_charsmap`: rules as a double-array trie, replacements as a byte blob.
public struct PrecompiledCharsMap: Sendable {
    public let trie: DoubleArrayTrie
    /// NUL-terminated replacement strings; a rule's value is an offset in here.
    public let replacements: [UInt8]

    /// Splits the blob. Throws if the header's trie size does not fit (the library's own check).
    public init(blob: [UInt8], file: String, field: String) throws {
        guard blob.count > 4 else {
            throw SentencePieceError.invalidField(file: file, field: field, reason: "charsmap blob of \(blob.count) bytes is too short")
        }
        let trieSize = Int(UInt32(blob[0]) | UInt32(blob[1]) << 8 | UInt32(blob[2]) << 16 | UInt32(blob[3]) << 24)
        guard trieSize < blob.count, trieSize % 4 == 0, 4 + trieSize <= blob.count else {
            throw SentencePieceError.invalidField(file: file, field: field,
                                                  reason: "trie size \(trieSize) does not fit the \(blob.count)-byte blob")
        }
        var units = [UInt32](repeating: 0, count: trieSize / 4)
        for k in 0..<units.count {
            let p = 4 + 4 * k
            units[k] = UInt32(blob[p]) | UInt32(blob[p + 1]) << 8 | UInt32(blob[p + 2]) << 16 | UInt32(blob[p + 3]) << 24
        }
        trie = DoubleArrayTrie(units: units)
        replacements = Array(blob[(4 + trieSize)...])
    }

    /// The longest rule matching at `start`: (bytes consumed, replacement range in `replacements`),
    /// or nil. Like the library, only the first 32 matches are considered.
    @inline(__always)
    public func longestMatch(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (length: Int, replacement: Range<Int>)? {
        var bestLength = 0
        var bestValue = 0
        var seen = 0
        trie.forEachPrefix(bytes, from: start, to: end) { length, value in
            if seen < 32, length > bestLength {
                bestLength = length
                bestValue = value
            }
            seen += 1
        }
        guard bestLength > 0 else { return nil }
        var stop = bestValue
        while stop < replacements.count && replacements[stop] != 0 { stop += 1 }
        return (bestLength, min(bestValue, stop)..<stop)
    }
}
