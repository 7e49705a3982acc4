// LoopbackHub — a small HTTP/1.1 server on 127.0.0.1 (port 0, a thread per connection) that answers like the
// Hugging Face Hub, so the downloader is tested end to end without the network:
//
//   GET /api/models/{org}/{name}/revision/{rev}?blobs=true   the listing (sha, siblings with size/blobId/lfs)
//   GET /{org}/{name}/resolve/{rev}/{file}                    200 for small files; 302 → /cdn/{sha256} for LFS ones,
//                                                             with X-Repo-Commit and X-Linked-Etag as the Hub sends
//   GET /cdn/{sha256}                                         the bytes, honouring `Range: bytes=N-` (206 / 416)
//
// Misbehaviour on demand: drop the connection after N body bytes, serve corrupted bytes, demand a token, or answer
// 404 with the Hub's X-Error-Code. Every request is logged for the tests to inspect. Reference hashes come from
// coreutils `sha256sum` and `git hash-object`, not from the code under test.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

final class LoopbackHub: @unchecked Sendable {
    struct File {
        var bytes: [UInt8]
        var lfs: Bool
        /// sha256 (LFS) from `sha256sum`; git blob id from `git hash-object`.
        var sha256: String
        var blobId: String
    }

    struct LoggedRequest {
        var method: String
        var path: String
        var headers: [String: String]
    }

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
    /// Files that the listing shows but /resolve answers 404 EntryNotFound (a repository changed under us).
    var vanished: Set<String> = []
    /// Answer every byte request with 200 and the whole file, as a server without Range support does.
    var ignoresRange = false
    /// Another server (another host) that LFS files redirect to, as the Hub redirects to its CDN; nil → this one.
    var cdn: LoopbackHub?
    /// The loopback address to listen on (any of 127.0.0.0/8 works on Linux).
    var host = "127.0.0.1"

    private let lock = NSLock()
    private var log: [LoggedRequest] = []
    private var listener: Int32 = -1
    private(set) var port: UInt16 = 0

    init(repo: String, commit: String = "0123456789abcdef0123456789abcdef01234567") {
        self.repo = repo; self.commit = commit
    }

    var endpoint: URL { URL(string: "http://\(host):\(port)")! }

    var requests: [LoggedRequest] { lock.lock(); defer { lock.unlock() }; return log }

    func add(_ path: String, _ bytes: [UInt8], lfs: Bool) {
        files[path] = File(bytes: bytes, lfs: lfs, sha256: Reference.sha256(bytes), blobId: Reference.gitBlobId(bytes))
    }

    // MARK: Socket plumbing

