// Completion — the request and the tolerant response of OpenAI's legacy `/v1/completions` endpoint, as served by
// vLLM, FastDeploy, llama.cpp's server (and llama-cpp-python's) and ollama.
//
// Two log-prob shapes exist in the wild and both decode into `[TokenLogprob]`:
//   legacy  {"tokens": [..], "text_offset": [..], "token_logprobs": [.. | null], "top_logprobs": [{text: lp} | null]}
//           — no token ids (but for vLLM's "token_id:N" texts); `top_logprobs` is keyed by text, so tokens with the
//           same text collapse into one entry.
//   content {"content": [{"token", "logprob", "bytes", "id"?, "top_logprobs": [{"token", "logprob", "id"?}]}]}
//           — llama.cpp's C++ server and newer servers; some carry ids.
// With `echo: true` the prompt's tokens come first; the first has no log-prob (nothing predicts it), so `null`.

import Foundation
import LabCore

/// A `/v1/completions` request. Fields left nil are not sent, so the server's own defaults apply.
public struct CompletionRequest: Sendable, Equatable {
    public var model: String?
    /// The prompt as text: what every server takes.
    public var prompt: String
    /// The prompt as token ids, sent instead of `prompt` when set: exact on servers that take a list (vLLM,
    /// `lmlab serve`); llama-cpp-python answers HTTP 500 to one, so callers keep the text to fall back on.
    public var promptIds: [Int]?
    /// llama.cpp: 0 means "until the context is full", so probe with 1.
    public var maxTokens: Int
    public var temperature: Double?
    /// Alternatives per position (`top_logprobs` size); nil = no log-probs.
    public var logprobs: Int?
    /// Return the prompt's tokens (and their log-probs) before the generated ones.
    public var echo: Bool
    /// llama.cpp's server defaults to 1.1 over the last 64 tokens even at temperature 0: send 1.0 for true greedy.
    public var repeatPenalty: Double?
    public var seed: UInt64?
    /// vLLM's (and `lmlab serve`'s) `return_tokens_as_token_ids`: tokens come back as "token_id:N", so they are
    /// compared by id; servers that do not know the field ignore it and answer with texts.
    public var tokenIds: Bool

    public init(prompt: String, maxTokens: Int = 16, temperature: Double? = nil, logprobs: Int? = nil,
                echo: Bool = false, repeatPenalty: Double? = nil, seed: UInt64? = nil, model: String? = nil,
                tokenIds: Bool = false) {
        self.prompt = prompt; self.maxTokens = maxTokens; self.temperature = temperature; self.logprobs = logprobs
        self.echo = echo; self.repeatPenalty = repeatPenalty; self.seed = seed; self.model = model
        self.tokenIds = tokenIds
    }

    /// The JSON body, keys as the OpenAI API spells them.
    public func jsonBody() -> [String: Any] {
        var body: [String: Any] = ["prompt": promptIds.map { $0 as Any } ?? prompt, "max_tokens": maxTokens, "echo": echo,
                                   "stream": false]
        if let model { body["model"] = model }
        if let temperature { body["temperature"] = temperature }
        if let logprobs { body["logprobs"] = logprobs }
        if let repeatPenalty { body["repeat_penalty"] = repeatPenalty }
        if let seed { body["seed"] = seed }
        if tokenIds { body["return_tokens_as_token_ids"] = true }
        return body
    }
}

/// One token of a choice with its log-probability and the alternatives the server listed.
public struct TokenLogprob: Sendable, Equatable, Codable {
    public struct Alternative: Sendable, Equatable, Codable {
        public var text: String
        public var logprob: Double
        public var id: Int?
    }
    /// The token's own text (llama.cpp: byte-fallback and control tokens read as "").
    public var text: String
    /// Nil for the first echoed prompt token, or when the server sent null.
    public var logprob: Double?
    /// Token id when the server sends one: llama-server's `id`, or a "token_id:N" text (`return_tokens_as_token_ids`).
    public var id: Int?
    /// Character offset in prompt + completion (legacy shape only).
    public var textOffset: Int?
    /// Alternatives, most probable first; nil when the server sent null for this position.
    public var top: [Alternative]?

    public init(text: String, logprob: Double?, id: Int? = nil, textOffset: Int? = nil, top: [Alternative]? = nil) {
        self.text = text; self.logprob = logprob; self.id = id; self.textOffset = textOffset; self.top = top
    }
}

/// One choice of a completion.
public struct CompletionChoice: Sendable, Equatable {
    public var text: String
    public var finishReason: String?
    /// Nil when the server sent no `logprobs` or `null`.
    public var logprobs: [TokenLogprob]?
}

