// HubCache — the Hugging Face cache layout, written exactly as huggingface_hub writes it, so transformers,
// huggingface-cli and lmlab share one copy of every file.
//
//   <cache>/models--baidu--ERNIE-4.5-0.3B-PT/
//     blobs/<sha256 for LFS files, git blob sha1 for the others>      the bytes, once
//     blobs/<same>.incomplete                                         a download in progress (resumed with Range)
//     snapshots/<commit>/<file>  → ../../blobs/<…>                    relative symlinks, one folder per commit
//     refs/main                                                       the commit hash "main" pointed to
//
// <cache> is $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE (its old name), else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub (huggingface_hub's constants.py).
// Blob names are the file's ETag on the Hub: the LFS object id (SHA-256) for large files, the git blob id
// otherwise; the API listing with `?blobs=true` gives both, so the name is known before the first byte.
//
// The names in these paths come from strangers; HubPaths.swift checks them before they are used here.

import Foundation
import LabCore
import ModelFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One Hugging Face cache folder (the `hub/` directory) and the paths inside it.
public struct HubCache: Sendable {
    /// The cache root: the folder that holds the `models--ORG--NAME` folders.
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The cache that huggingface_hub would use with this environment.
    public init(environment: [String: String] = LabEnvironment.current) {
        self.init(root: HubCache.defaultRoot(environment: environment))
    }

    /// `$HF_HUB_CACHE` › `$HUGGINGFACE_HUB_CACHE` › `$HF_HOME/hub` › `$XDG_CACHE_HOME/huggingface/hub` ›
    /// `~/.cache/huggingface/hub`; a leading `~` is expanded as huggingface_hub does: ModelLocator's `hubCache`, so
    /// `--model NAME` looks where `lmlab download` writes.
    public static func defaultRoot(environment: [String: String]) -> URL {
        ModelLocator.hubCache(environment: environment, home: UserHome.path(environment: environment)).url
    }

    /// "baidu/ERNIE-4.5-0.3B-PT" → "models--baidu--ERNIE-4.5-0.3B-PT" (huggingface_hub's `repo_folder_name`).
    public static func repoFolderName(_ repo: String) -> String {
        "models--" + repo.split(separator: "/", omittingEmptySubsequences: false).joined(separator: "--")
    }

    public func repoFolder(_ repo: String) -> URL {
        root.appendingPathComponent(HubCache.repoFolderName(repo), isDirectory: true)
    }

    public func blob(_ repo: String, _ blobName: String) -> URL {
        repoFolder(repo).appendingPathComponent("blobs/\(blobName)")
    }

    /// `blobs/`, `snapshots/`, `refs/` of a repository: the folders its files must stay inside.
    public func blobsFolder(_ repo: String) -> URL { repoFolder(repo).appendingPathComponent("blobs", isDirectory: true) }
    public func snapshotsFolder(_ repo: String) -> URL {
        repoFolder(repo).appendingPathComponent("snapshots", isDirectory: true)
    }
    public func refsFolder(_ repo: String) -> URL { repoFolder(repo).appendingPathComponent("refs", isDirectory: true) }
    /// `<cache>/.locks/`.
    public var locksFolder: URL { root.appendingPathComponent(".locks", isDirectory: true) }

    /// The partial download of a blob: `blobs/<name>.incomplete`, as huggingface_hub names it.
    public func incompleteBlob(_ repo: String, _ blobName: String) -> URL {
        repoFolder(repo).appendingPathComponent("blobs/\(blobName).incomplete")
    }

    /// `<cache>/.locks/models--ORG--NAME/<blob>.lock`, the lock huggingface_hub holds while it writes a blob.
    public func lockFile(_ repo: String, _ blobName: String) -> URL {
        root.appendingPathComponent(".locks/\(HubCache.repoFolderName(repo))/\(blobName).lock")
    }

    public func snapshotFolder(_ repo: String, commit: String) -> URL {
        repoFolder(repo).appendingPathComponent("snapshots/\(commit)", isDirectory: true)
    }

    /// `refs/<revision>`; a revision with slashes ("refs/pr/1") becomes nested folders, as in huggingface_hub.
    public func refFile(_ repo: String, revision: String) -> URL {
        repoFolder(repo).appendingPathComponent("refs/\(revision)")
    }

