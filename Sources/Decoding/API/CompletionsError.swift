// CompletionsError — what went wrong talking to an OpenAI-compatible `/v1/completions` server, and what to do.
//
// Every message names the URL, says what happened, and ends in a HINT with the fix, in the learner's language.
// The first fix for a server that does not answer is the lab's own (`lmlab serve`, as lesson 10 starts it).

import Foundation
import LabCore

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

    /// The lab's own server, as lesson 10 starts it: the first thing to try when nothing answers.
    public static let serveCommand = "lmlab serve --model tiny-ernie --port 8080"

    /// `serveCommand` on the port of `url`, the one the learner asked (walk 15: `--api http://127.0.0.1:8099` was
    /// told to start a server on 8080); 8080 when the URL names none.
    static func serveCommand(for url: String) -> String {
        guard let port = URLComponents(string: url)?.port, port != 8080 else { return serveCommand }
        return "lmlab serve --model tiny-ernie --port \(port)"
    }

    public var description: String {
        switch self {
        case .connectionFailed(let url, let detail):
            return Learner.text(
                "\(url): could not connect (\(detail)). HINT: start the lab's server in another terminal "
                    + "(`\(Self.serveCommand(for: url))`), or check the host and port.",
                "\(url)：连不上（\(detail)）。HINT：先在另一个终端运行 `\(Self.serveCommand(for: url))` 启动实验室的服务器，"
                    + "或检查主机和端口。")
        case .timedOut(let url, let seconds):
            return Learner.text(
                "\(url): no answer within \(Self.format(seconds)) s. HINT: the server may be busy or loading the "
                    + "model; retry, or raise the timeout (--timeout).",
                "\(url)：\(Self.format(seconds)) 秒内没有回答。HINT：服务器可能正忙或正在加载模型；"
                    + "再试一次，或调大超时（--timeout）。")
        case .httpStatus(let url, let status, let message):
            let said = message.isEmpty ? "" : Learner.text(": \(message)", "：\(message)")
            return Learner.text("\(url): HTTP \(status)\(said). HINT: \(Self.hint(status: status))",
                                "\(url)：HTTP \(status)\(said)。HINT：\(Self.hint(status: status))")
        case .malformedJSON(let url, let detail, let snippet):
            return Learner.text(
                "\(url): the answer is not the JSON of an OpenAI-compatible server (\(detail)); it starts with "
                    + "\"\(snippet)\". HINT: check that the URL points at a /v1/completions server, not a web page "
                    + "or proxy.",
                "\(url)：回答不是 OpenAI 兼容服务器的 JSON（\(detail)）；它的开头是“\(snippet)”。"
                    + "HINT：检查这个地址指向的是 /v1/completions 服务器，而不是网页或代理。")
        case .missingLogprobs(let url):
            return Learner.text(
                "\(url): the answer has no `logprobs`. HINT: this server does not return log-probabilities for "
                    + "/v1/completions (ollama's OpenAI layer ignores them; vLLM needs --max-logprobs ≥ the N you ask "
                    + "for).",
                "\(url)：回答里没有 `logprobs`。HINT：这个服务器的 /v1/completions 不返回对数概率"
                    + "（ollama 的 OpenAI 接口会忽略它；vLLM 需要 --max-logprobs ≥ 你要的 N）。")
        case .badURL(let text):
            return Learner.text("'\(text)' is not a URL. HINT: write it like http://127.0.0.1:8080.",
                                "“\(text)”不是一个地址。HINT：写成 http://127.0.0.1:8080 这样。")
        }
    }

    /// What a status usually means, and the fix.
    static func hint(status: Int) -> String {
        switch status {
        case 404:
            return Learner.text(
                "check the base URL: it should be the server root (e.g. http://127.0.0.1:8080), lmlab adds /v1/…",
                "检查基础地址：它应是服务器的根地址（例如 http://127.0.0.1:8080），/v1/… 由 lmlab 补上。")
        case 400, 422:
            return Learner.text(
                "the server rejected a request field; it may not support logprobs of this size or echo.",
                "服务器拒绝了请求中的某个字段；它可能不支持这么多的 logprobs，或不支持 echo。")
        case 401, 403: return Learner.text("the server wants an API key.", "服务器要求 API 密钥。")
        default: return Learner.text("see the server's log for the cause.", "原因请看服务器的日志。")
        }
    }

    static func format(_ x: Double) -> String {
        x == x.rounded() ? String(Int(x)) : String(format: "%.2g", x)
    }
}
