// LoopbackHub — LabTestSupport's loopback HTTP server answering like the Hugging Face Hub, so the downloader is
// tested end to end without the network:
//
//   GET /api/models/{org}/{name}/revision/{rev}?blobs=true   the listing (sha, siblings with size/blobId/lfs)
//   GET /{org}/{name}/resolve/{rev}/{file}                    200 for small files; 302 → /cdn/{sha256} for LFS ones,
//                                                             with X-Repo-Commit and X-Linked-Etag as the Hub sends
//   GET /cdn/{sha256}                                         the bytes, honouring `Range: bytes=N-` (206 / 416)
//
// Misbehaviour on demand, as a broken or hostile mirror: drop the connection after N body bytes, serve corrupted,
// short, empty or oversized bodies, answer a Range from the wrong byte, lie in the listing, demand a token, or
// answer 404 with the Hub's X-Error-Code. Reference hashes come from coreutils `sha256sum` and `git hash-object`,
// not from the code under test.

import Foundation
import LabTestSupport

final class LoopbackHub: @unchecked Sendable {
    struct File {
        var bytes: [UInt8]
        var lfs: Bool
        /// sha256 (LFS) from `sha256sum`; git blob id from `git hash-object`.
        var sha256: String
        var blobId: String
    }

    typealias LoggedRequest = LoopbackHTTPServer.Request
    typealias Reply = LoopbackHTTPServer.Reply

    let repo: String
    let commit: String
    private(set) var files: [String: File] = [:]
    /// Revisions the listing accepts besides the commit itself.
    var branches: Set<String> = ["main"]
    /// When set, /api and /resolve demand `Authorization: Bearer <token>`: none → 401, another → 403 GatedRepo.
    var requiredToken: String?
    /// file → body bytes to send before dropping the connection, for that many GETs of the file.
    var dropAfter: [String: (bytes: Int, times: Int)] = [:]
    /// file → how many GETs serve it with one byte flipped.
    var corrupt: [String: Int] = [:]
    /// file → every answer ends this many bytes before what it announces, cleanly (Content-Length tells the truth):
    /// a mirror whose copy is shorter than the listing.
    var shortBy: [String: Int] = [:]
    /// file → this many extra bytes after every answer (Content-Length counts them): a mirror sending more than asked.
    var extraBytes: [String: Int] = [:]
    /// A Range request is answered 206 from byte 0, with a Content-Range that says so.
    var rangeFromZero = false
    /// Edits the listing's JSON before it is sent (a lying mirror: another sha, sizes, names).
    var tamperListing: (@Sendable (inout [String: Any]) -> Void)?
    /// Files that the listing shows but /resolve answers 404 EntryNotFound (a repository changed under us).
    var vanished: Set<String> = []
    /// Answer every byte request with 200 and the whole file, as a server without Range support does.
    var ignoresRange = false
    /// Another server (another host) that LFS files redirect to, as the Hub redirects to its CDN; nil → this one.
    var cdn: LoopbackHub?
    /// The loopback address to listen on (any of 127.0.0.0/8 works on Linux).
    var host = "127.0.0.1"
    /// When set, the server also answers ModelScope's API for this repository id (LoopbackModelScope.swift).
    var modelScopeRepo: String?

    private let lock = NSLock()
    private var server: LoopbackHTTPServer?

    init(repo: String, commit: String = "0123456789abcdef0123456789abcdef01234567") {
        self.repo = repo; self.commit = commit
    }

    var port: UInt16 { server?.port ?? 0 }
    var endpoint: URL { URL(string: "http://\(host):\(port)")! }
    var requests: [LoggedRequest] { server?.requests ?? [] }

    func add(_ path: String, _ bytes: [UInt8], lfs: Bool) {
        files[path] = File(bytes: bytes, lfs: lfs, sha256: Reference.sha256(bytes), blobId: Reference.gitBlobId(bytes))
    }

    /// Lies about one file in the listing: `edit` changes its sibling entry (rfilename, size, blobId, lfs).
    func tamperSibling(_ name: String, _ edit: @escaping @Sendable (inout [String: Any]) -> Void) {
        tamperListing = { listing in
            var siblings = listing["siblings"] as? [[String: Any]] ?? []
            for i in siblings.indices where siblings[i]["rfilename"] as? String == name { edit(&siblings[i]) }
            listing["siblings"] = siblings
        }
    }

    func start() throws {
        let server = LoopbackHTTPServer { [weak self] in self?.respond(to: $0) }
        server.host = host
        try server.start()
        self.server = server
    }

    func stop() { server?.stop() }

    /// A port on 127.0.0.1 that nothing listens on, for "no network" tests.
    static func closedPort() -> UInt16 { LoopbackHTTPServer.closedPort() }

    private func error(_ status: Int, code: String?, message: String) -> Reply {
        var headers = ["Content-Type": "application/json", "X-Error-Message": message]
        if let code { headers["X-Error-Code"] = code }
        return Reply(status: status, body: Array("{\"error\":\"\(message)\"}".utf8), headers: headers)
    }

    /// 401 without a token, 403 with a wrong one; nil when the request may proceed.
    private func refusal(_ request: LoggedRequest) -> Reply? {
        guard let requiredToken else { return nil }
        guard let auth = request.headers["authorization"] else {
            return error(401, code: nil, message: "Invalid username or password.")
        }
        if auth != "Bearer \(requiredToken)" {
            return error(403, code: "GatedRepo", message: "Access to model \(repo) is restricted.")
        }
        return nil
    }

