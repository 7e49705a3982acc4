// ServeResponses — the JSON the server answers, in OpenAI's shapes:
//   completions  {"id", "object": "text_completion", "created", "model", "choices": [{"index", "text",
//                 "logprobs": {"tokens", "token_logprobs", "top_logprobs", "text_offset"} | null, "finish_reason"}],
//                 "usage": {"prompt_tokens", "completion_tokens", "total_tokens"}}
//   chat         {"object": "chat.completion", "choices": [{"index", "message": {"role", "content"},
//                 "logprobs": {"content": [{"token", "logprob", "bytes", "top_logprobs": [{"token", "logprob", "bytes"}]}]},
//                 "finish_reason"}], …}
//   streams      the same as "text_completion" / "chat.completion.chunk" events, one per token, then `data: [DONE]`.
// Log-probs are the model's own (log softmax of the logits), whatever the temperature: `lmlab probe` reads "raw".
// With `echo` the prompt's tokens come first, the first with null (nothing predicts it).

import Foundation
import Decoding
import Tokenizers

struct ResponseWriter: Sendable {
    let engine: ServeEngine
    let id: String
    let created = Int(Date().timeIntervalSince1970)
    /// Tokens spelled "token_id:N" (return_tokens_as_token_ids).
    var tokenIdsAsText = false

    func tokenName(_ id: Int) -> String { tokenIdsAsText ? TokenText.tokenIdText(id) : engine.tokenText(id) }

    /// The legacy log-probs object of these tokens; `offset` is where the first one starts in the answer's text.
    func legacyLogprobs(_ tokens: [ServedToken], offset: Int) -> [String: Any] {
        var offsets: [Int] = []
        var at = offset
        for t in tokens { offsets.append(at); at += engine.tokenText(t.id).unicodeScalars.count }
        return [
            "tokens": tokens.map { tokenName($0.id) },
            "token_logprobs": tokens.map { t -> Any in t.logprob.map { Double($0) as Any } ?? NSNull() },
            "top_logprobs": tokens.map { t -> Any in
                guard t.logprob != nil else { return NSNull() }
                var d: [String: Double] = [:]
                for alt in t.top where d[tokenName(alt.id)] == nil { d[tokenName(alt.id)] = Double(alt.logprob) }
                return d
            },
            "text_offset": offsets,
        ]
    }

    /// The chat log-probs object of these tokens.
    func chatLogprobs(_ tokens: [ServedToken]) -> [String: Any] {
        func entry(_ id: Int, _ lp: Float) -> [String: Any] {
            let bytes = engine.tokenizer.isSpecial(id) || id >= engine.tokenizer.count ? []
                : TokenText.bytes(ofPiece: engine.tokenizer.piece(id))
            return ["token": engine.tokenText(id), "logprob": Double(lp), "bytes": bytes.map(Int.init)]
        }
        return ["content": tokens.map { t -> [String: Any] in
            var e = entry(t.id, t.logprob ?? 0)
            e["top_logprobs"] = t.top.map { entry($0.id, $0.logprob) }
            return e
        }]
    }

    func completion(_ p: CompletionParameters, _ choices: [ServedChoice]) -> [String: Any] {
        let promptLength = p.promptText.unicodeScalars.count
        return [
            "id": id, "object": "text_completion", "created": created, "model": engine.modelName,
            "choices": choices.enumerated().map { i, c -> [String: Any] in
                var logprobs: Any = NSNull()
                if p.settings.logprobs != nil {
                    logprobs = p.settings.echo ? legacyLogprobs(c.promptTokens + c.tokens, offset: 0)
                        : legacyLogprobs(c.tokens, offset: promptLength)
                }
                return ["index": i, "text": (p.settings.echo ? p.promptText : "") + c.text, "logprobs": logprobs,
                        "finish_reason": c.finishReason]
            },
            "usage": usage(p, choices),
        ]
    }

    func chat(_ p: CompletionParameters, _ choices: [ServedChoice]) -> [String: Any] {
        [
            "id": id, "object": "chat.completion", "created": created, "model": engine.modelName,
            "choices": choices.enumerated().map { i, c -> [String: Any] in
                ["index": i, "message": ["role": "assistant", "content": c.text],
                 "logprobs": p.settings.logprobs != nil ? chatLogprobs(c.tokens) : NSNull(),
                 "finish_reason": c.finishReason]
            },
            "usage": usage(p, choices),
        ]
    }

    func usage(_ p: CompletionParameters, _ choices: [ServedChoice]) -> [String: Int] {
        let generated = choices.reduce(0) { $0 + $1.tokens.count }
        return ["prompt_tokens": p.prompt.count, "completion_tokens": generated, "total_tokens": p.prompt.count + generated]
    }

    /// One streamed completion event: `text` and these tokens' log-probs (nil: none asked).
    func completionChunk(index: Int, text: String, tokens: [ServedToken], offset: Int, logprobs: Bool,
                         finish: String?) -> [String: Any] {
        ["id": id, "object": "text_completion", "created": created, "model": engine.modelName,
         "choices": [["index": index, "text": text,
                      "logprobs": logprobs && !tokens.isEmpty ? legacyLogprobs(tokens, offset: offset) : NSNull(),
                      "finish_reason": finish ?? NSNull()] as [String: Any]]]
    }

    /// One streamed chat event: `delta` ({"role"} first, then {"content"}, then {}).
    func chatChunk(index: Int, delta: [String: String], tokens: [ServedToken], logprobs: Bool,
                   finish: String?) -> [String: Any] {
        ["id": id, "object": "chat.completion.chunk", "created": created, "model": engine.modelName,
         "choices": [["index": index, "delta": delta,
                      "logprobs": logprobs && !tokens.isEmpty ? chatLogprobs(tokens) : NSNull(),
                      "finish_reason": finish ?? NSNull()] as [String: Any]]]
    }

    func models() -> [String: Any] {
        ["object": "list", "data": [["id": engine.modelName, "object": "model", "created": created, "owned_by": "lmlab",
                                     "max_model_len": engine.contextLength] as [String: Any]]]
    }

    static func data(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }

    /// One server-sent event.
    static func event(_ object: Any) -> [UInt8] { Array("data: ".utf8) + Array(data(object)) + Array("\n\n".utf8) }
    static let done = Array("data: [DONE]\n\n".utf8)
}