    /// The commit a branch or tag points to in this cache, or the revision itself when it is a commit hash
    /// whose snapshot folder exists. Nil when the cache has never seen that revision.
    /// A revision that is not a ref name, or a ref file that does not hold a commit hash, is not seen.
    public func commit(_ repo: String, revision: String) -> String? {
        if HubCache.isCommitHash(revision),
           FileManager.default.fileExists(atPath: snapshotFolder(repo, commit: revision).path) {
            return revision
        }
        guard HubCache.revisionProblem(revision) == nil,
              let text = try? String(contentsOf: refFile(repo, revision: revision), encoding: .utf8) else { return nil }
        let hash = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return HubCache.isCommitHash(hash) ? hash : nil
    }

    /// The snapshot folder for a revision, when the cache has one.
    public func snapshot(_ repo: String, revision: String) -> URL? {
        guard let commit = commit(repo, revision: revision) else { return nil }
        let folder = snapshotFolder(repo, commit: commit)
        return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
    }

    /// True for a full 40-digit lowercase hex git commit id.
    public static func isCommitHash(_ s: String) -> Bool { isLowerHex(s, length: 40) }

    /// True for a blob name the Hub gives: a git blob id (40 hex digits) or an LFS sha256 (64).
    public static func isBlobName(_ s: String) -> Bool { isLowerHex(s, length: 40) || isLowerHex(s, length: 64) }

    static func isLowerHex(_ s: String, length: Int) -> Bool {
        s.utf8.count == length && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    // MARK: Writing

    /// Records that `revision` points to `commit` (huggingface_hub writes no ref when the revision is the commit).
    ///
    /// - Throws: `HubError.invalidRevision` for a name that is not a ref, `HubError.outsideCache`,
    ///   `HubError.fileSystem`.
    public func writeRef(_ repo: String, revision: String, commit: String) throws {
        guard revision != commit else { return }
        if let problem = HubCache.revisionProblem(revision) {
            throw HubError.invalidRevision(revision: revision, problem: problem)
        }
        let file = refFile(repo, revision: revision)
        try HubCache.ensureInside(file, refsFolder(repo))
        if (try? String(contentsOf: file, encoding: .utf8)) == commit { return }
        try HubCache.createFolder(file.deletingLastPathComponent())
        do { try Data(commit.utf8).write(to: file, options: .atomic) } catch {
            throw HubError.fileSystem(path: file.path, reason: error.localizedDescription)
        }
    }

    /// Points `snapshots/<commit>/<file>` at `blobs/<blobName>` with a relative symlink
    /// (`../../blobs/<name>`, one more `../` per folder level in `file`), replacing what was there.
    ///
    /// Only a link or a file is replaced, never a folder. The commit, file name and blob name are checked first,
    /// and the link's target is checked to resolve into `blobs/`.
    ///
    /// - Throws: `HubError.fileSystem`, `HubError.outsideCache`.
    public func linkSnapshot(_ repo: String, commit: String, file: String, blobName: String) throws {
        let snapshot = snapshotFolder(repo, commit: commit)
        let pointer = snapshot.appendingPathComponent(file)
        let reason = !HubCache.isCommitHash(commit) ? "the commit is not 40 hex digits"
            : HubCache.filePathProblem(file).map { "the file name: \($0)" }
            ?? (!HubCache.isBlobName(blobName) ? "the blob name is not 40 or 64 hex digits" : nil)
        if let reason { throw HubError.outsideCache(path: pointer.path, folder: snapshotsFolder(repo).path, reason: reason) }
        let depth = file.split(separator: "/").count - 1          // folders inside the snapshot
        let target = String(repeating: "../", count: depth + 2) + "blobs/" + blobName
        try HubCache.ensureInside(pointer, snapshot)
        try HubCache.ensureInside(pointer, snapshotsFolder(repo))      // no link on the way, <commit>/ included
        try HubCache.ensureInside(pointer.deletingLastPathComponent().appendingPathComponent(target), blobsFolder(repo))
        try HubCache.createFolder(pointer.deletingLastPathComponent())
        let fm = FileManager.default
        if (try? fm.destinationOfSymbolicLink(atPath: pointer.path)) == target { return }
        var info = stat()
        if lstat(pointer.path, &info) == 0 {
            guard info.st_mode & S_IFMT != S_IFDIR else {
                throw HubError.fileSystem(path: pointer.path, reason: "a folder is in the way of the file's link")
            }
            try? fm.removeItem(at: pointer)
        }
        do { try fm.createSymbolicLink(atPath: pointer.path, withDestinationPath: target) } catch {
            throw HubError.fileSystem(path: pointer.path, reason: error.localizedDescription)
        }
    }

    static func createFolder(_ url: URL) throws {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw HubError.fileSystem(path: url.path, reason: error.localizedDescription)
        }
    }
}
