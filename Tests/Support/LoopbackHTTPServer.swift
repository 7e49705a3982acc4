// LoopbackHTTPServer — a small HTTP/1.1 server on a loopback address (port 0, a thread per connection) that answers
// what its `route` returns, so clients are tested end to end without the network. One server for every test target
// (LabTestSupport): the OpenAI-compatible API (/v1/models, /v1/completions) for API clients, the probe and
// `lmlab check greedy`; the Hugging Face Hub and its misbehaving mirrors for the downloader (HubTests' LoopbackHub).
//
// A reply may announce more bytes than it carries (`declaredLength`): the body is sent and the connection closed,
// which is how a transfer breaks in the middle. Every request is logged for the tests to inspect.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class LoopbackHTTPServer: @unchecked Sendable {
    public struct Reply {
        public var status: Int
        public var body: [UInt8]
        /// Header fields besides Content-Length and Connection (which the server writes).
        public var headers: [String: String]
        /// The Content-Length to announce when it is not `body.count`: more than the body breaks the transfer.
        public var declaredLength: Int?
        /// Seconds to wait before answering (to make the client time out).
        public var delay: Double

        public init(status: Int, body: [UInt8], headers: [String: String] = ["Content-Type": "application/json"],
                    declaredLength: Int? = nil, delay: Double = 0) {
            self.status = status; self.body = body; self.headers = headers
            self.declaredLength = declaredLength; self.delay = delay
        }
    }

    public struct Request: @unchecked Sendable {
        public var method: String
        /// The request target as sent, query included ("/api/models/o/r/revision/main?blobs=true").
        public var path: String
        /// Header fields, names lower-cased.
        public var headers: [String: String]
        public var body: [UInt8]

        /// The JSON body of a POST, nil when absent or not JSON.
        public var json: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] }
    }

    /// Answers a request; nil → 404 with a FastAPI-style `{"detail": "Not Found"}`.
    public let route: @Sendable (Request) -> Reply?
    /// The loopback address to listen on (any of 127.0.0.0/8 works on Linux); set before `start()`.
    public var host = "127.0.0.1"
    private let lock = NSLock()
    private var log: [Request] = []
    private var listener: Int32 = -1
    public private(set) var port: UInt16 = 0

    public init(route: @escaping @Sendable (Request) -> Reply?) { self.route = route }

    public var url: URL { URL(string: "http://\(host):\(port)")! }
    public var requests: [Request] { lock.lock(); defer { lock.unlock() }; return log }

    /// A 200 answer with this JSON value as its body.
    public static func json(_ object: Any) -> Reply {
        Reply(status: 200, body: Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()))
    }

    public func start() throws {
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
        guard bound == 0, listen(listener, 16) == 0 else { close(listener); listener = -1; throw POSIXError(.EADDRINUSE) }
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &len) }
        }
        port = UInt16(bigEndian: addr.sin_port)
        let fd = listener
        // The accept loop closes the listener itself, after its last accept. stop() only shuts it down: were the
        // descriptor closed there, its number could go to another test's socket before this loop's next accept(),
        // which would then take that socket's connections and close them unanswered ("Empty reply from server").
        Thread { [weak self] in
            defer { close(fd) }
            while true {
                let client = accept(fd, nil, nil)
                if client < 0 { if errno == EINTR { continue }; return }     // shut down by stop(), or a signal: go on
                guard let self else { close(client); return }
                Thread { self.serve(client) }.start()
            }
        }.start()
    }

    /// Stops accepting (once; later calls do nothing). Answers already being served are finished.
    public func stop() {
        lock.lock(); defer { lock.unlock() }
        guard listener >= 0 else { return }
        shutdown(listener, Int32(SHUT_RDWR))     // wakes the accept loop, which closes the descriptor
        listener = -1
    }

    deinit { stop() }

    /// A port on 127.0.0.1 that nothing listens on (bound, read, closed), for "no network" tests.
    public static func closedPort() -> UInt16 {
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
        var timeout = timeval(tv_sec: 30, tv_usec: 0)   // generous: a loaded CI machine can be slow to send
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let end: [UInt8] = [13, 10, 13, 10]
        func headerEnd() -> Int? {
            guard buffer.count >= 4 else { return nil }
            return (0...(buffer.count - 4)).first { Array(buffer[$0..<$0 + 4]) == end }
        }
        while headerEnd() == nil {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }     // a signal another test raised in this process: read on
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let split = headerEnd()! + 4
        let lines = String(decoding: buffer[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        while buffer.count - split < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n < 0 && errno == EINTR { continue }     // a signal another test raised in this process: read on
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let request = Request(method: String(parts[0]), path: String(parts[1]), headers: headers,
                              body: Array(buffer[split...]))
        lock.lock(); log.append(request); lock.unlock()
        let reply = route(request) ?? Reply(status: 404, body: Array(#"{"detail": "Not Found"}"#.utf8))
        if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
        var head = "HTTP/1.1 \(reply.status) \(LoopbackHTTPServer.reason(reply.status))\r\n"
        var fields = reply.headers
        fields["Content-Length"] = String(reply.declaredLength ?? reply.body.count)
        fields["Connection"] = "close"
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) { head += "\(k): \(v)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + reply.body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            sent += n
        }
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 206: return "Partial Content"
        case 302: return "Found"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 416: return "Range Not Satisfiable"
        default: return "Status"
        }
    }
}

/// The name the API tests know it by.
public typealias APILoopbackServer = LoopbackHTTPServer
