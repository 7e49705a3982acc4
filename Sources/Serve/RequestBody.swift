// RequestBody — a request's body read with one bound whatever its framing: a Content-Length above the limit is
// refused before a byte is read, and a chunked body (Transfer-Encoding: chunked, which has no length up front) is
// counted as it arrives and cut at the same limit. Without the count a 200 MB chunked body took `serve` to 4 GB.
// Broken chunk framing is the client's mistake: a 400 saying so, not a 500 quoting the HTTP library's internals.
//
// A request refused before its body was read to the end (too long, broken, no key, no such route) is answered on a
// connection that then closes: FlyingFox keeps an HTTP/1.1 connection open unless the *request* said
// `Connection: close` (the answer's header does not count), and it would read the unread body as the next requests
// (a body that held "GET /v1/models …" was answered as one). `ClosingBody` is how the answer closes it.

import FlyingFox
import FlyingSocks
import Foundation

enum RequestBody {
    /// The body of `request`, at most `limit` bytes.
    /// - Throws: `ServeError` 413 when the body is longer (by its Content-Length, or once `limit` bytes have come),
    ///   400 when its chunked framing is broken; both close the connection (the rest of the body is never read).
    static func read(_ request: HTTPRequest, limit: Int) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw tooLarge("The request body has \(length) bytes; at most \(limit) are read.")
        }
        var body = Data()
        do {
            for try await piece in request.bodySequence {
                guard body.count + piece.count <= limit else {
                    throw tooLarge("The request body is longer than \(limit) bytes, the most this server reads "
                                   + "(it stopped reading there).")
                }
                body.append(piece)
            }
        } catch let error as ServeError {
            throw error
        } catch {
            throw ServeError(status: 400, "The request body could not be read: \(reason(error)). HINT: send "
                             + "the JSON body with a Content-Length header (any HTTP client does), or, when "
                             + "it is chunked, as size lines in hex, each chunk followed by CRLF, ending in 0.")
        }
        return body
    }

    static func tooLarge(_ problem: String) -> ServeError {
        ServeError(status: 413, problem + " HINT: send a shorter prompt.")
    }

    /// What broke, in the HTTP library's own words when it has some ("Expected CRLF after chunk-data"), without the
    /// type's name around them.
    static func reason(_ error: Error) -> String {
        let text = (error as? LocalizedError)?.errorDescription ?? error.localizedDescription
        return text.isEmpty ? "the connection broke" : text.prefix(200).trimmingCharacters(in: .whitespaces)
    }
}

/// The bytes of an answer after which the connection closes: it gives them, then throws, and FlyingFox closes a
/// connection whose answer fails to send, once the bytes before are written (HTTPServer.handleConnection).
/// FlyingFox 0.27 has no other way for a handler to end a kept-alive connection.
struct ClosingBody: AsyncBufferedSequence {
    typealias Element = UInt8
    let bytes: [UInt8]

    func makeAsyncIterator() -> Iterator { Iterator(pending: bytes[...]) }

    struct ConnectionEnds: Error {}

    struct Iterator: AsyncBufferedIteratorProtocol {
        var pending: ArraySlice<UInt8>

        mutating func next() async throws -> UInt8? {
            guard let byte = pending.popFirst() else { throw ConnectionEnds() }
            return byte
        }

        mutating func nextBuffer(suggested count: Int) async throws -> ArraySlice<UInt8>? {
            guard !pending.isEmpty else { throw ConnectionEnds() }
            let out = pending.prefix(count)
            pending = pending.dropFirst(out.count)
            return out
        }
    }
}
