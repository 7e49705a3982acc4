// Downloader — `lmlab download`: fetch a repository's files from the Hub into the shared Hugging Face cache,
// resuming broken transfers and checking every large file against its SHA-256.
//
// For each file, in the order huggingface_hub follows (file_download.py, hf_hub_download):
//   1. list the repository at the revision (`?blobs=true`): the commit, and per file its size and LFS sha256;
//   2. write refs/<revision> = commit; check the free disk against what is still to fetch (statvfs);
//   3. a blob already in blobs/ is only linked into snapshots/<commit>/ (shared across revisions);
//   4. otherwise GET …/resolve/<commit>/<file> into blobs/<name>.incomplete, with `Range: bytes=N-` when N bytes
//      are already there (206 → append; 200 → the server ignored the range, start over); files over 32 MiB are
//      asked for in 32 MiB closed ranges (`bytes=N-M`), which bounds memory on fast links;
//      a connection that breaks mid-file is resumed the same way, up to `maxRetries` times;
//   5. the SHA-256 of the whole file must equal `lfs.sha256`, else the partial file is deleted and fetched once more;
//   6. rename(2) the .incomplete onto blobs/<name> (atomic), then symlink snapshots/<commit>/<file> → ../../blobs/<name>.
// Nothing here draws on a terminal: progress is reported as `DownloadEvent`s; LabCLI renders them.

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What to take from a repository.
public struct FileSelection: Sendable, Equatable {
    /// Files that must exist at the revision (an error names the first one missing). Nil: every listed file.
    public var required: [String]?
    /// Files taken when the repository has them, skipped silently otherwise.
    public var optional: [String]

    public init(required: [String]?, optional: [String] = []) { self.required = required; self.optional = optional }

    /// Every file of the repository.
    public static let everything = FileSelection(required: nil)
}

/// Progress of a download, in the order it happens.
public enum DownloadEvent: Sendable, Equatable {
    /// The revision resolved to `commit`; `files` will be fetched or linked; `bytesToFetch` are still missing
    /// (nil when the listing gave no sizes).
    case resolved(repo: String, revision: String, commit: String, files: [HubSibling], bytesToFetch: Int64?)
    /// A transfer starts (or resumes at `offset`).
    case fileStarted(file: String, size: Int64?, offset: Int64)
    /// `received` bytes of the file are on disk (including those before a resume).
    case progress(file: String, received: Int64, size: Int64?)
    /// The transfer failed and starts again (resumed with Range when possible).
    case fileRetrying(file: String, reason: String)
    /// The file is in place. `fromCache`: its blob was already there.
    case fileDone(file: String, size: Int64, verified: Bool, fromCache: Bool)
}

/// Where a finished download is.
public struct DownloadResult: Sendable, Equatable {
    public var repo: String
    public var revision: String
    public var commit: String
    /// `snapshots/<commit>/`: the model folder, usable as `--model PATH`.
    public var snapshot: URL
    public var files: [String]
    /// Bytes transferred over the network by this run.
    public var bytesTransferred: Int64
}

/// Downloads repositories into a `HubCache`.
public final class Downloader: @unchecked Sendable {
    public let client: HubClient
    public let cache: HubCache
    /// How many times a broken connection is resumed per file before giving up with `HubError.interrupted`.
    public var maxRetries: Int
    /// Pause before a resume, × the attempt number.
    public var retryDelay: TimeInterval
    /// Files larger than this are fetched as consecutive closed ranges of this many bytes (32 MiB).
    public var chunkSize: Int64 = 32 << 20
    /// Free bytes at a folder; statvfs by default (tests inject a small number).
    public var freeSpace: @Sendable (URL) -> Int64?

    public init(client: HubClient, cache: HubCache, maxRetries: Int = 3, retryDelay: TimeInterval = 0.5,
                freeSpace: @escaping @Sendable (URL) -> Int64? = { DiskSpace.available(at: $0) }) {
        self.client = client; self.cache = cache; self.maxRetries = maxRetries; self.retryDelay = retryDelay
        self.freeSpace = freeSpace
    }

