// CompletionParameters — a /v1/completions or /v1/chat/completions body, read field by field into the prompt ids
// and the decoder's settings. Every field with a wrong type or value is a 400 naming it; unknown fields are
// ignored (clients send many that do not apply: `user`, `frequency_penalty: 0`, …).

import Foundation
import ModelFiles
import Tokenizers

public struct CompletionParameters: Sendable {
    public var prompt: [Int]
    public var settings: GenerationSettings
    public var n: Int
    public var stream: Bool
    /// vLLM's `return_tokens_as_token_ids`: tokens written as "token_id:N".
    public var tokenIdsAsText: Bool
    /// The prompt as text (what `echo` puts before the completion).
    public var promptText: String

    /// Choices per request; they run one after the other.
    public static let maxChoices = 16

    /// Reads a /v1/completions body.
    static func completions(_ f: [String: JSONValue], engine: ServeEngine) throws -> CompletionParameters {
        let r = RequestFields(fields: f)
        try checkModel(r, engine)
        let ids: [Int]
        let promptHint = "send a string, or a list of token ids, e.g. [1, 812, 814]."
        var prompt = f["prompt"]
        // A list holding one prompt (["text"] or [[1, 2, 3]]) is that prompt.
        if case .array(let list)? = prompt, list.count == 1 {
            switch list[0] { case .string, .array: prompt = list[0]; default: break }
        }
        switch prompt {
        case .string(let s)?: ids = engine.tokenizer.encode(s, addBos: false)
        case .array(let list)? where !list.isEmpty && list.allSatisfy({ if case .number = $0 { return true } else { return false } }):
            ids = try tokenIds(list, hint: promptHint)
        case .array?: throw ServeError.field("prompt", "is a list that is not one prompt (empty, several prompts, or mixed)", hint: "send one prompt per request (" + promptHint + ")")
        case nil, .null?: throw ServeError.field("prompt", "is missing", hint: promptHint)
        case let other?: throw ServeError.field("prompt", "is \(other.typeName)", hint: promptHint)
        }
        var s = try common(r, engine: engine, promptCount: ids.count, maxTokensField: "max_tokens", defaultMax: 16)
        s.logprobs = try r.integer("logprobs", in: 0...ServeEngine.maxLogprobs)
        s.echo = try r.bool("echo") ?? false
        try engine.checkPrompt(ids, maxTokens: s.maxTokens)
        if s.maxTokens == 0 && !s.echo {
            throw ServeError.field("max_tokens", "is 0 without echo, which answers nothing",
                                   hint: "ask for at least 1 token, or set echo: true to score the prompt alone.")
        }
        return CompletionParameters(prompt: ids, settings: s, n: try r.integer("n", in: 1...maxChoices) ?? 1,
                                    stream: try r.bool("stream") ?? false,
                                    tokenIdsAsText: try r.bool("return_tokens_as_token_ids") ?? false,
                                    promptText: engine.tokenizer.decode(ids))
    }

    /// Reads a /v1/chat/completions body: the messages through ERNIE's chat template (the tokenizer's own).
    static func chat(_ f: [String: JSONValue], engine: ServeEngine) throws -> CompletionParameters {
        let r = RequestFields(fields: f)
        try checkModel(r, engine)
        let hint = "send [{\"role\": \"user\", \"content\": \"Hello\"}]; roles: system, user, assistant."
        guard case .array(let list)? = f["messages"], !list.isEmpty else {
            throw ServeError.field("messages", f["messages"] == nil ? "is missing" : "is not a non-empty list", hint: hint)
        }
        let messages: [ChatMessage] = try list.enumerated().map { i, m in
            guard let o = m.fields, case .string(let roleName)? = o["role"], let role = ChatRole(rawValue: roleName) else {
                throw ServeError.field("messages[\(i)].role", "is missing or not system, user or assistant", hint: hint)
            }
            switch o["content"] {
            case .string(let text)?: return ChatMessage(role, text)
            case .array(let parts)?:    // [{"type": "text", "text": "…"}]
                let texts: [String] = try parts.map {
                    guard let p = $0.fields, case .string("text")? = p["type"], case .string(let t)? = p["text"] else {
                        throw ServeError.field("messages[\(i)].content", "holds a part that is not text", hint: "send text parts only: this model reads text.")
                    }
                    return t
                }
                return ChatMessage(role, texts.joined())
            default: throw ServeError.field("messages[\(i)].content", "is not a string", hint: hint)
            }
        }
        let ids: [Int]
        do { ids = try engine.tokenizer.encodeChat(messages) } catch {
            throw ServeError(status: 500, "\(error)", type: "server_error")
        }
        let room = max(0, engine.contextLength - ids.count)
        let maxField = r.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens"
        var s = try common(r, engine: engine, promptCount: ids.count, maxTokensField: maxField, defaultMax: room)
        if try r.bool("logprobs") ?? false {
            s.logprobs = try r.integer("top_logprobs", in: 0...ServeEngine.maxLogprobs) ?? 0
        } else if r.has("top_logprobs") {
            throw ServeError.field("top_logprobs", "is set but logprobs is not true", hint: "send \"logprobs\": true with it.")
        }
        try engine.checkPrompt(ids, maxTokens: max(1, s.maxTokens))
        return CompletionParameters(prompt: ids, settings: s, n: try r.integer("n", in: 1...maxChoices) ?? 1,
                                    stream: try r.bool("stream") ?? false, tokenIdsAsText: false,
                                    promptText: engine.tokenizer.decode(ids))
    }

    /// A request naming another model is a 404.
    static func checkModel(_ r: RequestFields, _ engine: ServeEngine) throws {
        if let name = try r.string("model"), name != engine.modelName {
            throw ServeError(status: 404, "The model `\(name)` does not exist. HINT: this server serves "
                             + "`\(engine.modelName)` (GET /v1/models).", param: "model")
        }
    }

    /// The sampling fields both endpoints share.
    static func common(_ r: RequestFields, engine: ServeEngine, promptCount: Int, maxTokensField: String,
                       defaultMax: Int) throws -> GenerationSettings {
        var s = GenerationSettings()
        s.maxTokens = try r.integer(maxTokensField, in: 0...engine.contextLength) ?? defaultMax
        s.temperature = Float(try r.number("temperature", in: 0...100) ?? 1)
        s.topP = try r.number("top_p", in: 0...1).map(Float.init)
        if s.topP == 0 { throw ServeError.field("top_p", "is 0, which keeps no token", hint: "send a number above 0 and at most 1 (1 keeps all).") }
        // vLLM: top_k −1 or 0 means all tokens.
        s.topK = try r.integer("top_k", in: -1...1_000_000).flatMap { $0 > 0 ? $0 : nil }
        s.minP = try r.number("min_p", in: 0...1).map(Float.init)
        s.seed = try r.integer("seed", in: 0...(1 << 53)).map { UInt64($0) }
        s.stop = try r.stopStrings()
        return s
    }

    static func tokenIds(_ list: [JSONValue], hint: String) throws -> [Int] {
        try list.map {
            guard let x = $0.number, let id = Int(exactly: x) else {
                throw ServeError.field("prompt", "holds \($0.typeName == "a number" ? "a number that is not a whole id" : $0.typeName)", hint: hint)
            }
            return id
        }
    }
}
