// Corpus — the seed inputs, gathered from the repository at start (nothing is committed for the fuzzer):
// the shipped models (Models/*), the test fixtures (Tests/*/Fixtures) and the lessons (Lessons/en, Lessons/zh).
//
// Real files are large for a fuzzer (tiny-ernie's checkpoint is 8.9 MB, a lesson ~30 KB, a unigram
// tokenizer.model 270 KB), and a mutation's cost grows with its input. So big seeds are cut down to valid
// miniatures that keep their structure: a checkpoint to a few of its small tensors with their real names, dtypes
// and bytes; a tokenizer.model to its first pieces with every spec field kept; a lesson to its sections.

import Foundation
import LabCore

struct Corpus {
    let root: URL
    static let configNames: Set<String> = ["config.json", "generation_config.json", "tokenizer_config.json",
                                           "special_tokens_map.json", "added_tokens.json"]
    /// Seeds at most this large are used whole.
    static let smallSeed = 64 << 10

    /// Regular files under `folders` (relative to the root), sorted, for which `keep` holds.
    func walk(_ folders: [String], keep: (URL) -> Bool) -> [URL] {
        var found: [URL] = []
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let e = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true && keep(url) {
                found.append(url)
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// The distinct contents of `urls` (fixtures are often copied between test targets).
    func contents(_ urls: [URL], target: String) throws -> [[UInt8]] {
        var seen = Set<[UInt8]>()
        let out = urls.compactMap { url -> [UInt8]? in
            guard let d = FileManager.default.contents(atPath: url.path) else { return nil }
            return seen.insert(Array(d)).inserted ? Array(d) : nil
        }
        guard !out.isEmpty else { throw FuzzError.noSeeds(target: target, root: root.path) }
        return out
    }

    func files(named names: Set<String>) throws -> [[UInt8]] {
        try contents(walk(["Models", "Tests"]) { names.contains($0.lastPathComponent) }, target: "config")
    }

    func files(under folder: String, ext: String) throws -> [[UInt8]] {
        try contents(walk([folder]) { $0.pathExtension == ext }, target: folder)
    }

    /// Every checkpoint, whole when small, else cut to its small tensors (real names, dtypes, shapes and bytes).
    func safetensorsSeeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for file in try contents(walk(["Models", "Tests"]) { $0.pathExtension == "safetensors" }, target: "safetensors") {
            if file.count <= Self.smallSeed { seeds.append(file); continue }
            guard let parts = SafetensorsParts(file), case .object(let pairs) = parts.header else { continue }
            var metadata: JSONTree?
            var entries: [(name: String, dtype: String, shape: [Int], bytes: ArraySlice<UInt8>)] = []
            for (name, value) in pairs {
                if name == "__metadata__" { metadata = value; continue }
                guard case .object(let f) = value,
                      case .string(let dtype)? = f.first(where: { $0.key == "dtype" })?.value,
                      case .array(let dims)? = f.first(where: { $0.key == "shape" })?.value,
                      case .array(let ends)? = f.first(where: { $0.key == "data_offsets" })?.value, ends.count == 2,
                      case .raw(let b) = ends[0], case .raw(let e) = ends[1], let begin = Int(b), let end = Int(e),
                      begin <= end, end <= parts.data.count else { continue }
                let shape = dims.compactMap { d -> Int? in if case .raw(let t) = d { return Int(t) } else { return nil } }
                entries.append((name, dtype, shape, parts.data[begin..<end]))
            }
            let small = entries.filter { $0.bytes.count <= 8 << 10 }.sorted { $0.name < $1.name }
            // Two miniatures per checkpoint: its smallest tensors, and a spread of them (every third).
            let picks = [Array(small.sorted { $0.bytes.count < $1.bytes.count }.prefix(12)),
                         Array(small.enumerated().filter { $0.offset % 3 == 0 }.map(\.element).prefix(12))]
            for pick in picks where !pick.isEmpty {
                seeds.append(SafetensorsParts.packed(pick, metadata: metadata).serialized())
            }
        }
        return seeds
    }

    /// Every tokenizer.model, whole when under 16 KB, plus a miniature of each with its first 200 pieces.
    func tokenizerSeeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for file in try contents(walk(["Models", "Tests"]) { $0.pathExtension == "model" }, target: "tokenizer") {
            if file.count <= Self.smallSeed / 4 { seeds.append(file) }     // each run builds the processor: keep it small
            guard let fields = Protobuf.parse(file[...]) else { continue }
            var pieces = 0
            let mini = fields.filter { f in
                guard f.number == 1 else { return true }       // ModelProto.pieces
                pieces += 1
                return pieces <= 200
            }
            if pieces > 200 { seeds.append(Protobuf.serialize(mini)) }
        }
        return seeds
    }

    /// Every lesson whole, and each of its `## ` sections on its own (cells and quizzes travel with their section).
    func lessonSeeds() throws -> [[UInt8]] {
        var seeds: [[UInt8]] = []
        for file in try contents(walk(["Lessons/en", "Lessons/zh"]) { $0.pathExtension == "md" }, target: "lesson") {
            seeds.append(file)
            var section: [Substring] = []
            for line in String(decoding: file, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("## "), !section.isEmpty {
                    seeds.append(Array(section.joined(separator: "\n").utf8))
                    section = []
                }
                section.append(line)
            }
            if !section.isEmpty { seeds.append(Array(section.joined(separator: "\n").utf8)) }
        }
        return seeds
    }
}
