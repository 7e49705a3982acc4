// SafetensorsMutator — structure-aware mutation of safetensors files: the 8-byte little-endian header length n,
// the n-byte JSON header {name: {dtype, shape, data_offsets}, "__metadata__": {…}}, then the data bytes.
//
// A mutation edits the part a damaged or hostile file gets wrong: the declared length (one byte short, past the
// end, 2⁶⁴−1), a dtype (another valid one, so the sizes disagree, or a name that does not exist), a shape
// extent (0, 2⁶², one more dimension), data_offsets (reversed, overlapping another tensor, past the data), the
// metadata (a number where a string belongs), padding after the JSON, the data region's length.
// The JSON header is also handed to `JSONMutator` for the generic changes.

import Foundation
import LabCore

/// A safetensors file split into its header (as a tree) and its data.
struct SafetensorsParts {
    var header: JSONTree
    var data: [UInt8]

    /// Splits a file whose declared length is honest and whose header is JSON; nil otherwise.
    init?(_ file: [UInt8]) {
        guard file.count >= 8 else { return nil }
        let n = file[0..<8].enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard n <= UInt64(file.count - 8), let tree = JSONTree.parse(Array(file[8..<(8 + Int(n))])) else { return nil }
        header = tree
        data = Array(file[(8 + Int(n))...])
    }

    init(header: JSONTree, data: [UInt8]) { self.header = header; self.data = data }

    /// The file, with `declared` as the length prefix when given (else the header's true length), and
    /// `padding` spaces after the JSON (allowed by the format, counted in n).
    func serialized(declared: UInt64? = nil, padding: Int = 0) -> [UInt8] {
        var json = header.serialized(pretty: false)
        json.append(contentsOf: repeatElement(0x20, count: padding))
        var out: [UInt8] = []
        out.reserveCapacity(8 + json.count + data.count)
        let n = declared ?? UInt64(json.count)
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(k)))) }
        out.append(contentsOf: json)
        out.append(contentsOf: data)
        return out
    }

    /// Rebuilds a file from `entries` (name → dtype, shape, bytes), packed in order: the smallest valid file
    /// holding those tensors. Used to cut large checkpoints down to seeds of a few KB.
    static func packed(_ entries: [(name: String, dtype: String, shape: [Int], bytes: ArraySlice<UInt8>)],
                       metadata: JSONTree?) -> SafetensorsParts {
        var pairs: [(key: String, value: JSONTree)] = []
        if let metadata { pairs.append((key: "__metadata__", value: metadata)) }
        var data: [UInt8] = []
        for e in entries {
            let begin = data.count
            data.append(contentsOf: e.bytes)
            pairs.append((key: e.name, value: .object([
                (key: "dtype", value: .string(e.dtype)),
                (key: "shape", value: .array(e.shape.map { .raw(String($0)) })),
                (key: "data_offsets", value: .array([.raw(String(begin)), .raw(String(data.count))])),
            ])))
        }
        return SafetensorsParts(header: .object(pairs), data: data)
    }
}

/// Applies one structure-aware change to a safetensors file.
struct SafetensorsMutator {
    var json: JSONMutator
    static let dtypes = ["F64", "F32", "F16", "BF16", "I64", "I32", "I16", "I8", "U64", "U32", "U16", "U8", "BOOL",
                         "F8_E4M3", "F8_E5M2", "F4", "bf16", "float32", "", "F32 "]

