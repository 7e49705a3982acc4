// CompletionsClient — a small blocking client for OpenAI-compatible servers: POST /v1/completions, GET /v1/models.
//
// Blocking on purpose: commands and lessons run one request at a time and read the answer top to bottom.
// Every failure becomes a `CompletionsError` that says what happened and the fix; nothing here traps.

import Foundation
import LabCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct CompletionsClient: Sendable {
    /// The server root, e.g. http://127.0.0.1:8000 (a trailing /v1 is accepted and dropped).
    public let baseURL: URL
    /// Seconds to wait for a whole answer.
    public var timeout: Double
    public var apiKey: String?

    public init(baseURL: URL, timeout: Double = 30, apiKey: String? = nil) {
        var text = baseURL.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v1") { text.removeLast(3) }
        self.baseURL = URL(string: text) ?? baseURL
        self.timeout = timeout
        self.apiKey = apiKey
    }

    /// Parses a command-line URL ("127.0.0.1:8000" gets http:// in front).
    public init(_ text: String, timeout: Double = 30) throws {
        let full = text.contains("://") ? text : "http://" + text
        guard let url = URL(string: full), url.host != nil else { throw CompletionsError.badURL(text) }
        self.init(baseURL: url, timeout: timeout)
    }

    /// POST /v1/completions.
    /// - Throws: `CompletionsError` (connection, timeout, HTTP status, malformed JSON); with `requireLogprobs`,
    ///   `.missingLogprobs` when the request asked for log-probs and the first choice has none.
    public func complete(_ request: CompletionRequest, requireLogprobs: Bool = false) throws -> CompletionResponse {
        let url = endpoint("v1/completions")
        let body = try JSONSerialization.data(withJSONObject: request.jsonBody(), options: [.sortedKeys])
        let data = try send(url, method: "POST", body: body)
        let response = try CompletionResponse.decode(data, url: url.absoluteString)
        if requireLogprobs, request.logprobs != nil, response.choices.first?.logprobs == nil {
            throw CompletionsError.missingLogprobs(url: url.absoluteString)
        }
        return response
    }

    /// GET /v1/models: the ids of the models the server serves.
    public func models() throws -> [String] {
        let url = endpoint("v1/models")
        let data = try send(url, method: "GET", body: nil)
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let list = root["data"] as? [Any] else {
            throw CompletionsError.malformedJSON(url: url.absoluteString,
                                                 detail: Learner.text("no `data` array", "没有 `data` 数组"),
                                                 snippet: CompletionResponse.snippet(data))
        }
        return list.compactMap { ($0 as? [String: Any])?["id"] as? String }
    }

    func endpoint(_ path: String) -> URL { baseURL.appendingPathComponent(path) }

    /// One HTTP exchange; returns the body of a 2xx answer.
    func send(_ url: URL, method: String, body: Data?) throws -> Data {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        if let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }

        final class Box: @unchecked Sendable { var data: Data?; var response: URLResponse?; var error: Error? }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        let task = session.dataTask(with: request) { data, response, error in
            box.data = data; box.response = response; box.error = error
            done.signal()
        }
        task.resume()
        // A guard beyond URLSession's own timer, so a stuck connection can never hang the caller.
        if done.wait(timeout: .now() + timeout + 2) == .timedOut {
            task.cancel()
            throw CompletionsError.timedOut(url: url.absoluteString, seconds: timeout)
        }
        if let error = box.error { throw Self.classify(error, url: url, timeout: timeout) }
        let data = box.data ?? Data()
        guard let http = box.response as? HTTPURLResponse else {
            throw CompletionsError.connectionFailed(url: url.absoluteString,
                                                    detail: Learner.text("no HTTP response", "没有 HTTP 回答"))
        }
        guard (200..<300).contains(http.statusCode) else {
            throw CompletionsError.httpStatus(url: url.absoluteString, status: http.statusCode,
                                              message: Self.serverMessage(data))
        }
        return data
    }

    static func classify(_ error: Error, url: URL, timeout: Double) -> CompletionsError {
        let ns = error as NSError
        if ns.domain == NSURLErrorDomain && ns.code == NSURLErrorTimedOut {
            return .timedOut(url: url.absoluteString, seconds: timeout)
        }
        let detail: String
        switch (ns.domain, ns.code) {
        case (NSURLErrorDomain, NSURLErrorCannotConnectToHost): detail = Learner.text("connection refused", "连接被拒绝")
        case (NSURLErrorDomain, NSURLErrorCannotFindHost): detail = Learner.text("unknown host", "找不到这个主机")
        case (NSURLErrorDomain, NSURLErrorNetworkConnectionLost):
            detail = Learner.text("the server closed the connection", "服务器关闭了连接")
        default: detail = ns.localizedDescription
        }
        return .connectionFailed(url: url.absoluteString, detail: detail)
    }

    /// The server's own words: OpenAI's {"error": {"message"}}, FastAPI's {"detail"}, or the body's text.
    static func serverMessage(_ data: Data) -> String {
        if let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            if let error = root["error"] as? [String: Any], let message = error["message"] as? String { return message }
            if let message = root["error"] as? String { return message }
            if let detail = root["detail"] as? String { return detail }
            if let message = root["message"] as? String { return message }
        }
        return CompletionResponse.snippet(data)
    }
}
