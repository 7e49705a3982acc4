// JSONMutator — structure-aware mutation of JSON documents (config.json and friends, API answers, safetensors
// headers).
//
// A seed is parsed once into a `JSONTree`; a mutation picks one node and changes it as a writer of the format
// could get it wrong: a number at the edge of its type (2⁶³, 1e309, 192.5, -0), a value of another JSON type
// ("2" for 2, [x] for x), a key deleted, duplicated, renamed to another known key, a subtree from another seed,
// nesting thousands deep. Numbers and literals are kept as text (`raw`), so a mutation can write what
// JSONSerialization would never produce (`1e999`, `NaN`, `01`).

import Foundation
import LabCore

/// A JSON document that keeps key order and duplicate keys, and numbers as their literal text.
indirect enum JSONTree {
    case object([(key: String, value: JSONTree)])
    case array([JSONTree])
    case string(String)
    /// A number or literal written verbatim (`12`, `1e999`, `true`, `null`, or something invalid on purpose).
    case raw(String)

    /// Converts JSONSerialization's output (seeds are valid JSON; key order is lost, sorted for determinism).
    init(foundation value: Any) {
        switch value {
        case let d as [String: Any]:
            self = .object(d.keys.sorted().map { (key: $0, value: JSONTree(foundation: d[$0]!)) })
        case let a as [Any]: self = .array(a.map(JSONTree.init(foundation:)))
        case let s as String: self = .string(s)
        case is NSNull: self = .raw("null")
        case let n as NSNumber:
            switch String(cString: n.objCType) {
            case "c", "B": self = .raw(n.boolValue ? "true" : "false")
            case "d", "f": self = .raw("\(n.doubleValue)")
            default: self = .raw(n.stringValue)
            }
        default: self = .raw("null")
        }
    }

    /// Parses valid JSON bytes; nil when they are not JSON.
    static func parse(_ bytes: [UInt8]) -> JSONTree? {
        guard let v = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) else { return nil }
        return JSONTree(foundation: v)
    }

    /// The JSON text; `pretty` adds newlines and indentation like the files on disk.
    func serialized(pretty: Bool) -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout [UInt8], pretty: Bool, indent: Int) {
        func newline(_ level: Int) {
            guard pretty else { return }
            out.append(0x0A)
            out.append(contentsOf: repeatElement(0x20, count: 2 * min(level, 64)))
        }
        switch self {
        case .raw(let text): out.append(contentsOf: text.utf8)
        case .string(let s): Self.writeString(s, into: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !items.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (i, pair) in pairs.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(indent + 1)
                Self.writeString(pair.key, into: &out)
                out.append(contentsOf: pretty ? [0x3A, 0x20] : [0x3A])
                pair.value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if !pairs.isEmpty { newline(indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped; everything else as UTF-8.
    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0..<0x20:                        // \u00XX
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    /// Every node's path (indices into objects' pairs and arrays' items), the root first.
    func paths(prefix: [Int] = [], into out: inout [[Int]], limit: Int = 20_000) {
        guard out.count < limit else { return }
        out.append(prefix)
        switch self {
        case .object(let pairs): for (i, p) in pairs.enumerated() { p.value.paths(prefix: prefix + [i], into: &out, limit: limit) }
        case .array(let items): for (i, v) in items.enumerated() { v.paths(prefix: prefix + [i], into: &out, limit: limit) }
        default: break
        }
    }

    /// The node at `path`.
    subscript(path: ArraySlice<Int>) -> JSONTree {
        get {
            guard let i = path.first else { return self }
            switch self {
            case .object(let pairs): return pairs[i].value[path.dropFirst()]
            case .array(let items): return items[i][path.dropFirst()]
            default: return self
            }
        }
        set {
            guard let i = path.first else { self = newValue; return }
            switch self {
            case .object(var pairs): pairs[i].value[path.dropFirst()] = newValue; self = .object(pairs)
            case .array(var items): items[i][path.dropFirst()] = newValue; self = .array(items)
            default: self = newValue
            }
        }
    }

    /// Every object key in the tree (the mutator's dictionary of names worth writing).
    func collectKeys(into keys: inout Set<String>) {
        switch self {
        case .object(let pairs): for p in pairs { keys.insert(p.key); p.value.collectKeys(into: &keys) }
        case .array(let items): for v in items { v.collectKeys(into: &keys) }
        default: break
        }
    }
}

/// Applies one structure-aware change to a JSON tree.
struct JSONMutator {
    /// Key names worth writing (from the seeds and the format's documentation).
    var keys: [String]
    /// Subtrees from other seeds, for splicing.
    var donors: [JSONTree]

    func mutate(_ tree: inout JSONTree, rng: inout SeededRNG) {
        var paths: [[Int]] = []
        tree.paths(into: &paths)
        let path = rng.pick(paths)
        var node = tree[path[...]]
        switch rng.nextInt(below: 14) {
        case 0, 1:                                // a number at an edge
            node = .raw(rng.pick(interestingNumberTexts))
        case 2:                                   // nudge an existing number
            if case .raw(let t) = node, let v = Double(t) {
                let nudged: Double = rng.pick([v + 1, v - 1, -v, v * 2, v * 1e6, v / 3, 0, v.nextUp])
                node = .raw(rng.chance(0.5) && nudged.rounded() == nudged && abs(nudged) < 9e18
                            ? String(Int64(nudged)) : "\(nudged)")
            } else { node = .raw(rng.pick(interestingNumberTexts)) }
        case 3:                                   // another JSON type holding the same value
            switch rng.nextInt(below: 5) {
            case 0: if case .raw(let t) = node { node = .string(t) } else { node = .string(rng.pick(interestingStrings)) }
            case 1: node = .array([node])
            case 2: node = .object([(key: rng.pick(keys), value: node)])
            case 3: node = .raw("null")
            default: node = .raw(rng.chance(0.5) ? "true" : "false")
            }
        case 4:                                   // a string value
            node = .string(rng.pick(interestingStrings))
        case 5:                                   // delete a key or item
            switch node {
            case .object(var pairs) where !pairs.isEmpty: pairs.remove(at: rng.nextInt(below: pairs.count)); node = .object(pairs)
            case .array(var items) where !items.isEmpty: items.remove(at: rng.nextInt(below: items.count)); node = .array(items)
            default: node = .raw("null")
            }
        case 6:                                   // the same key twice, or an item repeated
            switch node {
            case .object(var pairs) where !pairs.isEmpty:
                var p = pairs[rng.nextInt(below: pairs.count)]
                if rng.chance(0.5) { p.value = .raw(rng.pick(interestingNumberTexts)) }
                pairs.insert(p, at: rng.nextInt(below: pairs.count + 1)); node = .object(pairs)
            case .array(var items) where !items.isEmpty:
                let n = rng.chance(0.1) ? rng.smallCount(max: 5000) : 1
                items.append(contentsOf: repeatElement(items[rng.nextInt(below: items.count)], count: n)); node = .array(items)
            default: node = .array([node, node])
            }
        case 7:                                   // rename a key (to another known key, or a strange one)
            if case .object(var pairs) = node, !pairs.isEmpty {
                pairs[rng.nextInt(below: pairs.count)].key = rng.chance(0.7) ? rng.pick(keys) : rng.pick(interestingStrings)
                node = .object(pairs)
            } else { node = .object([(key: rng.pick(keys), value: node)]) }
        case 8:                                   // add a known key with a strange value
            let value: JSONTree = rng.chance(0.5) ? .raw(rng.pick(interestingNumberTexts)) : rng.pick(donors)
            if case .object(var pairs) = node {
                pairs.insert((key: rng.pick(keys), value: value), at: rng.nextInt(below: pairs.count + 1)); node = .object(pairs)
            } else if case .array(var items) = node {
                items.insert(value, at: rng.nextInt(below: items.count + 1)); node = .array(items)
            } else { node = value }
        case 9:                                   // a subtree from another seed
            var donorPaths: [[Int]] = []
            let donor = rng.pick(donors)
            donor.paths(into: &donorPaths, limit: 2000)
            node = donor[rng.pick(donorPaths)[...]]
        case 10:                                  // swap two siblings' values
            if case .object(var pairs) = node, pairs.count >= 2 {
                let (a, b) = (rng.nextInt(below: pairs.count), rng.nextInt(below: pairs.count))
                (pairs[a].value, pairs[b].value) = (pairs[b].value, pairs[a].value); node = .object(pairs)
            } else if case .array(var items) = node, items.count >= 2 {
                items.swapAt(rng.nextInt(below: items.count), rng.nextInt(below: items.count)); node = .array(items)
            }
        case 11:                                  // deep nesting (stack depth of recursive decoders)
            let depth = rng.pick([10, 100, 600, 2000, 20_000])
            let open = rng.chance(0.5)
            var deep = node
            for _ in 0..<min(depth, 300) { deep = open ? .array([deep]) : .object([(key: "a", value: deep)]) }
            if depth > 300 {                      // build the rest as text: a tree that deep would be slow to walk
                let o = open ? "[" : "{\"a\":", c = open ? "]" : "}"
                var text = String(repeating: o, count: depth - 300)
                text += String(decoding: deep.serialized(pretty: false), as: UTF8.self)
                text += String(repeating: c, count: rng.chance(0.9) ? depth - 300 : rng.nextInt(below: depth - 300))
                deep = .raw(text)
            }
            node = deep
        case 12:                                  // an empty container, or a large one
            node = rng.chance(0.5) ? rng.pick([.object([]), .array([]), .string("")])
                : .array(Array(repeating: .raw("0"), count: rng.smallCount(max: 100_000)))
        default:                                  // a long string
            node = .string(String(repeating: rng.pick(["a", "é", "你", "\\", "\u{0}", "▁"]), count: rng.smallCount(max: 70_000)))
        }
        tree[path[...]] = node
    }
}