    func start() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr(host)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 16) == 0 else { throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let fd = listener
        Thread { [weak self] in
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { return }
                guard let self else { close(client); return }
                Thread { self.serve(client) }.start()
            }
        }.start()
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, read, closed), for "no network" tests.
    static func closedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        close(fd)
        return UInt16(bigEndian: addr.sin_port)
    }

    private func serve(_ fd: Int32) {
        defer { close(fd) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !buffer.containsHeaderEnd {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let text = String(decoding: buffer, as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = LoggedRequest(method: String(parts[0]), path: String(parts[1]), headers: headers)
        lock.lock(); log.append(request); lock.unlock()
        respond(to: request, on: fd)
    }

    private func send(_ fd: Int32, status: Int, reason: String, headers: [String: String] = [:], body: [UInt8] = [],
                      declaredLength: Int? = nil) {
        var head = "HTTP/1.1 \(status) \(reason)\r\n"
        var all = headers
        all["Content-Length"] = String(declaredLength ?? body.count)
        all["Connection"] = "close"
        for (k, v) in all.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        head += "\r\n"
        let out = Array(head.utf8) + body
        let total = out.count
        var sent = 0
        while sent < total {
            let n = out.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, total - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    private func error(_ fd: Int32, _ status: Int, code: String?, message: String) {
        var headers = ["Content-Type": "application/json", "X-Error-Message": message]
        if let code { headers["X-Error-Code"] = code }
        send(fd, status: status, reason: status == 404 ? "Not Found" : status == 401 ? "Unauthorized" : "Forbidden",
             headers: headers, body: Array("{\"error\":\"\(message)\"}".utf8))
    }

    /// 401 without a token, 403 with a wrong one; nil when the request may proceed.
    private func refusesAuth(_ request: LoggedRequest, _ fd: Int32) -> Bool {
        guard let requiredToken else { return false }
        guard let auth = request.headers["authorization"] else {
            error(fd, 401, code: nil, message: "Invalid username or password."); return true
        }
        if auth != "Bearer \(requiredToken)" {
            error(fd, 403, code: "GatedRepo", message: "Access to model \(repo) is restricted."); return true
        }
        return false
    }

    private func respond(to request: LoggedRequest, on fd: Int32) {
        let path = request.path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.path
        let apiPrefix = "/api/models/"
        if path.hasPrefix(apiPrefix) {
            if refusesAuth(request, fd) { return }
            let rest = String(path.dropFirst(apiPrefix.count))
            guard let range = rest.range(of: "/revision/") else { return error(fd, 404, code: nil, message: "bad path") }
            let repoPart = String(rest[..<range.lowerBound])
            let revision = String(rest[range.upperBound...]).removingPercentEncoding ?? ""
            guard repoPart == repo else { return error(fd, 404, code: "RepoNotFound", message: "Repository not found") }
            guard revision == commit || branches.contains(revision) else {
                return error(fd, 404, code: "RevisionNotFound", message: "Invalid rev id: \(revision)")
            }
            let siblings: [[String: Any]] = files.keys.sorted().map { name in
                let f = files[name]!
                var s: [String: Any] = ["rfilename": name, "size": f.bytes.count, "blobId": f.blobId]
                if f.lfs { s["lfs"] = ["sha256": f.sha256, "size": f.bytes.count, "pointerSize": 134] }
                return s
            }
            let body = try! JSONSerialization.data(withJSONObject: ["id": repo, "sha": commit, "siblings": siblings])
            return send(fd, status: 200, reason: "OK", headers: ["Content-Type": "application/json"], body: Array(body))
        }
        if path.hasPrefix("/cdn/") {
            let sha = String(path.dropFirst(5))
            guard let (name, file) = files.first(where: { $0.value.lfs && $0.value.sha256 == sha }) else {
                return error(fd, 404, code: nil, message: "no such object")
            }
            return serveBytes(name, file, request, fd, extraHeaders: ["ETag": "\"cdn-\(sha.prefix(8))\""])
        }
        let resolvePrefix = "/\(repo)/resolve/"
        if path.hasPrefix(resolvePrefix) {
            if refusesAuth(request, fd) { return }
            let rest = path.dropFirst(resolvePrefix.count)
            guard let slash = rest.firstIndex(of: "/") else { return error(fd, 404, code: nil, message: "bad path") }
            let revision = String(rest[..<slash]).removingPercentEncoding ?? ""
            let name = String(rest[rest.index(after: slash)...]).removingPercentEncoding ?? ""
            guard revision == commit || branches.contains(revision) else {
                return error(fd, 404, code: "RevisionNotFound", message: "Invalid rev id: \(revision)")
            }
            guard let file = files[name], !vanished.contains(name) else {
                return error(fd, 404, code: "EntryNotFound", message: "\(name) does not exist on \"\(revision)\"")
            }
            if file.lfs {
                return send(fd, status: 302, reason: "Found", headers: [
                    "Location": (cdn.map { $0.endpoint.absoluteString } ?? "") + "/cdn/\(file.sha256)", "X-Repo-Commit": commit,
                    "X-Linked-Etag": "\"\(file.sha256)\"", "X-Linked-Size": String(file.bytes.count)])
            }
            return serveBytes(name, file, request, fd, extraHeaders: ["ETag": "\"\(file.blobId)\"", "X-Repo-Commit": commit])
        }
        error(fd, 404, code: nil, message: "no route")
    }

    /// 200 for the whole file, 206 from a `Range: bytes=N-` offset, 416 past the end; drops and corruption on demand.
    private func serveBytes(_ name: String, _ file: File, _ request: LoggedRequest, _ fd: Int32,
                            extraHeaders: [String: String]) {
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
                return send(fd, status: 416, reason: "Range Not Satisfiable", headers: headers)
            }
            if bounds.count > 1, let to = Int(bounds[1]) { end = min(end, to) }
            start = from
            status = 206
            headers["Content-Range"] = "bytes \(from)-\(end)/\(bytes.count)"
        }
        let body = Array(bytes[start...end])
        if let dropAt, dropAt < body.count {
            // Promise the whole body, send part of it, hang up.
            send(fd, status: status, reason: status == 206 ? "Partial Content" : "OK", headers: headers,
                 body: Array(body[0..<dropAt]), declaredLength: body.count)
            return
        }
        send(fd, status: status, reason: status == 206 ? "Partial Content" : "OK", headers: headers, body: body)
    }
}

private extension Array where Element == UInt8 {
    var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        try! p.run()
        let writer = Thread {
            stdin.fileHandleForWriting.write(Data(input))
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: out, as: UTF8.self)
    }
}
