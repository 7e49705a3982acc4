// The real `lmlab serve` binary: the first line is the URL, --host 0.0.0.0 warns, SIGTERM and Ctrl-C let the
// answer in progress finish and exit with the signal's status, a taken port is an error with a HINT, and a lesson
// cell never starts a server.
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LabTestSupport
import Testing
@testable import LabCLI

/// Starts `lmlab serve ARGS`; returns it and its first stdout line (what it printed, if it ended first).
private func startServe(_ lmlab: String, _ args: [String]) throws -> (LabChild, String) {
    let serve = try LabChild.start([lmlab, "serve", "--model", shippedTinyErnie] + args, deadline: 180)
    _ = serve.wait(upTo: 120) { $0.stdout.contains("\n") }
    return (serve, String(serve.stdout.prefix { $0 != "\n" }))
}

/// A streamed POST over a plain loopback socket, so the test can tell when the server has begun to answer (its first
/// event has come) before it sends the signal: timing the signal by a sleep raced the connection under load.
private final class StreamedPost {
    private let fd: Int32
    private(set) var received = ""

    init(port: UInt16, path: String, body: String) throws {
        fd = try LoopbackSocket.connect(port: port)
        let request = Array(("POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body).utf8)
        var sent = 0
        while sent < request.count {
            let n = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { close(fd); throw POSIXError(.EPIPE) }
            sent += n
        }
    }

    deinit { close(fd) }

    /// Reads until `marker` has come (nil: until the server closes the connection, or 60 s pass without a byte).
    @discardableResult
    func read(until marker: String? = nil) -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while marker.map({ !received.contains($0) }) ?? true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            received += String(decoding: buffer[..<n], as: UTF8.self)
        }
        return received
    }
}

@Test(arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
func serveDrainsAndExitsOnASignal(_ signal: Int32, _ status: Int32) throws {
    guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary beside the tests"); return }
    let (serve, url) = try startServe(lmlab, ["--port", "0", "--host", "0.0.0.0"])
    #expect(url.hasPrefix("http://0.0.0.0:"), "the first line is the URL: \(url)")
    let port = UInt16(url.split(separator: ":").last.map(String.init) ?? "") ?? 0
    // An answer in progress when the signal comes is still sent whole: the signal goes once its first event is here.
    // 16 sampled choices of up to 300 tokens with log-probs keep the tiny model busy for about a second (greedy alone
    // reaches </s> in 0.07 s, before any signal could come).
    let asked = try StreamedPost(port: port, path: "/v1/completions", body: #"{"prompt": "One day", "max_tokens": 300, "#
                                 + #""temperature": 1, "seed": 1, "n": 16, "logprobs": 5, "stream": true}"#)
    let first = asked.read(until: "data: ")
    #expect(first.hasPrefix("HTTP/1.1 200"), "the answer began: \(first.prefix(80))")
    serve.send(signal)
    let started = Date()
    let run = try serve.finish(within: 60), stderr = run.stderr
    print("serve after signal \(signal): \(run.ending) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; stderr: \(stderr)")
    #expect(run.ending == .exit(status))
    #expect(Date().timeIntervalSince(started) < 30)
    #expect(stderr.contains("WARNING: listening on 0.0.0.0"))
    #expect(stderr.contains("finishing the answers in progress"))
    let answer = asked.read()
    let finished = answer.components(separatedBy: "\"finish_reason\":\"").count - 1
    #expect(finished == 16 && answer.contains("data: [DONE]"),
            "the answer in progress was sent whole (\(finished) of 16 choices finished): …\(answer.suffix(160))")
}

@Test func aTakenPortIsAnErrorWithAHint() throws {
    guard let lmlab = builtLmlab() else { print("skipped: no lmlab binary beside the tests"); return }
    let (first, url) = try startServe(lmlab, ["--port", "0"])
    defer { first.send(SIGTERM); _ = try? first.finish(within: 60) }
    let port = url.split(separator: ":").last.map(String.init) ?? ""
    let (second, line) = try startServe(lmlab, ["--port", port])
    let run = try second.finish(), stderr = run.stderr
    print("second server on \(port): \(run.ending), stdout \(line.debugDescription), stderr: \(stderr)")
    #expect(run.ending == .exit(1))
    #expect(line.isEmpty)
    #expect(stderr.contains("HINT:") && stderr.contains("--port"))
}

@Test func aLessonCellNeverStartsAServer() throws {
    let executor = LessonCellExecutor(capture: true, environment: ProcessInfo.processInfo.environment)
    var printed = ""
    let result = executor.execute("serve --model tiny-ernie --port 0", ask: { _ in true }) { printed += $0 }
    let message = "\(result)"
    #expect(message.contains("would listen on the network (127.0.0.1:0)"), "\(message)")
    #expect(message.contains("HINT: run it yourself in a terminal: lmlab serve --model tiny-ernie --port 0"), "\(message)")
}
