// OpenAIServer — the routes of `lmlab serve` over FlyingFox's HTTP/1.1 server:
//   GET  /v1/models             the one model served
//   POST /v1/completions        text or token-id prompt; echo, logprobs, stream, n, stop, seed, return_tokens_as_token_ids
//   POST /v1/chat/completions   messages through ERNIE's chat template; logprobs/top_logprobs, stream
// Anything else is an OpenAI-shaped 404. Every failure of a request is answered with its error object, and the
// server goes on; the model work of all requests runs one at a time on the engine's queue.

import FlyingFox
import FlyingSocks
import Foundation

public final class OpenAIServer: @unchecked Sendable {
    public let engine: ServeEngine
    public let host: String
    /// When set, every request must carry `Authorization: Bearer <apiKey>`.
    public let apiKey: String?
    private let http: HTTPServer
    /// Request bodies beyond this are refused (413) before they are parsed, whatever their framing (RequestBody).
    public static let maxBodyBytes = 8 << 20
    private let counter = RequestCounter()

    /// - Parameters:
    ///   - host: an IPv4 address ("127.0.0.1", "0.0.0.0") or "localhost"; `port` 0 picks a free port.
    ///   - timeout: seconds a request may wait for its turn and run.
    /// - Throws: `ServeError` when the host is not an address this server can listen on.
    public init(engine: ServeEngine, host: String = "127.0.0.1", port: UInt16 = 8080, apiKey: String? = nil,
                timeout: Double = 3600) throws {
        self.engine = engine
        self.host = host == "localhost" ? "127.0.0.1" : host
        self.apiKey = apiKey
        let address: sockaddr_in
        do { address = try .inet(ip4: self.host, port: port) } catch {
            throw ServeError(status: 0, "--host \(host) is not an IPv4 address. HINT: use 127.0.0.1 (this machine only) "
                             + "or 0.0.0.0 (every network interface).", param: "host")
        }
        let routes = Routes(engine: engine, apiKey: apiKey, counter: counter)
        http = HTTPServer(config: .init(address: address, timeout: timeout, logger: DisabledLogger.disabled), handler: routes)
    }

    /// Listens and serves until `stop()`. Throws when the port cannot be bound.
    public func run() async throws { try await http.run() }

    /// Waits (up to `timeout` seconds) until the server listens, and returns its URL, e.g. http://127.0.0.1:8080.
    public func waitUntilListening(timeout: Double = 10) async throws -> String {
        try await http.waitUntilListening(timeout: timeout)
        guard case .ip4(_, let port)? = await http.listeningAddress else { return "http://\(host)" }
        return "http://\(host):\(port)"
    }

    /// Stops accepting connections and waits until the answers in progress are sent (at most `drain` seconds).
    /// FlyingFox's own stop waits its whole timeout, so the answers are counted here (`RequestCounter.open`).
    public func stop(drain: Double = 30) async {
        let http = self.http
        Task { await http.stop(timeout: drain) }
        let deadline = Date().addingTimeInterval(drain)
        try? await Task.sleep(nanoseconds: 50_000_000)
        while counter.open > 0 && Date() < deadline { try? await Task.sleep(nanoseconds: 50_000_000) }
        try? await Task.sleep(nanoseconds: 300_000_000)     // the last bytes of the last answer leave the socket
    }
}

/// Numbers the answers (cmpl-1, cmpl-2, …) and counts those not yet sent.
final class RequestCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var unsent = 0
    func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next }
    func opened() { lock.lock(); unsent += 1; lock.unlock() }
    func closed() { lock.lock(); unsent -= 1; lock.unlock() }
    var open: Int { lock.lock(); defer { lock.unlock() }; return unsent }
}

