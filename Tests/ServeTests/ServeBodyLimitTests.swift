// The 8 MB body limit of `lmlab serve` holds whatever the framing: a chunked body (no Content-Length up front) is
// counted as it comes and cut at the limit with a 413, where it was read whole before (a 200 MB body took the server
// to 4 GB; hostile-input audit 14, F5). Broken chunk framing is a 400 that says so, not a 500 in FlyingFox's words.
// A refused body's connection closes after the answer, even when the client keeps it alive: FlyingFox read the
// unread rest as more requests.
import Foundation
import LabTestSupport
import Serve
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP/1.1 exchange over a plain loopback socket: `head` and then each of `pieces` are written while another
/// thread reads the answer (the server may answer and stop reading before the last piece). Returns the answer.
private func exchange(_ url: String, head: String, pieces: [[UInt8]]) throws -> String {
    let port = UInt16(url.split(separator: ":").last.map(String.init) ?? "") ?? 0
    let fd = try LoopbackSocket.connect(port: port)
    defer { close(fd) }
    final class Answer: @unchecked Sendable { var bytes: [UInt8] = [] }
    let answer = Answer()
    let done = DispatchSemaphore(value: 0)
    Thread {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            answer.bytes += buffer[..<n]
        }
        done.signal()
    }.start()
    writing: for piece in [Array(head.utf8)] + pieces {
        var sent = 0
        while sent < piece.count {
            let n = piece[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { break writing }           // the server has answered and closed: the rest is not read
            sent += n
        }
    }
    shutdown(fd, Int32(SHUT_WR))
    done.wait()
    return String(decoding: answer.bytes, as: UTF8.self)
}

/// The status and the JSON error message of an answer.
private func parse(_ answer: String) -> (status: Int, message: String) {
    let status = Int(answer.split(separator: " ").dropFirst().first ?? "") ?? 0
    let body = answer.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
    let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
    return (status, (json?["error"] as? [String: Any])?["message"] as? String ?? "")
}

private let chunkedHead = "POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"

/// `bytes` as one chunk: its size in hex, CRLF, the bytes, CRLF.
private func chunk(_ bytes: [UInt8]) -> [UInt8] {
    Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10]
}

@Suite(.serialized) struct ServeBodyLimitTests {
    @Test func aChunkedBodyOverTheLimitIsCutThereWithA413() async throws {
        let s = try await Served.get()
        // {"prompt":"a a a …","max_tokens":1}: 9 MiB in 1 MiB chunks, past the 8 MiB limit.
        let json = Array("{\"prompt\":\"".utf8) + [UInt8](repeating: 0x61, count: 9 << 20)
            + Array("\",\"max_tokens\":1}".utf8)
        var pieces = stride(from: 0, to: json.count, by: 1 << 20).map {
            chunk(Array(json[$0..<min($0 + (1 << 20), json.count)]))
        }
        pieces.append(Array("0\r\n\r\n".utf8))
        let answer = try exchange(s.url, head: chunkedHead, pieces: pieces)
        let (status, message) = parse(answer)
        #expect(status == 413, "\(answer.prefix(300))")
        #expect(message.contains("longer than \(OpenAIServer.maxBodyBytes) bytes") && message.contains("HINT:"),
                "\(message)")
        #expect(answer.lowercased().contains("connection: close"))

        // A chunked body within the limit is read as before.
        let small = chunk(Array("{\"prompt\": \"The dog says\", ".utf8)) + chunk(Array("\"max_tokens\": 2}".utf8))
            + Array("0\r\n\r\n".utf8)
        let ok = parse(try exchange(s.url, head: chunkedHead, pieces: [small]))
        #expect(ok.status == 200, "\(ok)")
        // And the server goes on serving.
        #expect(try await s.json("/v1/models").0 == 200)
    }

    @Test func aKeptAliveConnectionClosesAfterARefusedBody() async throws {
        // 9 MiB announced, whose first bytes are two more requests: a GET, and a POST whose body is the padding.
        let size = 9 << 20
        let inner = "GET /v1/models HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        let second = "POST /v1/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
        let padding = size - inner.utf8.count - second.utf8.count - 7 - 4       // a 7-digit length, then CRLF CRLF
        let body = Array((inner + second + String(padding) + "\r\n\r\n").utf8)
            + [UInt8](repeating: 0x61, count: padding)
        #expect(body.count == size)
        func head(_ method: String, _ path: String) -> String {
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\n\r\n"
        }
        let served = try await Served.get(), locked = try await Served.withKey()
        // A GET with a body is refused too: its route never reads one (review 15: it was answered 200 and the body
        // read as more requests).
        for (url, method, path, status) in [(served.url, "POST", "/v1/completions", 413),
                                            (locked.url, "POST", "/v1/completions", 401),
                                            (served.url, "POST", "/v1/nothing", 404),
                                            (served.url, "GET", "/v1/models", 400)] {
            let answer = try exchange(url, head: head(method, path), pieces: [body])
            let answers = answer.components(separatedBy: "HTTP/1.1 ").count - 1
            print("\(method) \(path) with a \(body.count)-byte body: \(answers) answer(s), status \(parse(answer).status)")
            #expect(parse(answer).status == status, "\(answer.prefix(300))")
            #expect(answers == 1, "the body was read as more requests: \(answer.prefix(600))")
            #expect(answer.lowercased().contains("connection: close"))
        }
        #expect(try await served.json("/v1/models").0 == 200)
    }

    @Test func brokenChunkFramingIsA400ThatSaysSo() async throws {
        let s = try await Served.get()
        let broken = [("no CRLF after the chunk's data", "5\r\n{\"a\":XX"),
                      ("a size that is not hex", "zz\r\n{}\r\n0\r\n\r\n")]
        for (name, body) in broken {
            let answer = try exchange(s.url, head: chunkedHead, pieces: [Array(body.utf8)])
            let (status, message) = parse(answer)
            #expect(status == 400, "\(name): \(answer.prefix(300))")
            #expect(message.hasPrefix("The request body could not be read: ") && message.contains("HINT:"),
                    "\(name): \(message)")
            #expect(!message.contains("errorDescription") && !message.contains("Optional("), "\(name): \(message)")
        }
        #expect(try await s.json("/v1/models").0 == 200)
    }
}
