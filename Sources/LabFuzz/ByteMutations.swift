// ByteMutations — the format-blind mutations every target falls back on, and the "interesting values" tables the
// structure-aware mutators draw from.
//
// The tables hold the values parsers get wrong: the edges of each integer width (2³¹−1, 2³², 2⁶³, the
// sign-extended −1 of a protobuf int32), floats that are not finite or not normal, and strings that stress UTF-8
// and the terminal (NUL, lone surrogates, escape sequences, right-to-left marks, path climbs).

import LabCore

extension SeededRNG {
    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { nextDouble() < p }
    /// A uniformly chosen element of a non-empty array.
    mutating func pick<T>(_ items: [T]) -> T { items[nextInt(below: items.count)] }
    /// Uniform in `range` (non-empty).
    mutating func int(in range: ClosedRange<Int>) -> Int { range.lowerBound + nextInt(below: range.count) }
    /// A length skewed towards small values: most mutations should touch a few bytes, a few should touch many.
    mutating func smallCount(max: Int) -> Int {
        let bits = nextInt(below: 1 + Int.bitWidth - max.leadingZeroBitCount)
        return 1 + nextInt(below: Swift.max(1, Swift.min(max, 1 << bits)))
    }
}

/// Integers at the edges of the widths the parsers use (as unsigned 64-bit patterns).
let interestingIntegers: [UInt64] = [
    0, 1, 2, 3, 4, 7, 8, 15, 16, 31, 32, 63, 64, 127, 128, 255, 256, 1023, 1024, 4095, 4096, 32767, 32768, 65535, 65536,
    0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 0x1F_FFFF_FFFF_FFFF, 0x20_0000_0000_0000,
    0x3FFF_FFFF_FFFF_FFFF, 0x4000_0000_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000,
    UInt64.max, UInt64.max - 1, 100_000_000, 100_000_001,
]

/// JSON number texts a reader must either accept exactly or refuse clearly (some are not valid JSON on purpose).
let interestingNumberTexts: [String] = [
    "0", "-0", "1", "-1", "2", "0.5", "-0.5", "192.5", "1.0", "1e0", "1E2", "1e-7", "1e308", "-1e308", "1.7976931348623157e308",
    "1e309", "-1e309", "1e-320", "4.9e-324", "1e-400", "9007199254740993", "2147483647", "2147483648", "-2147483649",
    "4294967295", "4294967296", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
    "-9223372036854775809", "18446744073709551615", "18446744073709551616", "4611686018427387904",
    "100000000000000000000000000000", "1e999", "NaN", "Infinity", "-Infinity", "00", "01", "1.", ".5", "1e", "-", "+1",
    "0x10", "1_000", "true", "false", "null",
]

/// Strings for keys and values: empty, control characters, invalid escapes, escape sequences, paths, long runs.
let interestingStrings: [String] = [
    "", " ", "\u{0}", "a\u{0}b", "\u{1B}[31mred\u{1B}[0m", "\u{1B}]0;title\u{7}", "\r\n", "\t", "\u{7F}", "\u{202E}gnp.exe",
    "\u{FEFF}", "\u{FFFD}", "\u{200B}", "e\u{301}", "👩‍👩‍👧", "你好", "▁", "<s>", "</s>", "<unk>", "<|endoftext|>", "[PAD]",
    "../../../../etc/passwd", "/etc/passwd", "~/.ssh/id_rsa", "C:\\Windows", "%s%n%x", "{{x}}", "{% for %}", "$(id)", "`id`",
    "null", "true", "0", "-1", "NaN", "bfloat16", "float32", "BF16", "F32", "F64", "I64", "U8", "BOOL", "F8_E4M3", "F4",
    String(repeating: "a", count: 300), String(repeating: "▁", count: 100), String(repeating: "\\", count: 9),
]

/// Raw byte strings to splice into any format: invalid UTF-8, overlong forms, lone surrogates, BOMs, NULs.
let interestingByteStrings: [[UInt8]] = [
    [0x00], [0xFF], [0xFE, 0xFF], [0xEF, 0xBB, 0xBF], [0xC0, 0x80], [0xC3], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80],
    [0xF4, 0x90, 0x80, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0x80], [0x5C, 0x75, 0x44, 0x38, 0x30, 0x30],  // \uD800
    [0x5C, 0x75], [0x5C], [0x22], [0x7B], [0x5B], [0x0D], [0x0A], [0x1B, 0x5B],
]

/// Format-blind mutations of a byte string, capped at `maxSize` bytes.
enum ByteMutations {
    static func mutate(_ bytes: inout [UInt8], rng: inout SeededRNG, donor: [UInt8], maxSize: Int) {
        switch rng.nextInt(below: 10) {
        case 0:                                   // flip one bit
            guard !bytes.isEmpty else { fallthrough }
            bytes[rng.nextInt(below: bytes.count)] ^= UInt8(1 << rng.nextInt(below: 8))
        case 1:                                   // set a byte to an interesting value
            guard !bytes.isEmpty else { fallthrough }
            bytes[rng.nextInt(below: bytes.count)] = rng.pick([0x00, 0x01, 0x7F, 0x80, 0xFF, 0x22, 0x5C, 0x0A, 0x2C, 0x3A])
        case 2:                                   // insert random bytes
            let at = rng.nextInt(below: bytes.count + 1)
            let n = rng.smallCount(max: 64)
            bytes.insert(contentsOf: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
        case 3:                                   // delete a range
            guard !bytes.isEmpty else { fallthrough }
            let at = rng.nextInt(below: bytes.count)
            bytes.removeSubrange(at..<min(bytes.count, at + rng.smallCount(max: 256)))
        case 4:                                   // duplicate a range in place
            guard !bytes.isEmpty else { fallthrough }
            let at = rng.nextInt(below: bytes.count)
            let end = min(bytes.count, at + rng.smallCount(max: 512))
            bytes.insert(contentsOf: bytes[at..<end], at: rng.nextInt(below: bytes.count + 1))
        case 5:                                   // truncate
            guard !bytes.isEmpty else { fallthrough }
            bytes.removeSubrange(rng.nextInt(below: bytes.count)...)
        case 6:                                   // splice: our head, the donor's tail
            guard !donor.isEmpty, !bytes.isEmpty else { fallthrough }
            let cut = rng.nextInt(below: bytes.count)
            bytes = Array(bytes[..<cut]) + donor[rng.nextInt(below: donor.count)...]
        case 7:                                   // overwrite 2, 4 or 8 bytes with an interesting integer
            let width = rng.pick([2, 4, 8])
            guard bytes.count >= width else { fallthrough }
            let at = rng.nextInt(below: bytes.count - width + 1)
            let v = rng.pick(interestingIntegers)
            for k in 0..<width { bytes[at + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt64(k))) }
        default:                                  // insert an interesting byte string
            bytes.insert(contentsOf: rng.pick(interestingByteStrings), at: rng.nextInt(below: bytes.count + 1))
        }
        if bytes.count > maxSize { bytes.removeSubrange(maxSize...) }
    }
}
