// `lmlab download` of a sharded checkpoint (Hub/ShardedDownload.swift) against LoopbackHub: the shipped tiny MoE
// split into three shards is found through model.safetensors.index.json, downloaded, SHA-256 checked, and loads in
// the engine with the same logits as the single file; a hostile index (a shard path leaving the folder, thousands of
// shards, a shard the listing lacks, an index too large) is refused with an error naming the index and its field,
// before any shard is fetched.

import Foundation
import Testing
import ERNIE
import ModelFiles
@testable import Hub

private let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
private let tinyMoE = projectRoot.appendingPathComponent("Models/tiny-ernie-moe")
private let indexName = ShardedSafetensors.indexFileName

/// Models/tiny-ernie-moe/model.safetensors split into `count` shards (tensors dealt round-robin by sorted name), with
/// the index transformers writes: shard file name → bytes, and the index's bytes.
private func shardedTinyMoE(count: Int) throws -> (shards: [String: [UInt8]], index: [UInt8]) {
    let file = try SafetensorsFile(url: tinyMoE.appendingPathComponent("model.safetensors"))
    var writers = (0..<count).map { _ in SafetensorsWriter(metadata: ["format": "pt"]) }
    var weightMap: [String: String] = [:]
    let name = { (k: Int) in String(format: "model-%05d-of-%05d.safetensors", k + 1, count) }
    for (i, tensor) in file.tensorNames.sorted().enumerated() {
        let t = try file.tensor(tensor)
        try writers[i % count].add(tensor, dtype: t.dtype, shape: t.shape, bytes: t.withUnsafeBytes { Array($0) })
        weightMap[tensor] = name(i % count)
    }
    let index = try JSONSerialization.data(withJSONObject: ["metadata": ["total_size": 1], "weight_map": weightMap],
                                           options: [.sortedKeys])
    return (Dictionary(uniqueKeysWithValues: writers.enumerated().map { (name($0.offset), $0.element.serialized()) }),
            Array(index))
}

/// A loopback Hub serving the tiny MoE's config and `index` with `shards`.
private func servedHub(shards: [String: [UInt8]], index: [UInt8]) throws -> HubFixture {
    let fixture = try HubFixture(repo: "lab/tiny-moe-sharded", weightBytes: 1)
    fixture.hub.add("config.json", Array(try Data(contentsOf: tinyMoE.appendingPathComponent("config.json"))), lfs: false)
    fixture.hub.add(indexName, index, lfs: false)
    for (name, bytes) in shards { fixture.hub.add(name, bytes, lfs: true) }
    return fixture
}

/// What the catalog's 21B-A3B entries ask for: the config and the index, not the shards by name.
private let catalogLike = FileSelection(required: ["config.json", indexName])

@Test func shardedCheckpointIsDownloadedThroughItsIndexAndLoads() throws {
    let (shards, index) = try shardedTinyMoE(count: 3)
    let fixture = try servedHub(shards: shards, index: index)
    defer { fixture.tearDown() }
    let log = EventLog()
    let result = try fixture.downloader().download(repo: fixture.hub.repo, selection: catalogLike, onEvent: log.add)

    #expect(Set(result.files) == Set(["config.json", indexName] + shards.keys))
    for (name, bytes) in shards {                        // each shard fetched once, whole, and checked
        #expect(fixture.cdnGets(name).count == 1)
        #expect(Array(try Data(contentsOf: result.snapshot.appendingPathComponent(name))) == bytes)
        #expect(log.events.contains(.fileDone(file: name, size: Int64(bytes.count), verified: true, fromCache: false)))
    }
    #expect(!FileManager.default.fileExists(atPath: result.snapshot.appendingPathComponent("model.safetensors").path))

    // The engine opens the folder through the index and computes what it computes from the single file.
    let sharded = try ErnieModel(folder: result.snapshot)
    let single = try ErnieModel(folder: tinyMoE)
    let ids = [5, 17, 42, 99, 3]
    var c1 = sharded.makeCache(), c2 = single.makeCache()
    let a = try sharded.logits(ids, cache: &c1, allPositions: true)
    let b = try single.logits(ids, cache: &c2, allPositions: true)
    let diff = zip(a.joined(), b.joined()).map { abs($0 - $1) }.max() ?? .infinity
    print("sharded vs single-file tiny MoE: max |Δ logit| \(diff)")
    #expect(diff == 0)

    // A second run finds everything in the cache and transfers nothing.
    let again = try fixture.downloader().download(repo: fixture.hub.repo, selection: catalogLike)
    #expect(again.bytesTransferred == 0)
    #expect(shards.keys.allSatisfy { fixture.cdnGets($0).count == 1 })
}

/// Downloads with `index` served beside the real shards; the error's text, and the shard GETs made.
private func refusal(index: [UInt8], tamper: ((LoopbackHub) -> Void)? = nil) throws -> (message: String, shardGets: Int) {
    let (shards, _) = try shardedTinyMoE(count: 2)
    let fixture = try servedHub(shards: shards, index: index)
    defer { fixture.tearDown() }
    tamper?(fixture.hub)
    var message = ""
    do {
        try fixture.downloader().download(repo: fixture.hub.repo, selection: catalogLike)
        Issue.record("the download of a hostile index succeeded")
    } catch let error as HubError {
        message = "\(error)"
    }
    // Nothing escaped the cache: no file named by the index was written next to it.
    #expect(!FileManager.default.fileExists(atPath: fixture.cacheRoot.deletingLastPathComponent()
        .appendingPathComponent("evil.safetensors").path))
    return (message, shards.keys.reduce(0) { $0 + fixture.cdnGets($1).count })
}

private func indexJSON(_ weightMap: [String: String]) throws -> [UInt8] {
    Array(try JSONSerialization.data(withJSONObject: ["weight_map": weightMap], options: [.sortedKeys]))
}

@Test func hostileIndexesAreRefusedNamingTheFileAndField() throws {
    let traversal = try refusal(index: indexJSON(["model.norm.weight": "../../../evil.safetensors"]))
    print(traversal.message)
    #expect(traversal.message.contains(indexName) && traversal.message.contains("\"weight_map\"")
            && traversal.message.contains("../../../evil.safetensors") && traversal.message.contains("HINT:"))
    #expect(traversal.shardGets == 0)

    let many = Dictionary(uniqueKeysWithValues: (0..<5_000).map { ("t\($0)", "model-\($0).safetensors") })
    let absurd = try refusal(index: indexJSON(many))
    print(absurd.message)
    #expect(absurd.message.contains(indexName) && absurd.message.contains("5000 shards")
            && absurd.message.contains("\(SafetensorsIndex.maxShards)"))
    #expect(absurd.shardGets == 0)

    let missing = try refusal(index: indexJSON(["model.norm.weight": "model-00001-of-00002.safetensors",
                                                "lm_head.weight": "model-00003-of-00003.safetensors"]))
    print(missing.message)
    #expect(missing.message.contains(indexName) && missing.message.contains("\"weight_map\"")
            && missing.message.contains("model-00003-of-00003.safetensors") && missing.message.contains("does not list"))
    #expect(missing.shardGets == 0)

    let huge = try refusal(index: indexJSON(["model.norm.weight": "model-00001-of-00002.safetensors"])) { hub in
        hub.tamperSibling(indexName) { $0["size"] = 1 << 30 }
    }
    print(huge.message)
    #expect(huge.message.contains(indexName) && huge.message.contains("\(1 << 30) bytes"))
    #expect(huge.shardGets == 0)
}
