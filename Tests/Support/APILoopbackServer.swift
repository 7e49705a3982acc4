// APILoopbackServer — a small HTTP/1.1 server on 127.0.0.1 (port 0, a thread per connection) that answers what its
// `route` says — /v1/models and /v1/completions from recorded or hand-written answers — so API clients, the probe and
// `lmlab check greedy` are tested end to end without the network. Shared by the test targets (LabTestSupport).

import Foundation
#if canImport(Glibc)
import Glibc
#endif

public final class APILoopbackServer: @unchecked Sendable {
    public struct Reply {
        public var status: Int
        public var body: [UInt8]
        /// Seconds to wait before answering (to make the client time out).
        public var delay: Double = 0
        public init(status: Int, body: [UInt8], delay: Double = 0) { self.status = status; self.body = body; self.delay = delay }
    }
    public struct Request {
        public var method: String
        public var path: String
        /// The JSON body of a POST, nil when absent or not JSON.
        public var json: [String: Any]?
    }

    /// Answers a request; nil → 404.
    public let route: @Sendable (Request) -> Reply?
    private let lock = NSLock()
    private var log: [Request] = []
    private var listener: Int32 = -1
    public private(set) var port: UInt16 = 0

    public init(route: @escaping @Sendable (Request) -> Reply?) { self.route = route }

    public var url: URL { URL(string: "http://127.0.0.1:\(port)")! }
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
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
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

    public func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// A port on 127.0.0.1 that nothing listens on (bound, read, closed).
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
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let split = headerEnd()! + 4
        let lines = String(decoding: buffer[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count >= 2 else { return }
        var length = 0
        for line in lines.dropFirst() where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        while buffer.count - split < length {
            let n = recv(fd, &chunk, chunk.count, 0)
            if n <= 0 { return }
            buffer += chunk[0..<n]
        }
        let body = Data(buffer[split...])
        let request = Request(method: String(parts[0]), path: String(parts[1]),
                              json: (try? JSONSerialization.jsonObject(with: body)) as? [String: Any])
        lock.lock(); log.append(request); lock.unlock()
        let reply = route(request) ?? Reply(status: 404, body: Array(#"{"detail": "Not Found"}"#.utf8))
        if reply.delay > 0 { Thread.sleep(forTimeInterval: reply.delay) }
        let head = "HTTP/1.1 \(reply.status) X\r\nContent-Type: application/json\r\nContent-Length: \(reply.body.count)\r\n"
            + "Connection: close\r\n\r\n"
        let bytes = Array(head.utf8) + reply.body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBufferPointer { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }
}
