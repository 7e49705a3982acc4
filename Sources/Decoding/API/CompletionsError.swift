// CompletionsError — what went wrong talking to an OpenAI-compatible `/v1/completions` server, and what to do.
//
// Every message names the URL, says what happened, and ends in a HINT with the fix.

import Foundation

public enum CompletionsError: Error, CustomStringConvertible, Equatable {
    /// Nothing listens at the address (ECONNREFUSED), or the host cannot be reached.
    case connectionFailed(url: String, detail: String)
    /// No complete answer within `seconds`.
    case timedOut(url: String, seconds: Double)
    /// The server answered with a non-2xx status; `message` is its own error text when it sent one.
    case httpStatus(url: String, status: Int, message: String)
    /// The body was not the JSON we expect (`detail` says which part), `snippet` is its start.
    case malformedJSON(url: String, detail: String, snippet: String)
    /// The answer has no `logprobs` (or they are null) although the request asked for them.
    case missingLogprobs(url: String)
    /// The URL could not be parsed.
    case badURL(String)

    public var description: String {
        switch self {
        case .connectionFailed(let url, let detail):
            return "\(url): could not connect (\(detail)). HINT: start the server (e.g. `python3 -m llama_cpp.server "
                + "--model M.gguf --host 127.0.0.1 --port 8000`) or check the host and port."
        case .timedOut(let url, let seconds):
            return "\(url): no answer within \(Self.format(seconds)) s. HINT: the server may be busy or loading the model; "
                + "retry, or raise the timeout (--timeout)."
        case .httpStatus(let url, let status, let message):
            let said = message.isEmpty ? "" : ": \(message)"
            let hint: String
            switch status {
            case 404: hint = "check the base URL: it should be the server root (e.g. http://127.0.0.1:8000), lmlab adds /v1/…"
            case 400, 422: hint = "the server rejected a request field; it may not support logprobs of this size or echo."
            case 401, 403: hint = "the server wants an API key."
            default: hint = "see the server's log for the cause."
            }
            return "\(url): HTTP \(status)\(said). HINT: \(hint)"
        case .malformedJSON(let url, let detail, let snippet):
            return "\(url): the answer is not the JSON of an OpenAI-compatible server (\(detail)); it starts with "
                + "\"\(snippet)\". HINT: check that the URL points at a /v1/completions server, not a web page or proxy."
        case .missingLogprobs(let url):
            return "\(url): the answer has no `logprobs`. HINT: this server does not return log-probabilities for "
                + "/v1/completions (ollama's OpenAI layer ignores them; vLLM needs --max-logprobs ≥ the N you ask for)."
        case .badURL(let text):
            return "'\(text)' is not a URL. HINT: write it like http://127.0.0.1:8000."
        }
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2g", x)
    }
}
