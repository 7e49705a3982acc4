// ProtobufMutator — structure-aware mutation of protocol-buffers messages (SentencePiece `tokenizer.model`).
//
// The seed is split into fields (key varint = number << 3 | wire type, then the value; Tokenizers/ProtobufWire.swift
// documents the wire format). A mutation edits one field as a damaged or hostile writer could: a varint at the
// edge of int32/uint64 or sign-extended to ten bytes, a float that is NaN or infinite, a length prefix that
// claims more or fewer bytes than follow, a wire type the field does not allow, a field number from elsewhere
// in the schema, invalid UTF-8 in a string, a field dropped or repeated thousands of times. Length-delimited
// fields that themselves parse as messages (a `pieces` entry, `trainer_spec`, `normalizer_spec`) are mutated
// recursively, so the damage lands inside the sub-messages too.

import LabCore

/// One field of a protobuf message, as read from the wire.
struct ProtobufField {
    var number: UInt64
    var wireType: UInt8
    /// The value: the varint's value for wire type 0, otherwise the raw bytes (length prefix excluded).
    var varint: UInt64 = 0
    var payload: [UInt8] = []
    /// When set, the length prefix written for a length-delimited field (a lie about the payload's size).
    var declaredLength: UInt64?
    /// Extra 0x80 bytes written before a varint's terminating byte (a non-canonical, overlong encoding).
    var overlongPadding = 0
}