    /// Downloads `selection` of `repo` at `revision` and returns the snapshot folder.
    ///
    /// - Throws: `HubError` — unreachable (with the offline alternative), not found, access denied, not enough
    ///   space, interrupted after the retries, checksum mismatch after one fresh download.
    @discardableResult
    public func download(repo: String, revision: String = "main", selection: FileSelection = .everything,
                         onEvent: @escaping (DownloadEvent) -> Void = { _ in }) throws -> DownloadResult {
        let info = try client.repoInfo(repo: repo, revision: revision)
        let files = try choose(selection, from: info, revision: revision)

        // What is still to fetch: files whose blob is absent, minus the bytes of their .incomplete.
        var toFetch: Int64 = 0
        var sizesKnown = true
        var counted = Set<String>()
        for f in files {
            guard let name = f.blobName, counted.insert(name).inserted else { continue }
            if FileManager.default.fileExists(atPath: cache.blob(repo, name).path) { continue }
            guard let size = f.size else { sizesKnown = false; continue }
            toFetch += max(0, size - Downloader.fileSize(cache.incompleteBlob(repo, name)))
        }
        onEvent(.resolved(repo: repo, revision: revision, commit: info.commit, files: files,
                          bytesToFetch: sizesKnown ? toFetch : nil))
        if toFetch > 0, let free = freeSpace(cache.root), free < toFetch {
            throw HubError.insufficientSpace(folder: cache.root.path, needed: toFetch, available: free)
        }

        try cache.writeRef(repo, revision: revision, commit: info.commit)
        var transferred: Int64 = 0
        for f in files {
            transferred += try fetch(f, repo: repo, revision: revision, commit: info.commit, onEvent: onEvent)
        }
        return DownloadResult(repo: repo, revision: revision, commit: info.commit,
                              snapshot: cache.snapshotFolder(repo, commit: info.commit),
                              files: files.map(\.path), bytesTransferred: transferred)
    }

    /// The listed files that `selection` asks for, checked to be safe relative paths with a blob name.
    func choose(_ selection: FileSelection, from info: HubRepoInfo, revision: String) throws -> [HubSibling] {
        let byPath = Dictionary(info.siblings.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
        var chosen: [HubSibling] = []
        if let required = selection.required {
            for path in required {
                guard let s = byPath[path] else {
                    throw HubError.fileNotFound(repo: info.repo, revision: revision, file: path)
                }
                chosen.append(s)
            }
            for path in selection.optional where !required.contains(path) {
                if let s = byPath[path] { chosen.append(s) }
            }
        } else {
            chosen = info.siblings
        }
        let url = client.infoURL(repo: info.repo, revision: revision).absoluteString
        for s in chosen {
            let parts = s.path.split(separator: "/", omittingEmptySubsequences: false)
            if s.path.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
                throw HubError.badResponse(url: url, problem: "unsafe file name \"\(s.path)\" in the listing")
            }
            guard let name = s.blobName, !name.isEmpty, !name.contains("/"), !name.contains("..") else {
                throw HubError.badResponse(url: url, problem: "\(s.path) has no blobId or lfs.sha256 "
                                           + "(the endpoint ignored ?blobs=true)")
            }
        }
        return chosen
    }

