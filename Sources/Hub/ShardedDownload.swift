// ShardedDownload — `lmlab download` of a checkpoint split into shards: the listing names
// `model.safetensors.index.json`, and only its `weight_map` says which `model-0000k-of-0000n.safetensors` files hold
// the weights (ERNIE-4.5-21B-A3B: about 43.7 GB of them). So the index is fetched first, like any file (resumable,
// SHA-256 checked), read, and every shard it names is added to the files to fetch.
//
// The index comes from the same stranger as the listing, so it is read as hostile (ModelFiles' SafetensorsIndex):
// at most `maxIndexBytes` of JSON, each shard a plain file name (no "/", "..": it cannot reach outside the
// snapshot), at most SafetensorsIndex.maxShards different shards, each named once however many tensors it holds,
// and each one listed by the repository with a size and a hash — a shard the listing lacks is an error naming the
// index and the shard, before anything large is fetched. The shards' sizes are the listing's (each ≤ 1 TiB) and
// together must fit the free disk (Downloader.download's check runs after this).

import Foundation
import ModelFiles

extension Downloader {
    /// The largest index accepted, as listed and as fetched: 16 MiB (an index lists one line per tensor: tens of thousands of lines are about 1 MB).
    public static let maxIndexBytes: Int64 = 16 << 20

    /// `files` plus every shard named by the indexes among them. Each index is fetched now (its events are reported
    /// before `.resolved`); `fetched` holds their paths and `transferred` the bytes it took.
    ///
    /// - Throws: `HubError.badIndex` naming the index and its field (too large, not an index, an unsafe or absurd
    ///   shard list, a shard the repository does not list); the fetch's own errors.
    func addingShards(of files: [CheckedFile], info: HubRepoInfo, repo: String, revision: String,
                      onEvent: @escaping (DownloadEvent) -> Void)
        throws -> (files: [CheckedFile], fetched: Set<String>, transferred: Int64) {
        var out = files
        var fetched = Set<String>()
        var transferred: Int64 = 0
        for index in files where (index.path as NSString).lastPathComponent == ShardedSafetensors.indexFileName {
            guard index.size <= Self.maxIndexBytes else {
                throw HubError.badIndex(file: index.path, problem: "the listing gives it \(index.size) bytes, more than "
                                        + "the \(Self.maxIndexBytes) an index may have")
            }
            transferred += try fetch(index, repo: repo, revision: revision, commit: info.commit,
                                     fileRevision: info.fileRevision, onEvent: onEvent)
            fetched.insert(index.path)
            let parsed: SafetensorsIndex
            do {
                let data = try Data(contentsOf: cache.blob(repo, index.blobName))
                parsed = try SafetensorsIndex(data: data, file: index.path)
            } catch SafetensorsError.badIndex(_, let reason) {
                throw HubError.badIndex(file: index.path, problem: reason)
            } catch {
                throw HubError.fileSystem(path: cache.blob(repo, index.blobName).path, reason: error.localizedDescription)
            }
            // Shards live beside their index: "sub/model.safetensors.index.json" names "sub/model-…".
            let folder = (index.path as NSString).deletingLastPathComponent
            let listed = Set(info.siblings.map(\.path))
            let paths = parsed.shardNames.map { folder.isEmpty ? $0 : folder + "/" + $0 }
            if let missing = paths.first(where: { !listed.contains($0) }) {
                throw HubError.badIndex(file: index.path, problem: "\"weight_map\" names the shard "
                                        + "\(HubError.shown(missing)), which \(repo) at \(revision) does not list")
            }
            let have = Set(out.map(\.path))
            out += try choose(FileSelection(required: paths.filter { !have.contains($0) }), from: info, revision: revision)
        }
        return (out, fetched, transferred)
    }
}
