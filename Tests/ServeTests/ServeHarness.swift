// A running `lmlab serve` of the shipped tiny ERNIE on a free loopback port, shared by the tests, and a small HTTP
// client that returns the status and the JSON (or the raw text of a stream).
import ERNIE
import Foundation
import ModelFiles
import Serve
import Tokenizers
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The shipped tiny ERNIE, its tokenizer, and a server over them.
final class Served: @unchecked Sendable {
    let model: ErnieModel
    let tokenizer: ErnieTokenizer
    let server: OpenAIServer
    let url: String

    private init(apiKey: String?) async throws {
        let folder = ModelFolder(url: projectRoot.appendingPathComponent("Models/tiny-ernie"))
        tokenizer = try ErnieTokenizer(folder: folder)
        model = try ErnieModel(folder: folder, name: "tiny-ernie", vocabulary: tokenizer)
        let engine = ServeEngine(model: model, tokenizer: tokenizer, modelName: "tiny-ernie")
        server = try OpenAIServer(engine: engine, host: "127.0.0.1", port: 0, apiKey: apiKey)
        let server = self.server
        Task { try await server.run() }
        url = try await server.waitUntilListening()
    }

    private static let shared = Task { try await Served(apiKey: nil) }
    private static let locked = Task { try await Served(apiKey: "sesame") }
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