    /// Fetches (or links) one file; returns the bytes transferred.
    func fetch(_ file: HubSibling, repo: String, revision: String, commit: String,
               onEvent: @escaping (DownloadEvent) -> Void) throws -> Int64 {
        let name = file.blobName!
        let blob = cache.blob(repo, name)
        if FileManager.default.fileExists(atPath: blob.path) {
            try cache.linkSnapshot(repo, commit: commit, file: file.path, blobName: name)
            onEvent(.fileDone(file: file.path, size: Downloader.fileSize(blob), verified: false, fromCache: true))
            return 0
        }
        try HubCache.createFolder(blob.deletingLastPathComponent())
        // One writer per blob, across processes and tools: the same lock file huggingface_hub takes.
        let lock = try BlobLock(cache.lockFile(repo, name))
        defer { lock.release() }
        if FileManager.default.fileExists(atPath: blob.path) {   // another process finished it while we waited
            try cache.linkSnapshot(repo, commit: commit, file: file.path, blobName: name)
            onEvent(.fileDone(file: file.path, size: Downloader.fileSize(blob), verified: false, fromCache: true))
            return 0
        }
        let partial = cache.incompleteBlob(repo, name)
        let url = client.resolveURL(repo: repo, revision: commit, file: file.path)
        var breaks = 0
        var checksumFailures = 0
        var transferred: Int64 = 0

        while true {
            var offset = Downloader.fileSize(partial)
            if let size = file.size, offset > size { try? FileManager.default.removeItem(at: partial); offset = 0 }
            if !FileManager.default.fileExists(atPath: partial.path) {
                guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                    throw HubError.fileSystem(path: partial.path, reason: "cannot create the file")
                }
            }
            // The hash covers the whole file: bytes already on disk first, then the new ones as they arrive.
            var hasher = SHA256()
            if file.lfsSHA256 != nil && offset > 0 {
                do { try hasher.update(contentsOf: partial, length: UInt64(offset)) } catch {
                    throw HubError.fileSystem(path: partial.path, reason: error.localizedDescription)
                }
            }
            let handle: FileHandle
            do { handle = try FileHandle(forWritingTo: partial); try handle.seek(toOffset: UInt64(offset)) } catch {
                throw HubError.fileSystem(path: partial.path, reason: error.localizedDescription)
            }
            onEvent(.fileStarted(file: file.path, size: file.size, offset: offset))
            var written = offset
            do {
                // One request to the end of the file, or, for files larger than `chunkSize`, one closed range
                // after another, so a fast link never queues more than a chunk in memory (URLSession on Linux
                // delivers bytes without back-pressure) and every chunk boundary is a resume point.
                while true {
                    if let size = file.size, written >= size { break }
                    let start = written
                    let last: Int64? = file.size.flatMap { size in size > chunkSize ? min(size, start + chunkSize) - 1 : nil }
                    let response = try client.perform(url: url, range: start > 0 || last != nil ? (start, last) : nil, repo: repo,
                        onResponse: { [client] r in
                            switch r.status {
                            case 206:
                                // "bytes 1000-2999/3000": the server must continue exactly where the file ends.
                                let first = r.headers["content-range"].flatMap(Downloader.rangeStart)
                                guard first == start else {
                                    throw HubError.badResponse(url: url.absoluteString, problem: "asked for bytes from "
                                        + "\(start), got Content-Range \(r.headers["content-range"] ?? "none")")
                                }
                            case 200:
                                if start > 0 {        // the server ignored Range: start again from byte 0
                                    try handle.truncate(atOffset: 0)
                                    hasher = SHA256()
                                    written = 0
                                }
                            default:
                                throw client.classify(status: r.status, headers: r.headers, repo: repo,
                                                      revision: revision, file: file.path, url: url)
                            }
                        },
                        onData: { chunk in
                            handle.write(chunk)
                            if file.lfsSHA256 != nil { hasher.update(chunk) }
                            written += Int64(chunk.count)
                            transferred += Int64(chunk.count)
                            onEvent(.progress(file: file.path, received: written, size: file.size))
                        })
                    // A 200 carries the whole file; a size-less file comes in one answer; a short 206 is a break.
                    if response.status == 200 || file.size == nil { break }
                    if let last, written < last + 1 { break }
                }
                try? handle.close()
            } catch let failure as HubClient.TransportFailure {
                try? handle.close()
                breaks += 1
                let reason = HubClient.explain(failure.error)
                if breaks > maxRetries {
                    throw failure.unreachable(repo: repo)
                        ?? HubError.interrupted(file: file.path, received: written, expected: file.size, reason: reason)
                }
                onEvent(.fileRetrying(file: file.path, reason: "\(reason) at \(written) bytes; resuming"))
                Thread.sleep(forTimeInterval: retryDelay * Double(breaks))
                continue
            } catch {
                try? handle.close()
                throw error
            }

            // A clean end before the listed size is a broken transfer too.
            if let size = file.size, written < size {
                breaks += 1
                if breaks > maxRetries {
                    throw HubError.interrupted(file: file.path, received: written, expected: size,
                                               reason: "the server ended the answer early")
                }
                onEvent(.fileRetrying(file: file.path, reason: "the answer ended at \(written) bytes; resuming"))
                continue
            }
            if let size = file.size, written > size {
                try? FileManager.default.removeItem(at: partial)
                throw HubError.sizeMismatch(file: file.path, expected: size, actual: written)
            }
            if let expected = file.lfsSHA256?.lowercased() {
                let actual = hasher.finalizeHex()
                if actual != expected {
                    try? FileManager.default.removeItem(at: partial)
                    checksumFailures += 1
                    if checksumFailures >= 2 {
                        throw HubError.checksumMismatch(file: file.path, expected: expected, actual: actual)
                    }
                    onEvent(.fileRetrying(file: file.path, reason: "SHA-256 \(actual.prefix(12))… ≠ expected "
                                          + "\(expected.prefix(12))…; downloading again"))
                    continue
                }
            }
            guard rename(partial.path, blob.path) == 0 else {
                throw HubError.fileSystem(path: blob.path, reason: String(cString: strerror(errno)))
            }
            try cache.linkSnapshot(repo, commit: commit, file: file.path, blobName: name)
            onEvent(.fileDone(file: file.path, size: written, verified: file.lfsSHA256 != nil, fromCache: false))
            return transferred
        }
    }

    /// The first byte of a Content-Range "bytes a-b/total".
    static func rangeStart(_ header: String) -> Int64? {
        let trimmed = header.trimmingCharacters(in: .whitespaces)
        guard trimmed.lowercased().hasPrefix("bytes ") else { return nil }
        let spec = trimmed.dropFirst(6)
        guard let dash = spec.firstIndex(of: "-") else { return nil }
        return Int64(spec[spec.startIndex..<dash].trimmingCharacters(in: .whitespaces))
    }

    /// Size of a file in bytes, 0 when it does not exist.
    static func fileSize(_ url: URL) -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}

/// An exclusive flock(2) on `.locks/models--ORG--NAME/<blob>.lock`, held while one blob is written. huggingface_hub's
/// `filelock` takes the same lock on the same path, so lmlab and Python tools never write one blob at once.
final class BlobLock {
    private var fd: Int32

    /// Blocks until the lock is free.
    ///
    /// - Throws: `HubError.fileSystem` when the lock file cannot be created.
    init(_ url: URL) throws {
        try HubCache.createFolder(url.deletingLastPathComponent())
        fd = open(url.path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw HubError.fileSystem(path: url.path, reason: String(cString: strerror(errno))) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let reason = String(cString: strerror(errno))
            close(fd)
            throw HubError.fileSystem(path: url.path, reason: reason)
        }
    }

    func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
