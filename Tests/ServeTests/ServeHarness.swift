// `lmlab serve` of the shipped tiny ERNIE on a free loopback port, shared by the tests, with the same model loaded
// here for the answers a request must get; and a small HTTP client that returns the status and the JSON (or the raw
// text of a stream).
//
// The server runs in a child process, not in this one: its sockets are served by Swift concurrency's cooperative
// pool, which in the test process is shared with every test running at the same time (two threads on a 2-core
// machine, each held by a synchronous test for seconds). A request could then wait its turn behind whole suites and
// time out (fourConcurrentClientsGetTheAnswersOfOne took 82 s of its 120 in one CI run and failed in another).
// The child is `sh`, which starts `lmlab serve` and waits on its own standard input, a pipe from this process: when
// this process ends, however it ends, the pipe closes and `sh` stops the server.
import ERNIE
import Foundation
import LabTestSupport
import ModelFiles
import Tokenizers
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

struct ServedError: Error, CustomStringConvertible {
    let description: String
}

/// The shipped tiny ERNIE, its tokenizer, and `lmlab serve` of it.
final class Served: @unchecked Sendable {
    let model: ErnieModel
    let tokenizer: ErnieTokenizer
    let url: String

    private init(apiKey: String?) throws {
        let folder = ModelFolder(url: projectRoot.appendingPathComponent("Models/tiny-ernie"))
        tokenizer = try ErnieTokenizer(folder: folder)
        model = try ErnieModel(folder: folder, name: "tiny-ernie", vocabulary: tokenizer)
        url = try Self.startServer(model: folder.url.path, apiKey: apiKey)
    }

    /// Starts the server and returns the URL it prints first.
    private static func startServer(model: String, apiKey: String?) throws -> String {
        guard let lmlab = builtExecutable("lmlab") else {
            throw ServedError(description: "no built lmlab next to the tests. HINT: `swift test` builds it; after `swift build --build-tests`, run `swift build` too.")
        }
        let logs = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-serve-test-\(UUID().uuidString)").path
        var keep: [Int32] = [0, 0]
        guard pipe(&keep) == 0 else { throw ServedError(description: "pipe: \(String(cString: strerror(errno)))") }
        // keep[1] stays open until this process ends: it is what keeps the server alive. Both ends close on exec (a
        // child another test starts must not hold it); the child gets keep[0] by dup2, which clears the flag on its copy.
        for fd in keep { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer { close(keep[0]) }
        let script = "\"$0\" \"$@\" & server=$!; cat >/dev/null; kill -TERM $server; wait $server"
        let arguments = ["serve", "--model", model, "--port", "0"] + (apiKey.map { ["--api-key", $0] } ?? [])
        if case .failure(let error) = ChildProcess.spawn(["/bin/sh", "-c", script, lmlab] + arguments, stdin: .descriptor(keep[0]),
                                                         stdout: .file(logs + ".out"), stderr: .file(logs + ".err")) {
            throw ServedError(description: "cannot start /bin/sh to run \(lmlab) serve: \(error.code) (\(error.localizedDescription))")
        }
        let deadline = Date().addingTimeInterval(120)
        var printed = ""
        while !printed.contains("\n") && Date() < deadline {
            usleep(20_000)
            printed = (try? String(contentsOfFile: logs + ".out", encoding: .utf8)) ?? ""
        }
        let said = (try? String(contentsOfFile: logs + ".err", encoding: .utf8)) ?? ""
        unlink(logs + ".out")     // the server writes on into the unlinked files; nothing is left in /tmp
        unlink(logs + ".err")
        let url = printed.prefix { $0 != "\n" }
        guard url.hasPrefix("http://"), printed.contains("\n") else {
            throw ServedError(description: "lmlab serve printed no URL within 120 s (its output: \"\(printed)\"; its stderr: \"\(said)\")")
        }
        return String(url)
    }

    private static let shared = Task { try Served(apiKey: nil) }
    private static let locked = Task { try Served(apiKey: "sesame") }
    static func get() async throws -> Served { try await shared.value }
    static func withKey() async throws -> Served { try await locked.value }

    /// One request; `body` nil → GET. Returns the status and the body.
    func send(_ path: String, _ body: Any? = nil, raw: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, Data) {
        var request = URLRequest(url: URL(string: url + path)!, timeoutInterval: 120)
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        if let raw { request.httpBody = raw }
        request.httpMethod = body == nil && raw == nil ? "GET" : "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
    }

    /// A request whose answer is JSON.
    func json(_ path: String, _ body: Any? = nil, raw: Data? = nil, headers: [String: String] = [:]) async throws -> (Int, [String: Any]) {
        let (status, data) = try await send(path, body, raw: raw, headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:])
    }
}

/// The events of a server-sent-event stream, decoded, and whether it ended with `data: [DONE]`.
func events(_ data: Data) -> (events: [[String: Any]], done: Bool) {
    let lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n").filter { $0.hasPrefix("data: ") }
    let done = lines.last == "data: [DONE]"
    let events = lines.dropLast(done ? 1 : 0).compactMap {
        (try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8))) as? [String: Any]
    }
    return (events, done)
}

extension Dictionary where Key == String, Value == Any {
    var firstChoice: [String: Any] { (self["choices"] as? [[String: Any]])?.first ?? [:] }
    var logprobs: [String: Any] { firstChoice["logprobs"] as? [String: Any] ?? [:] }
    var error: [String: Any]? { self["error"] as? [String: Any] }
}
