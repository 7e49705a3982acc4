// BPESymbols — the small pieces BPETrainer's merge rules stand on: what a symbol is (script, length, frozen),
// the max-heap of candidate pairs, and the byte pieces "<0x0A>" that byte fallback spells.

/// What the merge rules need to know about a symbol.
struct SymbolInfo {
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
struct PairEntry { var count: Int; var key: UInt64 }

/// Binary max-heap of pair candidates.
struct PairHeap {
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
public enum BytePieces {
    static func piece(_ b: UInt8) -> String {
        let hex = String(b, radix: 16, uppercase: true)
        return "<0x" + (hex.count == 1 ? "0" + hex : hex) + ">"
    }

    static func isBytePiece(_ p: String) -> Bool {
        let u = Array(p.utf8)
        guard u.count == 6, p.hasPrefix("<0x"), u[5] == UInt8(ascii: ">") else { return false }
        return u[3...4].allSatisfy { (48...57).contains($0) || (65...70).contains($0) }
    }

    public static func value(_ p: String) -> UInt8? {
        guard isBytePiece(p) else { return nil }
        return UInt8(String(p.dropFirst(3).prefix(2)), radix: 16)
    }

    /// How many of the last `pieces` are byte pieces that begin a UTF-8 character without ending it (a text cut
    /// after "<0xE9> <0xB8>", two of the three bytes of 鸟): they decode to U+FFFD until the rest arrives. 0 when
    /// the pieces end on a whole character.
    public static func unfinishedCharacter(_ pieces: [String]) -> Int {
        var bytes: [UInt8] = []
        for p in pieces.reversed() {
            guard let b = value(p), bytes.count < 4 else { break }
            bytes.insert(b, at: 0)
            guard b & 0xC0 == 0x80 else {             // not a continuation byte: the character's first byte
                let length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1
                return bytes.count < length ? bytes.count : 0
            }
        }
        return 0
    }
}
