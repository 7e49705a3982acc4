// ServeError — a request the server cannot answer, as OpenAI shapes it:
//   {"error": {"message": "…", "type": "invalid_request_error", "param": "max_tokens", "code": null}}
// with the HTTP status that goes with it (400 bad JSON or field, 401 key, 404 model or path, 413 too long).
// A ServeError ends one request; the server goes on serving the next.

import Foundation

public struct ServeError: Error, Equatable, CustomStringConvertible, Sendable {
    public var status: Int
    public var message: String
    /// OpenAI's error type: "invalid_request_error", "authentication_error", "not_found_error", "server_error".
    public var type: String
    /// The request field at fault (nil when the whole request is).
    public var param: String?

    public init(status: Int, _ message: String, type: String = "invalid_request_error", param: String? = nil) {
        self.status = status; self.message = message; self.type = type; self.param = param
    }

    /// A field with the wrong type or value: 400, naming the field, what was found and what is accepted.
    static func field(_ name: String, _ problem: String, hint: String) -> ServeError {
        ServeError(status: 400, "`\(name)` \(problem). HINT: \(hint)", param: name)
    }

    public var description: String { status == 0 ? message : "HTTP \(status): \(message)" }

    /// The OpenAI error object as JSON bytes.
    public var body: Data {
        let object: [String: Any] = ["error": ["message": message, "type": type, "param": param ?? NSNull(),
                                               "code": NSNull()] as [String: Any]]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
