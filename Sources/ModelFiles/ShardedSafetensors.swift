// ShardedSafetensors — a checkpoint split over several files, presented as one tensor namespace.
//
// Large checkpoints ship as `model-00001-of-00003.safetensors`, … plus `model.safetensors.index.json`:
//
//   {"metadata": {"total_size": 721496064},
//    "weight_map": {"model.embed_tokens.weight": "model-00001-of-00002.safetensors", …}}
//
// Every shard is memory-mapped (cheap: no data is read), and the index is checked against the shards both ways:
// each listed tensor must be in its shard, and each tensor in a shard must be listed, so a mixed-up download fails
// on open. Shard names must be plain file names in the same folder (no "/" or ".."), so an index cannot point
// outside the model folder.

import Foundation
import LabCore

/// Several safetensors files joined by `model.safetensors.index.json`.
public final class ShardedSafetensors: TensorCheckpoint, @unchecked Sendable {
    /// The conventional index file name.
    public static let indexFileName = "model.safetensors.index.json"

    public let indexURL: URL
    /// The index's `metadata` values that are strings or numbers, as text (e.g. "total_size": "721496064").
    public let metadata: [String: String]
    /// Tensor name → shard file name, as in `weight_map`.
    public let weightMap: [String: String]
    /// The opened shards by file name.
    public let shards: [String: SafetensorsFile]
    public let tensorNames: [String]

    /// Reads the index at `indexURL` and opens every shard it names (from the same folder).
    /// - Throws: `SafetensorsError.badIndex` / `.indexMismatch` naming the index, or a shard's own error.
    public init(indexURL: URL) throws {
        self.indexURL = indexURL
        let file = indexURL.path
        let data: Data
        do { data = try readRegularFile(indexURL, limit: maxConfigFileBytes) } catch {
            if case .notRegularFile(let found) = error {
                throw SafetensorsError.notRegularFile(file: file, found: found)
            }
            throw SafetensorsError.cannotOpen(file: file, reason: error.reason)
        }
        let index = try SafetensorsIndex(data: data, file: file)
        let (weightMap, metadata) = (index.weightMap, index.metadata)

        // Open each shard once; check the map against the shards in both directions.
        let folder = indexURL.deletingLastPathComponent()
        var shards: [String: SafetensorsFile] = [:]
        for shard in index.shardNames {
            let url = folder.appendingPathComponent(shard)
            guard FileManager.default.fileExists(atPath: url.path) else {
                let name = VisibleText.quoted(shard)
                throw SafetensorsError.badIndex(file: file, reason: "shard \(name) is missing from \(folder.path)")
            }
            shards[shard] = try SafetensorsFile(url: url)
        }
        for (tensor, shard) in weightMap where shards[shard]?.infos[tensor] == nil {
            throw SafetensorsError.indexMismatch(file: file, tensor: tensor, reason: "the index puts it in \(shard), "
                                                 + "which does not contain it")
        }
        for (shard, opened) in shards {
            for tensor in opened.tensorNames where weightMap[tensor] != shard {
                throw SafetensorsError.indexMismatch(file: file, tensor: tensor, reason: "\(shard) contains it but "
                                                     + "the index does not map it there")
            }
        }
        self.metadata = metadata
        self.weightMap = weightMap
        self.shards = shards
        self.tensorNames = weightMap.keys.sorted()
    }

    public func info(_ name: String) throws -> SafetensorsTensorInfo {
        guard let shard = weightMap[name], let f = shards[shard] else {
            throw SafetensorsError.tensorNotFound(file: indexURL.path, tensor: name)
        }
        return try f.info(name)
    }

    public func tensor(_ name: String) throws -> SafetensorsTensor {
        guard let shard = weightMap[name], let f = shards[shard] else {
            throw SafetensorsError.tensorNotFound(file: indexURL.path, tensor: name)
        }
        return try f.tensor(name)
    }
}

/// The contents of a `model.safetensors.index.json`, checked: `weight_map` is an object of tensor → shard file name,
/// each name a plain file in the model folder, at most `maxShards` different shards. The downloader reads it to know
/// which shards to fetch (Hub/Downloader.swift), ShardedSafetensors to open them.
public struct SafetensorsIndex: Sendable {
    /// The most different shards an index may name: checkpoints of hundreds of GB come in tens to a few hundred
    /// shards of 2–5 GB; a mirror naming millions would make the downloader list and the loader map them all.
    public static let maxShards = 4_096

    /// Tensor name → shard file name, as in `weight_map`.
    public let weightMap: [String: String]
    /// The index's `metadata` values that are strings or numbers, as text (e.g. "total_size": "721496064").
    public let metadata: [String: String]
    /// Every shard named, once each, sorted.
    public let shardNames: [String]

    /// Parses and checks an index; `file` names it in errors.
    /// - Throws: `SafetensorsError.badIndex` naming the file, the field and what is wrong.
    public init(data: Data, file: String) throws {
        let root: JSONValue
        do {
            root = try data.withUnsafeBytes { try StrictJSONParser.parse($0) }
        } catch let e as JSONParseError {
            if let key = e.duplicateKey, e.duplicateDepth == 1 {
                throw SafetensorsError.badIndex(file: file, reason: "\(VisibleText.quoted(key)) is listed twice")
            }
            throw SafetensorsError.badIndex(file: file, reason: "invalid JSON: \(e.message) at byte \(e.offset)")
        }
        guard case .object(let top) = root else {
            throw SafetensorsError.badIndex(file: file, reason: "the top level is \(root.typeName), not an object")
        }
        guard let mapValue = top.first(where: { $0.key == "weight_map" })?.value else {
            throw SafetensorsError.badIndex(file: file, reason: "there is no \"weight_map\"")
        }
        guard case .object(let pairs) = mapValue else {
            throw SafetensorsError.badIndex(file: file, reason: "\"weight_map\" is \(mapValue.typeName), not an object")
        }
        var weightMap: [String: String] = [:]
        for (tensor, value) in pairs {
            guard case .string(let shard) = value else {
                throw SafetensorsError.badIndex(file: file, reason: "\"weight_map\" maps \(VisibleText.quoted(tensor)) "
                                                + "to \(value.typeName), not a file name")
            }
            guard !shard.isEmpty, !shard.contains("/"), !shard.contains("\\"), shard != ".", shard != ".." else {
                throw SafetensorsError.badIndex(file: file, reason: "\"weight_map\" names the shard "
                                                + "\(VisibleText.quoted(shard)), which is not a file name in the model "
                                                + "folder")
            }
            weightMap[tensor] = shard
        }
        let shardNames = Set(weightMap.values).sorted()
        guard shardNames.count <= Self.maxShards else {
            throw SafetensorsError.badIndex(file: file, reason: "\"weight_map\" names \(shardNames.count) shards, "
                                            + "more than the \(Self.maxShards) a checkpoint may have")
        }
        var metadata: [String: String] = [:]
        if let m = top.first(where: { $0.key == "metadata" })?.value, case .object(let items) = m {
            for (key, v) in items {
                switch v {
                case .string(let s): metadata[key] = s
                case .number(let s): metadata[key] = s
                default: break
                }
            }
        }
        self.weightMap = weightMap
        self.metadata = metadata
        self.shardNames = shardNames
    }
}