/// A decoded `/v1/completions` answer.
public struct CompletionResponse: Sendable, Equatable {
    public var model: String?
    public var choices: [CompletionChoice]

    /// Decodes tolerantly: unknown keys are ignored, either log-prob shape is accepted, nulls are kept as nil.
    /// - Throws: `CompletionsError.malformedJSON` naming the missing or mistyped part.
    public static func decode(_ data: Data, url: String) throws -> CompletionResponse {
        func bad(_ en: String, _ zh: String) -> CompletionsError {
            .malformedJSON(url: url, detail: Learner.text(en, zh), snippet: snippet(data))
        }
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw bad("not JSON", "不是 JSON")
        }
        guard let root = object as? [String: Any] else { throw bad("the top level is not an object", "顶层不是对象") }
        guard let rawChoices = root["choices"] as? [Any] else { throw bad("no `choices` array", "没有 `choices` 数组") }
        var choices: [CompletionChoice] = []
        for (i, raw) in rawChoices.enumerated() {
            guard let c = raw as? [String: Any] else {
                throw bad("choices[\(i)] is not an object", "choices[\(i)] 不是对象")
            }
            let text = c["text"] as? String ?? ""
            let finish = c["finish_reason"] as? String
            var logprobs: [TokenLogprob]?
            if let lp = c["logprobs"], !(lp is NSNull) {
                guard let lpObject = lp as? [String: Any] else {
                    throw bad("choices[\(i)].logprobs is not an object", "choices[\(i)].logprobs 不是对象")
                }
                logprobs = try decodeLogprobs(lpObject, at: "choices[\(i)].logprobs", bad)
            }
            choices.append(CompletionChoice(text: text, finishReason: finish, logprobs: logprobs))
        }
        return CompletionResponse(model: root["model"] as? String, choices: choices)
    }

    static func decodeLogprobs(_ lp: [String: Any], at path: String,
                               _ bad: (String, String) -> CompletionsError) throws -> [TokenLogprob] {
        if let content = lp["content"] as? [Any] {
            return try content.enumerated().map { j, entry in
                guard let e = entry as? [String: Any] else {
                    throw bad("\(path).content[\(j)] is not an object", "\(path).content[\(j)] 不是对象")
                }
                let alternatives = (e["top_logprobs"] as? [Any])?.compactMap { a -> TokenLogprob.Alternative? in
                    guard let a = a as? [String: Any], let lp = number(a["logprob"]) else { return nil }
                    let text = a["token"] as? String ?? ""
                    return .init(text: text, logprob: lp, id: integer(a["id"]) ?? TokenText.tokenId(inText: text))
                }
                let text = e["token"] as? String ?? ""
                return TokenLogprob(text: text, logprob: number(e["logprob"]),
                                    id: integer(e["id"]) ?? TokenText.tokenId(inText: text), textOffset: nil, top: alternatives)
            }
        }
        guard let tokens = lp["tokens"] as? [Any] else {
            throw bad("\(path) has neither `tokens` (legacy shape) nor `content`",
                      "\(path) 既没有 `tokens`（旧格式），也没有 `content`")
        }
        let values = lp["token_logprobs"] as? [Any] ?? []
        let offsets = lp["text_offset"] as? [Any] ?? []
        let tops = lp["top_logprobs"] as? [Any] ?? []
        return tokens.enumerated().map { j, token in
            var top: [TokenLogprob.Alternative]?
            if j < tops.count, let dict = tops[j] as? [String: Any] {
                top = dict.compactMap { key, value in
                    number(value).map { .init(text: key, logprob: $0, id: TokenText.tokenId(inText: key)) }
                }
                    .sorted { $0.logprob != $1.logprob ? $0.logprob > $1.logprob : $0.text < $1.text }
            }
            let text = token as? String ?? ""
            return TokenLogprob(text: text, logprob: j < values.count ? number(values[j]) : nil, id: TokenText.tokenId(inText: text),
                                textOffset: j < offsets.count ? integer(offsets[j]) : nil, top: top)
        }
    }

    static func number(_ x: Any?) -> Double? {
        // Not `!(x is Bool)`: on Linux an NSNumber 0 or 1 from JSONSerialization also casts to Bool.
        guard let n = x as? NSNumber else { return nil }
        return n.doubleValue
    }

    /// A JSON number that is a whole number an Int can hold; nil for 1e300, NaN or 2.5 (Int(_:) would trap on the first two).
    static func integer(_ x: Any?) -> Int? { number(x).flatMap { Int(exactly: $0) } }

    /// The first 80 characters of a body, for error messages.
    static func snippet(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
        return text.count > 80 ? String(text.prefix(80)) + "…" : text
    }
}