    func mutate(_ file: inout [UInt8], rng: inout SeededRNG, donor: [UInt8]) {
        guard var parts = SafetensorsParts(file), rng.chance(0.9) else {
            ByteMutations.mutate(&file, rng: &rng, donor: donor, maxSize: 4 << 20)
            return
        }
        var declared: UInt64?
        var padding = 0
        switch rng.nextInt(below: 9) {
        case 0:                                   // the length prefix lies
            let n = UInt64(parts.header.serialized(pretty: false).count)
            declared = rng.pick([n &- 1, n &+ 1, 0, 1, 7, n &+ UInt64(parts.data.count), n &+ UInt64(parts.data.count) &+ 1,
                                 100_000_000, 100_000_001, rng.pick(interestingIntegers)])
        case 1:                                   // padding after the JSON: spaces (legal), NULs or text (not)
            padding = rng.smallCount(max: 16)
            if rng.chance(0.3) {
                file = parts.serialized(padding: padding)
                let end = 8 + parts.header.serialized(pretty: false).count
                for k in 0..<padding { file[end + k] = rng.pick([0x00, 0x0A, 0x78, 0x7D]) }
                return
            }
        case 2:                                   // the data region grows or shrinks
            if rng.chance(0.5), !parts.data.isEmpty {
                parts.data.removeSubrange((parts.data.count - rng.smallCount(max: parts.data.count))...)
            } else {
                parts.data.append(contentsOf: repeatElement(0, count: rng.smallCount(max: 4096)))
            }
        case 3, 4, 5, 6:                          // one field of one tensor entry
            mutateEntry(&parts.header, rng: &rng)
        default:                                  // the header as JSON
            json.mutate(&parts.header, rng: &rng)
        }
        file = parts.serialized(declared: declared, padding: padding)
    }

    private func mutateEntry(_ header: inout JSONTree, rng: inout SeededRNG) {
        guard case .object(var pairs) = header, !pairs.isEmpty else { return }
        let t = rng.nextInt(below: pairs.count)
        guard case .object(var fields) = pairs[t].value else {
            pairs[t].value = .object([(key: "dtype", value: .string(rng.pick(Self.dtypes)))])
            header = .object(pairs)
            return
        }
        // The other tensor's offsets, for overlaps.
        let other = pairs[rng.nextInt(below: pairs.count)].value
        func field(_ key: String) -> Int? { fields.firstIndex { $0.key == key } }
        switch rng.nextInt(below: 6) {
        case 0:
            if let i = field("dtype") { fields[i].value = .string(rng.pick(Self.dtypes)) }
        case 1, 2:                                // a shape extent at an edge, or a dimension more or less
            if let i = field("shape"), case .array(var dims) = fields[i].value {
                switch rng.nextInt(below: 3) {
                case 0 where !dims.isEmpty: dims[rng.nextInt(below: dims.count)] = .raw(rng.pick(interestingNumberTexts))
                case 1: dims.insert(.raw(rng.pick(["0", "1", "2", "4611686018427387904", "-1"])),
                                    at: rng.nextInt(below: dims.count + 1))
                default: if !dims.isEmpty { dims.removeLast() } else { dims = [.raw("1")] }
                }
                fields[i].value = .array(dims)
            }
        case 3, 4:                                // data_offsets reversed, shifted, overlapping, out of range
            if let i = field("data_offsets"), case .array(var ends) = fields[i].value, ends.count == 2 {
                switch rng.nextInt(below: 4) {
                case 0: ends.swapAt(0, 1)
                case 1: ends[rng.nextInt(below: 2)] = .raw(rng.pick(interestingNumberTexts))
                case 2:
                    if case .object(let o) = other, let off = o.first(where: { $0.key == "data_offsets" }) { fields[i].value = off.value }
                    pairs[t].value = .object(fields); header = .object(pairs); return
                default:
                    if case .raw(let a) = ends[0], case .raw(let b) = ends[1], let x = Int(a), let y = Int(b) {
                        let d = rng.pick([1, -1, 2, 4, 8])
                        ends = [.raw(String(x &+ d)), .raw(String(y &+ d))]
                    }
                }
                fields[i].value = .array(ends)
            }
        default:                                  // a field missing or repeated
            if rng.chance(0.5), !fields.isEmpty { fields.remove(at: rng.nextInt(below: fields.count)) }
            else if !fields.isEmpty { fields.append(fields[rng.nextInt(below: fields.count)]) }
        }
        pairs[t].value = .object(fields)
        header = .object(pairs)
    }
}
