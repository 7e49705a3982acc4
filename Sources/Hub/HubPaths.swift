// HubPaths — which names from strangers may become paths in the Hugging Face cache, and the last check on every
// path before it is written, deleted or linked.
//
// The commit, the file names and the blob ids come from the server's listing; the revision from the command line or
// a catalog; the repository id from either. Each is checked for its own form first (a commit is 40 hex digits, a
// blob id 40 or 64, a revision a git ref name, a file name a relative path without `..`), and every path the
// downloader builds is checked once more, just before use, to stay inside its folder of the cache (`ensureInside`):
// no `..` that climbs out, no symbolic link on the way. (Issue #17: a listing whose "sha" was "../../../victim"
// deleted a file outside the cache; `--revision ../../file` overwrote one.)

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension HubCache {
    /// Why `revision` is not a ref name that stays inside `refs/`, or nil when it is. git check-ref-format's rules:
    /// slash-separated parts, none empty, none starting with "." or ending in ".lock"; no "..", no "@{", no control
    /// characters, space, ~ ^ : ? * [ or \; not ending in "." or "/"; not "@". At most 255 bytes.
    public static func revisionProblem(_ revision: String) -> String? {
        if revision.isEmpty { return "it is empty" }
        if revision.utf8.count > 255 { return "it is \(revision.utf8.count) bytes long (at most 255)" }
        if revision.hasPrefix("/") { return "it is an absolute path" }
        if let bad = revision.unicodeScalars.first(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "it contains the control character U+\(String(format: "%04X", bad.value))"
        }
        if let bad = revision.first(where: { " ~^:?*[\\".contains($0) }) { return "it contains \"\(bad)\"" }
        if revision.contains("..") { return "it contains \"..\"" }
        if revision.contains("@{") || revision == "@" { return "it uses git's @ syntax" }
        if revision.hasSuffix("/") || revision.contains("//") { return "it has an empty part between slashes" }
        if revision.hasSuffix(".") { return "it ends in \".\"" }
        for part in revision.split(separator: "/") {
            if part.hasPrefix(".") { return "its part \"\(part)\" starts with \".\"" }
            if part.hasSuffix(".lock") { return "its part \"\(part)\" ends in \".lock\"" }
        }
        return nil
    }

    /// Why `repo` is not a Hub repository id (ORG/NAME or NAME of letters, digits, "-", "_", "."; no "--" or "..",
    /// no part starting or ending with "-" or "."; at most 96 characters per part), or nil when it is.
    public static func repositoryProblem(_ repo: String) -> String? {
        let parts = repo.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return "it has \(parts.count) parts; want ORG/NAME" }
        for part in parts {
            if part.isEmpty { return "it has an empty part" }
            if part.count > 96 { return "a part is \(part.count) characters long (at most 96)" }
            if !part.unicodeScalars.allSatisfy({ $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }) {
                return "\"\(part)\" has characters other than letters, digits, '-', '_' and '.'"
            }
            if part.contains("--") || part.contains("..") { return "\"\(part)\" contains \"--\" or \"..\"" }
            if part.hasPrefix("-") || part.hasPrefix(".") || part.hasSuffix("-") || part.hasSuffix(".") {
                return "\"\(part)\" starts or ends with '-' or '.'"
            }
        }
        return nil
    }

    /// Why a file name from a listing is not a safe relative path inside a snapshot, or nil when it is:
    /// no leading "/", no empty, "." or ".." part, no control characters or backslash, at most 1024 bytes.
    public static func filePathProblem(_ path: String) -> String? {
        if path.isEmpty { return "it is empty" }
        if path.utf8.count > 1024 { return "it is \(path.utf8.count) bytes long (at most 1024)" }
        if path.hasPrefix("/") { return "it is an absolute path" }
        if path.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F || $0 == "\\" }) {
            return "it contains a control character or a backslash"
        }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) { return "it has an empty, \".\" or \"..\" part" }
        return nil
    }

    /// Throws unless `url` lies strictly inside `folder`, both read lexically ("a/../b" is "b"), and no existing
    /// folder between them is a symbolic link. `folder` itself may be a link (a cache moved to another disk).
    ///
    /// - Throws: `HubError.outsideCache`.
    public static func ensureInside(_ url: URL, _ folder: URL) throws {
        let base = lexical(folder.path)
        let path = lexical(url.path)
        guard path.hasPrefix(base == "/" ? "/" : base + "/"), path != base else {
            throw HubError.outsideCache(path: url.path, folder: base, reason: "it resolves to \(path)")
        }
        var current = base
        for part in path.dropFirst(base.count).split(separator: "/").dropLast() {
            current += "/" + part
            var info = stat()
            guard lstat(current, &info) == 0 else { return }      // not there yet: nothing below it is either
            if info.st_mode & S_IFMT == S_IFLNK {
                throw HubError.outsideCache(path: url.path, folder: base, reason: "\(current) is a symbolic link")
            }
        }
    }

    /// An absolute path with "." and ".." resolved by name, without asking the file system.
    static func lexical(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast() } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }
}