    private func respond(to request: LoggedRequest) -> Reply {
        if let answer = respondAsModelScope(request) { return answer }
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        let apiPrefix = "/api/models/"
        if path.hasPrefix(apiPrefix) {
            if let refused = refusal(request) { return refused }
            let rest = String(path.dropFirst(apiPrefix.count))
            guard let range = rest.range(of: "/revision/") else { return error(404, code: nil, message: "bad path") }
            let repoPart = String(rest[..<range.lowerBound])
            let revision = String(rest[range.upperBound...]).removingPercentEncoding ?? ""
            guard repoPart == repo else { return error(404, code: "RepoNotFound", message: "Repository not found") }
            guard revision == commit || branches.contains(revision) else {
                return error(404, code: "RevisionNotFound", message: "Invalid rev id: \(revision)")
            }
            let siblings: [[String: Any]] = files.keys.sorted().map { name in
                let f = files[name]!
                var s: [String: Any] = ["rfilename": name, "size": f.bytes.count, "blobId": f.blobId]
                if f.lfs { s["lfs"] = ["sha256": f.sha256, "size": f.bytes.count, "pointerSize": 134] }
                return s
            }
            var listing: [String: Any] = ["id": repo, "sha": commit, "siblings": siblings]
            tamperListing?(&listing)
            let body = try! JSONSerialization.data(withJSONObject: listing)
            return Reply(status: 200, body: Array(body))
        }
        if path.hasPrefix("/cdn/") {
            let sha = String(path.dropFirst(5))
            guard let (name, file) = files.first(where: { $0.value.lfs && $0.value.sha256 == sha }) else {
                return error(404, code: nil, message: "no such object")
            }
            return serveBytes(name, file, request, extraHeaders: ["ETag": "\"cdn-\(sha.prefix(8))\""])
        }
        let resolvePrefix = "/\(repo)/resolve/"
        if path.hasPrefix(resolvePrefix) {
            if let refused = refusal(request) { return refused }
            let rest = path.dropFirst(resolvePrefix.count)
            guard let slash = rest.firstIndex(of: "/") else { return error(404, code: nil, message: "bad path") }
            let revision = String(rest[..<slash]).removingPercentEncoding ?? ""
            let name = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
            guard revision == commit || branches.contains(revision) else {
                return error(404, code: "RevisionNotFound", message: "Invalid rev id: \(revision)")
            }
            guard let file = files[name], !vanished.contains(name) else {
                return error(404, code: "EntryNotFound", message: "\(name) does not exist on \"\(revision)\"")
            }
            if file.lfs {
                return Reply(status: 302, body: [], headers: [
                    "Location": (cdn.map { $0.endpoint.absoluteString } ?? "") + "/cdn/\(file.sha256)", "X-Repo-Commit": commit,
                    "X-Linked-Etag": "\"\(file.sha256)\"", "X-Linked-Size": String(file.bytes.count)])
            }
            return serveBytes(name, file, request, extraHeaders: ["ETag": "\"\(file.blobId)\"", "X-Repo-Commit": commit])
        }
        return error(404, code: nil, message: "no route")
    }

    /// 200 for the whole file, 206 from a `Range: bytes=N-` offset, 416 past the end; the misbehaviours on demand.
    func serveBytes(_ name: String, _ file: File, _ request: LoggedRequest, extraHeaders: [String: String]) -> Reply {
        var bytes = file.bytes
        lock.lock()
        var corruptNow = false
        if let n = corrupt[name], n > 0 { corrupt[name] = n - 1; corruptNow = true }
        var dropAt: Int?
        if let d = dropAfter[name], d.times > 0 { dropAfter[name] = (d.bytes, d.times - 1); dropAt = d.bytes }
        lock.unlock()
        if corruptNow { bytes[bytes.count / 2] ^= 0xff }

        var headers = extraHeaders
        headers["Accept-Ranges"] = "bytes"
        headers["Content-Type"] = "application/octet-stream"
        var start = 0
        var status = 200
        var end = bytes.count - 1
        if !ignoresRange, let range = request.headers["range"], range.hasPrefix("bytes=") {
            let bounds = range.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
            let from = Int(bounds.first ?? "") ?? 0
            if from >= bytes.count {
                headers["Content-Range"] = "bytes */\(bytes.count)"
                return Reply(status: 416, body: [], headers: headers)
            }
            if bounds.count > 1, let to = Int(bounds[1]) { end = min(end, to) }
            start = rangeFromZero ? 0 : from
            status = 206
            headers["Content-Range"] = "bytes \(start)-\(end)/\(bytes.count)"
        }
        var body = Array(bytes[start...end])
        if let cut = shortBy[name] { body.removeLast(min(cut, body.count)) }
        if let extra = extraBytes[name] { body += [UInt8](repeating: 0x5A, count: extra) }
        if let dropAt, dropAt < body.count {
            // Promise the whole body, send part of it, hang up.
            return Reply(status: status, body: Array(body[0..<dropAt]), headers: headers, declaredLength: body.count)
        }
        return Reply(status: status, body: body, headers: headers)
    }
}

/// Hashes from independent tools (coreutils, git), so the tests do not check the downloader's SHA-256 with itself.
enum Reference {
    static func sha256(_ bytes: [UInt8]) -> String {
        String(run("/usr/bin/sha256sum", [], input: bytes).prefix(64))
    }

    /// git's blob id: SHA-1 of "blob <size>\0<bytes>".
    static func gitBlobId(_ bytes: [UInt8]) -> String {
        run("/usr/bin/git", ["hash-object", "--stdin"], input: bytes).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func run(_ tool: String, _ arguments: [String], input: [UInt8]) -> String {
        do { return try LabRun.run([tool] + arguments, input: ChildInput(bytes: input), deadline: 60).stdout } catch {
            return "\(error)"          // not a hash: the comparison fails and shows why
        }
    }
}
