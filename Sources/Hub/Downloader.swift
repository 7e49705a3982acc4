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
//      an answer that breaks, ends short, runs past the bytes asked for (never written) or starts at the wrong byte
//      is retried the same way after an exponential backoff, at most `maxRetries` times per file, then an error
//      names the file and the expected and received sizes;
//   5. the SHA-256 of the whole file must equal `lfs.sha256`, else the partial file is deleted and fetched once more;
//   6. rename(2) the .incomplete onto blobs/<name> (atomic), then symlink snapshots/<commit>/<file> → ../../blobs/<name>.
// Before any of this the repository id and revision are checked, the listing is checked (HubClient, here in
// `choose`), and every path is checked to stay inside its cache folder just before it is written (HubCache).
// Nothing here draws on a terminal: progress is reported as `DownloadEvent`s; LabCLI renders them.

import Foundation
import LabCore
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
    /// The revision resolved to `commit`; `files` will be fetched or linked; `bytesToFetch` are still missing.
    case resolved(repo: String, revision: String, commit: String, files: [HubSibling], bytesToFetch: Int64)
    /// A transfer starts (or resumes at `offset`) of a file of `size` bytes (as listed).
    case fileStarted(file: String, size: Int64, offset: Int64)
    /// `received` bytes of the file are on disk (including those before a resume).
    case progress(file: String, received: Int64, size: Int64)
    /// An answer failed (`reason` says how and when the retry comes) and the file is asked for again, resumed with
    /// Range when possible.
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
    /// How many failed answers per file (a broken connection, a body shorter or longer than asked, a Range answered
    /// from the wrong byte) are retried before the download stops with an error that names the file.
    public var maxRetries: Int
    /// The pause before the first retry; each further retry waits twice as long, up to `maxRetryDelay`.
    public var retryDelay: TimeInterval
    public var maxRetryDelay: TimeInterval = 30
    /// How a pause is taken (tests record the delays instead of sleeping).
    public var pause: @Sendable (TimeInterval) -> Void = { Thread.sleep(forTimeInterval: $0) }
    /// Files larger than this are fetched as consecutive closed ranges of this many bytes (32 MiB).
    public var chunkSize: Int64 = 32 << 20
    /// Free bytes at a folder; statvfs by default (tests inject a small number).
    public var freeSpace: @Sendable (URL) -> Int64?

    public init(client: HubClient, cache: HubCache, maxRetries: Int = 3, retryDelay: TimeInterval = 0.5,
                freeSpace: @escaping @Sendable (URL) -> Int64? = { DiskSpace.available(at: $0) }) {
        self.client = client; self.cache = cache; self.maxRetries = maxRetries; self.retryDelay = retryDelay
        self.freeSpace = freeSpace
    }

    /// The pause before retry number `attempt` (1, 2, …): retryDelay × 2^(attempt−1), at most maxRetryDelay.
    public func backoff(_ attempt: Int) -> TimeInterval {
        min(maxRetryDelay, retryDelay * pow(2, Double(min(max(attempt - 1, 0), 30))))
    }

    /// Downloads `selection` of `repo` at `revision` and returns the snapshot folder.
    ///
    /// - Throws: `HubError` — an unsafe repository id or revision (before any request), unreachable (with the
    ///   offline alternative), not found, access denied, a listing that is not safe to follow, not enough space,
    ///   interrupted or wrong-length bodies after the retries, checksum mismatch after one fresh download.
    @discardableResult
    public func download(repo: String, revision: String = "main", selection: FileSelection = .everything,
                         onEvent: @escaping (DownloadEvent) -> Void = { _ in }) throws -> DownloadResult {
        if let problem = HubCache.repositoryProblem(repo) { throw HubError.invalidRepository(repo: repo, problem: problem) }
        if let problem = HubCache.revisionProblem(revision) {
            throw HubError.invalidRevision(revision: revision, problem: problem)
        }
        let info = try client.repoInfo(repo: repo, revision: revision)
        let (files, fetchedFirst, indexBytes) = try addingShards(of: try choose(selection, from: info, revision: revision),
                                                                 info: info, repo: repo, revision: revision, onEvent: onEvent)

        // What is still to fetch: files whose blob is absent, minus the bytes of their .incomplete.
        var toFetch: Int64 = 0
        var counted = Set<String>()
        for f in files where counted.insert(f.blobName).inserted {
            if FileManager.default.fileExists(atPath: cache.blob(repo, f.blobName).path) { continue }
            toFetch += max(0, f.size - Downloader.fileSize(cache.incompleteBlob(repo, f.blobName)))
        }
        onEvent(.resolved(repo: repo, revision: revision, commit: info.commit, files: files.map(\.sibling),
                          bytesToFetch: toFetch))
        if toFetch > 0, let free = freeSpace(cache.root), free < toFetch {
            throw HubError.insufficientSpace(folder: cache.root.path, needed: toFetch, available: free)
        }

        try cache.writeRef(repo, revision: revision, commit: info.commit)
        var transferred = indexBytes
        for f in files where !fetchedFirst.contains(f.path) {
            transferred += try fetch(f, repo: repo, revision: revision, commit: info.commit, fileRevision: info.fileRevision,
                                     onEvent: onEvent)
        }
        return DownloadResult(repo: repo, revision: revision, commit: info.commit,
                              snapshot: cache.snapshotFolder(repo, commit: info.commit),
                              files: files.map(\.path), bytesTransferred: transferred)
    }

    /// A listed file that passed every check: a safe relative path, a hex blob name, a size.
    struct CheckedFile {
        var sibling: HubSibling
        var blobName: String
        var size: Int64
        var path: String { sibling.path }
    }

    /// The listed files that `selection` asks for, each checked: a relative path that stays in the snapshot and is
    /// not also a folder of another file, a blob name of 40 or 64 hex digits, a listed size.
    func choose(_ selection: FileSelection, from info: HubRepoInfo, revision: String) throws -> [CheckedFile] {
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
        var folders = Set<String>()              // "a/b/c" → "a/b", "a"
        for s in chosen {
            var p = s.path[...]
            while let slash = p.lastIndex(of: "/") { p = p[..<slash]; folders.insert(String(p)) }
        }
        return try chosen.map { s in
            let name = HubError.shown(s.path)
            if let problem = HubCache.filePathProblem(s.path) {
                throw HubError.badResponse(url: url, problem: "unsafe file name \(name) in the listing: \(problem)")
            }
            if folders.contains(s.path) {
                throw HubError.badResponse(url: url, problem: "\(name) is listed both as a file and as a folder")
            }
            guard let blobName = s.blobName else {
                throw HubError.badResponse(url: url, problem: "\(name) has no blobId or lfs.sha256 "
                                           + "(the endpoint ignored ?blobs=true)")
            }
            guard HubCache.isBlobName(blobName), s.lfsSHA256.map({ HubCache.isLowerHex($0, length: 64) }) ?? true else {
                throw HubError.badResponse(url: url, problem: "\(name) has the blob id \(HubError.shown(blobName)); want "
                                           + "40 (git) or 64 (LFS sha256) lowercase hex digits")
            }
            guard let size = s.size else {
                throw HubError.badResponse(url: url, problem: "\(name) has no size in the listing")
            }
            return CheckedFile(sibling: s, blobName: blobName, size: size)
        }
    }

    /// Why one answer for a file's bytes could not be used. Retried up to `maxRetries` times, then an error.
    enum AnswerFault: Error {
        /// The connection failed or broke; `received` bytes of the file were on disk.
        case broken(HubClient.TransportFailure, received: Int64)
        /// The answer ended cleanly before the bytes asked for (an empty body, or a 416 for a resume).
        case short(received: Int64)
        /// The answer carried more than asked for; its bytes (from `answerStart` on) were dropped.
        case oversized(offered: Int64, answerStart: Int64)
        /// A 206 that starts at another byte than the Range asked.
        case wrongRange(asked: Int64, got: String)

        var reason: String {
            switch self {
            case .broken(let failure, let received): return "\(HubClient.explain(failure.error)) at \(received) bytes"
            case .short(let received): return "the answer ended at \(received) bytes"
            case .oversized(let offered, _): return "the answer ran past the listed size (\(offered) bytes)"
            case .wrongRange(let asked, let got):
                return "asked for bytes from \(asked), got Content-Range \(HubError.shown(got))"
            }
        }

        /// The error once the retries are spent.
        func error(file: CheckedFile, url: URL, repo: String, attempts: Int) -> HubError {
            switch self {
            case .broken(let failure, let received):
                return failure.unreachable(repo: repo) ?? .interrupted(file: file.path, received: received,
                                                                       expected: file.size, reason: reason)
            case .short(let received):
                return .wrongLength(file: file.path, source: HubClient.origin(url), expected: file.size,
                                    received: received, attempts: attempts)
            case .oversized(let offered, _):
                return .wrongLength(file: file.path, source: HubClient.origin(url), expected: file.size,
                                    received: offered, attempts: attempts)
            case .wrongRange:
                return .badResponse(url: url.absoluteString, problem: "\(reason) (gave up after \(attempts) attempts)")
            }
        }
    }

    /// Fetches (or links) one file; returns the bytes transferred.
    func fetch(_ file: CheckedFile, repo: String, revision: String, commit: String, fileRevision: String,
               onEvent: @escaping (DownloadEvent) -> Void) throws -> Int64 {
        let size = file.size
        let blob = cache.blob(repo, file.blobName)
        let partial = cache.incompleteBlob(repo, file.blobName)
        let lockURL = cache.lockFile(repo, file.blobName)
        try HubCache.ensureInside(blob, cache.blobsFolder(repo))
        try HubCache.ensureInside(partial, cache.blobsFolder(repo))
        try HubCache.ensureInside(lockURL, cache.locksFolder)
        if FileManager.default.fileExists(atPath: blob.path) {
            try cache.linkSnapshot(repo, commit: commit, file: file.path, blobName: file.blobName)
            onEvent(.fileDone(file: file.path, size: Downloader.fileSize(blob), verified: false, fromCache: true))
            return 0
        }
        try HubCache.createFolder(blob.deletingLastPathComponent())
        // One writer per blob, across processes and tools: the same flock(2) on the same lock file huggingface_hub's
        // `filelock` takes. The other writer may be fetching gigabytes, so the wait is bounded by a day, not seconds.
        let lock: FileLock
        do { lock = try FileLock(lockURL, timeout: 86_400) } catch let problem as FileSystemProblem {
            throw HubError.fileSystem(path: problem.path, reason: problem.found)
        }
        defer { lock.release() }
        if FileManager.default.fileExists(atPath: blob.path) {   // another process finished it while we waited
            try cache.linkSnapshot(repo, commit: commit, file: file.path, blobName: file.blobName)
            onEvent(.fileDone(file: file.path, size: Downloader.fileSize(blob), verified: false, fromCache: true))
            return 0
        }
        let expectedSHA256 = file.sibling.lfsSHA256
        let url = client.resolveURL(repo: repo, revision: fileRevision, file: file.path)
        var faults = 0
        var checksumFailures = 0
        var transferred: Int64 = 0

        while true {
            var offset = Downloader.fileSize(partial)
            if offset > size { try? FileManager.default.removeItem(at: partial); offset = 0 }
            if !FileManager.default.fileExists(atPath: partial.path) {
                guard FileManager.default.createFile(atPath: partial.path, contents: nil) else {
                    throw HubError.fileSystem(path: partial.path, reason: "cannot create the file")
                }
            }
            // The hash covers the whole file: bytes already on disk first, then the new ones as they arrive.
            var hasher = LibcryptoSHA256()
            if expectedSHA256 != nil && offset > 0 {
                do { try hasher.update(contentsOf: partial, length: UInt64(offset)) } catch {
                    throw HubError.fileSystem(path: partial.path, reason: error.localizedDescription)
                }
            }
            let handle: FileHandle
            do { handle = try FileHandle(forWritingTo: partial); try handle.seek(toOffset: UInt64(offset)) } catch {
                throw HubError.fileSystem(path: partial.path, reason: error.localizedDescription)
            }
            onEvent(.fileStarted(file: file.path, size: size, offset: offset))
            var written = offset
            var fault: AnswerFault?
            do {
                // One request to the end of the file, or, for files larger than `chunkSize`, one closed range
                // after another, so a fast link never queues more than a chunk in memory (URLSession on Linux
                // delivers bytes without back-pressure) and every chunk boundary is a resume point. Every answer
                // must carry exactly the bytes asked for: no byte past them is written.
                while written < size {
                    let start = written
                    let last: Int64? = size > chunkSize ? min(size, start + chunkSize) - 1 : nil
                    var answerStart = start                    // where this answer's bytes go in the file
                    var answerEnd = (last ?? size - 1) + 1     // one past the last byte it may carry
                    _ = try client.perform(url: url, range: start > 0 || last != nil ? (start, last) : nil, repo: repo,
                        onResponse: { [client] r in
                            switch r.status {
                            case 206:
                                // "bytes 1000-2999/3000": the server must continue exactly where the file ends.
                                let header = r.headers["content-range"]
                                guard header.flatMap(Downloader.rangeStart) == start else {
                                    throw AnswerFault.wrongRange(asked: start, got: header ?? "none")
                                }
                            case 200:                     // the whole file, whatever was asked
                                answerStart = 0
                                answerEnd = size
                                if start > 0 {            // the server ignored Range: start again from byte 0
                                    try handle.truncate(atOffset: 0)
                                    hasher = LibcryptoSHA256()
                                    written = 0
                                }
                            case 416 where start > 0:     // the server has no byte `start`: its copy is shorter
                                throw AnswerFault.short(received: start)
                            default:
                                throw client.classify(status: r.status, headers: r.headers, repo: repo,
                                                      revision: revision, file: file.path, url: url)
                            }
                        },
                        onData: { chunk in
                            let offered = written + Int64(chunk.count)
                            guard offered <= answerEnd else {
                                throw AnswerFault.oversized(offered: offered, answerStart: answerStart)
                            }
                            handle.write(chunk)
                            if expectedSHA256 != nil { hasher.update(chunk) }
                            written = offered
                            transferred += Int64(chunk.count)
                            onEvent(.progress(file: file.path, received: written, size: size))
                        })
                    if written < answerEnd { throw AnswerFault.short(received: written) }
                }
            } catch let f as AnswerFault {
                fault = f
            } catch let failure as HubClient.TransportFailure {
                fault = .broken(failure, received: written)
            } catch {
                try? handle.close()
                throw error
            }
            try? handle.close()

            if let fault {
                // Bytes of an answer that ran long cannot be trusted: the file goes back to where it began.
                if case .oversized(_, let answerStart) = fault {
                    do {
                        let h = try FileHandle(forWritingTo: partial)
                        defer { try? h.close() }
                        try h.truncate(atOffset: UInt64(answerStart))
                    } catch {
                        throw HubError.fileSystem(path: partial.path, reason: error.localizedDescription)
                    }
                }
                faults += 1
                if faults > maxRetries { throw fault.error(file: file, url: url, repo: client.messageRepo(repo), attempts: faults) }
                let delay = backoff(faults)
                onEvent(.fileRetrying(file: file.path, reason: "\(fault.reason); retry \(faults) of \(maxRetries) "
                                      + "in " + String(format: "%g", delay) + " s"))
                pause(delay)
                continue
            }
            if let expected = expectedSHA256 {
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
            do { try syncToDisk(partial.path, purpose: Learner.text("the download", "下载的文件")) } catch {
                throw HubError.fileSystem(path: partial.path, reason: fileSystemReason(error))
            }
            guard rename(partial.path, blob.path) == 0 else {
                throw HubError.fileSystem(path: blob.path, reason: String(cString: strerror(errno)))
            }
            try cache.linkSnapshot(repo, commit: commit, file: file.path, blobName: file.blobName)
            onEvent(.fileDone(file: file.path, size: written, verified: expectedSHA256 != nil, fromCache: false))
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