enum Protobuf {
    /// Splits `bytes` into fields; nil when they are not a well-formed message (then it is not mutated as one).
    static func parse(_ bytes: ArraySlice<UInt8>) -> [ProtobufField]? {
        var fields: [ProtobufField] = []
        var i = bytes.startIndex
        func varint() -> UInt64? {
            var v: UInt64 = 0, shift: UInt64 = 0
            while i < bytes.endIndex, shift < 64 {
                let b = bytes[i]; i += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        while i < bytes.endIndex {
            guard let key = varint(), key >> 3 > 0 else { return nil }
            var f = ProtobufField(number: key >> 3, wireType: UInt8(key & 7))
            switch f.wireType {
            case 0: guard let v = varint() else { return nil }; f.varint = v
            case 1, 5:
                let n = f.wireType == 1 ? 8 : 4
                guard bytes.endIndex - i >= n else { return nil }
                f.payload = Array(bytes[i..<(i + n)]); i += n
            case 2:
                guard let n = varint(), n <= UInt64(bytes.endIndex - i) else { return nil }
                f.payload = Array(bytes[i..<(i + Int(n))]); i += Int(n)
            default: return nil
            }
            fields.append(f)
        }
        return fields
    }

    static func appendVarint(_ value: UInt64, padding: Int = 0, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        if padding > 0 {                          // the same value, written with needless continuation bytes
            out.append(UInt8(v) | 0x80)
            for _ in 1..<padding { out.append(0x80) }
            out.append(0)
        } else { out.append(UInt8(v)) }
    }

    static func serialize(_ fields: [ProtobufField]) -> [UInt8] {
        var out: [UInt8] = []
        for f in fields {
            appendVarint(f.number << 3 | UInt64(f.wireType & 7), to: &out)
            switch f.wireType {
            case 0: appendVarint(f.varint, padding: f.overlongPadding, to: &out)
            case 2:
                appendVarint(f.declaredLength ?? UInt64(f.payload.count), padding: f.overlongPadding, to: &out)
                out.append(contentsOf: f.payload)
            default: out.append(contentsOf: f.payload)
            }
        }
        return out
    }
}

/// Applies one structure-aware change somewhere in a protobuf message.
struct ProtobufMutator {
    /// Field numbers the schema uses (sentencepiece_model.proto), to move fields between slots.
    var knownNumbers: [UInt64]

    func mutate(_ bytes: inout [UInt8], rng: inout SeededRNG, donor: [UInt8], depth: Int = 0) {
        guard var fields = Protobuf.parse(bytes[...]), !fields.isEmpty else {
            ByteMutations.mutate(&bytes, rng: &rng, donor: donor, maxSize: 4 << 20)
            return
        }
        let k = rng.nextInt(below: fields.count)
        // Descend into a sub-message most of the time, so pieces and specs are hit, not only the top level.
        if fields[k].wireType == 2, depth < 3, rng.chance(0.6),
           let inner = Protobuf.parse(fields[k].payload[...]), !inner.isEmpty {
            mutate(&fields[k].payload, rng: &rng, donor: donor, depth: depth + 1)
            bytes = Protobuf.serialize(fields)
            return
        }
        switch rng.nextInt(below: 12) {
        case 0, 1:                                // a value at an edge of its width
            switch fields[k].wireType {
            case 0: fields[k].varint = rng.pick(interestingIntegers)
            case 5: fields[k].payload = withUnsafeBytes(of: rng.pick(interestingFloatBits).littleEndian) { Array($0) }
            case 1: fields[k].payload = withUnsafeBytes(of: rng.pick(interestingIntegers).littleEndian) { Array($0) }
            default: fields[k].payload = Array(rng.pick(interestingStrings).utf8)
            }
        case 2:                                   // a length prefix that lies
            if fields[k].wireType == 2 {
                let n = UInt64(fields[k].payload.count)
                fields[k].declaredLength = rng.pick([n &+ 1, n &- 1, n &* 2, 0, n &+ 0x1000_0000, rng.pick(interestingIntegers)])
            } else { fields[k].wireType = 2 }
        case 3:                                   // a wire type the field does not allow (3, 4 are obsolete groups)
            fields[k].wireType = UInt8(rng.nextInt(below: 8))
            if fields[k].wireType == 1, fields[k].payload.count != 8 { fields[k].payload = Array(repeating: 0xFF, count: 8) }
            if fields[k].wireType == 5, fields[k].payload.count != 4 { fields[k].payload = [0, 0, 0xC0, 0x7F] }
        case 4:                                   // a field number from elsewhere in the schema, or outside it
            fields[k].number = rng.chance(0.8) ? rng.pick(knownNumbers) : rng.pick([0, 19000, 536_870_911, 536_870_912])
        case 5:                                   // drop a run of fields
            fields.removeSubrange(k..<min(fields.count, k + rng.smallCount(max: 2000)))
        case 6:                                   // repeat a field (a duplicate piece, a repeated scalar)
            let fit = max(1, (1 << 20) / max(1, fields[k].payload.count + 2))   // at most ~1 MiB more
            let n = rng.chance(0.1) ? rng.smallCount(max: min(20_000, fit)) : 1
            fields.insert(contentsOf: repeatElement(fields[k], count: n), at: rng.nextInt(below: fields.count + 1))
        case 7:                                   // move a field
            let f = fields.remove(at: k)
            fields.insert(f, at: rng.nextInt(below: fields.count + 1))
        case 8:                                   // string bytes that are not UTF-8, or an empty string
            if fields[k].wireType == 2 {
                if rng.chance(0.3) { fields[k].payload = [] } else {
                    fields[k].payload.insert(contentsOf: rng.pick(interestingByteStrings),
                                             at: rng.nextInt(below: fields[k].payload.count + 1))
                }
            } else { fields[k].overlongPadding = rng.int(in: 1...10) }
        case 9:                                   // a 4-byte word inside a bytes field (the precompiled charsmap's trie)
            if fields[k].wireType == 2, fields[k].payload.count >= 4 {
                let at = rng.nextInt(below: fields[k].payload.count / 4) * 4
                let v = UInt32(truncatingIfNeeded: rng.pick(interestingIntegers))
                for b in 0..<4 { fields[k].payload[at + b] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(b))) }
            } else { fields[k].overlongPadding = rng.int(in: 1...10) }
        case 10:                                  // cut the message inside a field
            var out = Protobuf.serialize(fields)
            if !out.isEmpty { out.removeSubrange(rng.nextInt(below: out.count)...) }
            bytes = out
            return
        default:                                  // bytes of the field, format-blind
            ByteMutations.mutate(&fields[k].payload, rng: &rng, donor: donor, maxSize: 1 << 20)
        }
        bytes = Protobuf.serialize(fields)
    }
}

/// Float bit patterns: NaN (quiet and signalling), ±∞, −0, the smallest subnormal, the largest finite, 1.
let interestingFloatBits: [UInt32] = [
    0x7FC0_0000, 0x7F80_0001, 0xFFC0_0000, 0x7F80_0000, 0xFF80_0000, 0x8000_0000, 0x0000_0001, 0x7F7F_FFFF,
    0xFF7F_FFFF, 0x3F80_0000, 0xBF80_0000, 0x0000_0000,
]