struct Routes: HTTPHandler {
    let engine: ServeEngine
    let apiKey: String?
    let counter: RequestCounter

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let hasBody = Self.hasBody(request)
        do {
            try authorize(request)
            // A GET's body is never read: one sent anyway would be read as more requests, so every GET with one is
            // refused (and, as every error on a request with a body, answered on a connection that then closes).
            if request.method.rawValue == "GET", hasBody {
                throw ServeError(status: 400, "GET \(request.path) takes no body. HINT: send the request without one.")
            }
            switch (request.method.rawValue, request.path) {
            case ("GET", "/v1/models"):
                return Self.json(ResponseWriter(engine: engine, id: "models").models())
            case ("POST", "/v1/completions"):
                return try await complete(request, chat: false)
            case ("POST", "/v1/chat/completions"):
                return try await complete(request, chat: true)
            case (_, "/v1/models"), (_, "/v1/completions"), (_, "/v1/chat/completions"):
                throw ServeError(status: 405, "\(request.method.rawValue) \(request.path) is not served. HINT: "
                                 + (request.path == "/v1/models" ? "use GET." : "use POST with a JSON body."))
            default:
                throw ServeError(status: 404, "No route \(request.method.rawValue) \(request.path). HINT: this server "
                                 + "answers GET /v1/models, POST /v1/completions and POST /v1/chat/completions.",
                                 type: "not_found_error")
            }
        } catch let error as ServeError {
            return Self.failure(error, closing: hasBody)
        } catch {
            return Self.failure(ServeError(status: 500, "\(error)", type: "server_error"), closing: hasBody)
        }
    }

    /// True when the request came with a body (a Content-Length above 0, or chunked). An error answer to it closes
    /// the connection: the body may not have been read to its end, and what is left would be read as more requests.
    static func hasBody(_ request: HTTPRequest) -> Bool { request.bodySequence.count != 0 }

    func authorize(_ request: HTTPRequest) throws {
        guard let apiKey else { return }
        guard request.headers[.authorization] == "Bearer \(apiKey)" else {
            throw ServeError(status: 401, "Missing or wrong API key. HINT: send the header `Authorization: Bearer <key>` "
                             + "with the key given to `lmlab serve --api-key` (the openai client: api_key=…).",
                             type: "authentication_error")
        }
    }

    func complete(_ request: HTTPRequest, chat: Bool) async throws -> HTTPResponse {
        counter.opened()
        var streaming = false
        defer { if !streaming { counter.closed() } }
        let body = try await RequestBody.read(request, limit: OpenAIServer.maxBodyBytes)
        let fields = try RequestJSON.parse(body)
        let p = chat ? try CompletionParameters.chat(fields, engine: engine)
                     : try CompletionParameters.completions(fields, engine: engine)
        var writer = ResponseWriter(engine: engine, id: (chat ? "chatcmpl-" : "cmpl-") + String(counter.take()))
        writer.tokenIdsAsText = p.tokenIdsAsText
        if p.stream { streaming = true; return stream(p, writer: writer, chat: chat) }
        let engine = self.engine
        let choices = try await engine.serialized {
            try (0..<p.n).map { try engine.generate(prompt: p.prompt, settings: p.settings, index: $0) }
        }
        return Self.json(chat ? writer.chat(p, choices) : writer.completion(p, choices))
    }

    /// A server-sent-event stream: one event per token, a last event with the finish reason, then [DONE]. The
    /// model runs on the engine's queue; if the client goes away, the generation stops at the next token.
    func stream(_ p: CompletionParameters, writer: ResponseWriter, chat: Bool) -> HTTPResponse {
        let (events, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
        let gone = ClientGone()
        continuation.onTermination = { _ in gone.set() }
        let engine = self.engine, counter = self.counter
        Task {
            do {
                try await engine.serialized {
                    for index in 0..<p.n {
                        let logprobs = p.settings.logprobs != nil
                        var offset = p.promptText.unicodeScalars.count
                        var sent = ""
                        if chat {
                            continuation.yield(ResponseWriter.event(writer.chatChunk(index: index, delta: ["role": "assistant", "content": ""],
                                                                                     tokens: [], logprobs: false, finish: nil)))
                        }
                        let c = try engine.generate(prompt: p.prompt, settings: p.settings, index: index, onPrompt: { prompt in
                            // With echo the prompt and its log-probs come first, as one event.
                            guard !chat else { return }
                            continuation.yield(ResponseWriter.event(writer.completionChunk(
                                index: index, text: p.promptText, tokens: prompt, offset: 0, logprobs: logprobs, finish: nil)))
                        }) { token, delta in
                            if gone.isSet { throw ServeError(status: 499, "client closed the stream") }
                            sent += delta
                            let event = chat
                                ? writer.chatChunk(index: index, delta: ["content": delta], tokens: [token], logprobs: logprobs, finish: nil)
                                : writer.completionChunk(index: index, text: delta, tokens: [token], offset: offset, logprobs: logprobs, finish: nil)
                            offset += engine.tokenText(token.id).unicodeScalars.count
                            continuation.yield(ResponseWriter.event(event))
                        }
                        // The rest of the text (a character whose bytes never completed) comes with the finish reason.
                        let rest = c.text.hasPrefix(sent) ? String(c.text.dropFirst(sent.count)) : ""
                        continuation.yield(ResponseWriter.event(chat
                            ? writer.chatChunk(index: index, delta: rest.isEmpty ? [:] : ["content": rest], tokens: [], logprobs: false, finish: c.finishReason)
                            : writer.completionChunk(index: index, text: rest, tokens: [], offset: offset, logprobs: false, finish: c.finishReason)))
                    }
                }
            } catch let error as ServeError where error.status == 499 {
            } catch let error as ServeError {
                continuation.yield(Array("data: ".utf8) + Array(error.body) + Array("\n\n".utf8))
            } catch {
                continuation.yield(Array("data: ".utf8) + Array(ServeError(status: 500, "\(error)", type: "server_error").body) + Array("\n\n".utf8))
            }
            continuation.yield(ResponseWriter.done)
            continuation.finish()
            counter.closed()
        }
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                            body: HTTPBodySequence(from: EventBytes(events: events)))
    }

    static func json(_ object: Any, status: Int = 200) -> HTTPResponse {
        HTTPResponse(statusCode: HTTPStatusCode(status, phrase: status == 200 ? "OK" : "Error"),
                     headers: [.contentType: "application/json"], body: ResponseWriter.data(object))
    }

    /// The error's answer; `closing`, on a connection that then closes (the request had a body, which may not have
    /// been read to its end — too long, broken, or refused before it was read).
    static func failure(_ error: ServeError, closing: Bool) -> HTTPResponse {
        let phrase = [400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 405: "Method Not Allowed",
                      413: "Content Too Large", 500: "Internal Server Error"][error.status] ?? "Error"
        let status = HTTPStatusCode(error.status, phrase: phrase)
        guard closing else {
            return HTTPResponse(statusCode: status, headers: [.contentType: "application/json"], body: error.body)
        }
        let body = [UInt8](error.body)
        return HTTPResponse(statusCode: status, headers: [.contentType: "application/json", .connection: "close"],
                            body: HTTPBodySequence(from: ClosingBody(bytes: body), count: body.count))
    }
}

/// Set when a stream's reader has gone away.
final class ClientGone: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.lock(); value = true; lock.unlock() }
    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return value }
}
