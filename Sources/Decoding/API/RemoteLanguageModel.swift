// RemoteLanguageModel — an OpenAI-compatible server as a `LanguageModel`, as far as the server allows.
//
// A completions API reports log-probabilities only for its top-N alternatives, and not every server takes a prompt
// as token ids (vLLM and `lmlab serve` do; llama-cpp-python answers 500 to a list). So this backend
//   • sends the context ids as they are, and when the server refuses a list (any HTTP error to the first request),
//     their text from a local detokenizer (the same tokenizer the server uses) from then on — `promptsAsIds` says
//     which, since a server re-tokenizing text may split it otherwise than the local ids;
//   • asks for one token at temperature 0 with `logprobs: N`, repeat_penalty 1 (no server-side processing) and
//     `return_tokens_as_token_ids` (vLLM's and `lmlab serve`'s "token_id:N"; other servers ignore it),
//   • maps each alternative to a local id (its id when the server names it, else its text), and
//   • returns a log-prob vector that is −∞ outside those N tokens — `topOnly` says N, so explorers show "top-N only"
//     and never pretend the tail is known.
// Greedy decoding over it is exact (the argmax is always among the top N); sampling and beam search see only the
// top N, which is what such a server can give. Every call is one HTTP request, so a context costs a round trip per step.

import Foundation
import LabCore

public final class RemoteLanguageModel: LanguageModel {
    public struct State {
        /// The ids consumed so far.
        public var ids: [Int] = []
    }

    public let client: CompletionsClient
    public let name: String
    public let vocabulary: any Vocabulary
    public let startToken: Int?
    public let endTokens: Set<Int>
    /// Alternatives asked for per step (servers cap it: llama.cpp at 20 or more, vLLM often at 5; see `lmlab probe`).
    public let top: Int
    public var topOnly: Int? { top }
    /// Whether the server takes the context as token ids: nil until the first request, false after it refused.
    public private(set) var promptsAsIds: Bool?

    private let detokenize: ([Int]) -> String
    private let idOfText: (String) -> Int?

    /// - Parameters:
    ///   - detokenize: ids → the prompt text sent to the server.
    ///   - idOfText: a server token's text → the local id (nil when it is not in the local vocabulary).
    public init(client: CompletionsClient, name: String, vocabulary: any Vocabulary, startToken: Int?, endTokens: Set<Int>,
                top: Int = 20, detokenize: @escaping ([Int]) -> String, idOfText: @escaping (String) -> Int?) {
        precondition(top >= 1, "RemoteLanguageModel: top must be ≥ 1")
        self.client = client
        self.name = name
        self.vocabulary = vocabulary
        self.startToken = startToken
        self.endTokens = endTokens
        self.top = top
        self.detokenize = detokenize
        self.idOfText = idOfText
    }

    public func makeState() throws -> State { State() }

    /// - Throws: `CompletionsError` for transport and format problems; `.malformedJSON` when none of the server's
    ///   alternatives is a token of the local vocabulary (the tokenizers differ).
    public func append(_ tokens: [Int], to state: inout State) throws -> [Float] {
        state.ids += tokens
        var request = CompletionRequest(prompt: detokenize(state.ids), maxTokens: 1, temperature: 0, logprobs: top,
                                        repeatPenalty: 1, tokenIds: true)
        let response: CompletionResponse
        if promptsAsIds != false {
            request.promptIds = state.ids
            do {
                response = try client.complete(request, requireLogprobs: true)
                promptsAsIds = true
            } catch CompletionsError.httpStatus(_, let status, _) where promptsAsIds == nil && status != 401 && status != 403 {
                promptsAsIds = false
                request.promptIds = nil
                response = try client.complete(request, requireLogprobs: true)
            }
        } else {
            response = try client.complete(request, requireLogprobs: true)
        }
        let url = client.baseURL.appendingPathComponent("v1/completions").absoluteString
        guard let first = response.choices.first?.logprobs?.first else {
            throw CompletionsError.missingLogprobs(url: url)
        }
        var out = [Float](repeating: -.infinity, count: vocabulary.count)
        var alternatives = first.top ?? []
        if alternatives.isEmpty, let lp = first.logprob { alternatives = [.init(text: first.text, logprob: lp, id: first.id)] }
        var mapped = 0
        for a in alternatives {
            guard let id = a.id ?? idOfText(a.text), id >= 0, id < out.count else { continue }
            out[id] = max(out[id], Float(a.logprob))
            mapped += 1
        }
        if mapped == 0 {
            let shown = alternatives.prefix(3).map { "\"\($0.text)\"" }.joined(separator: ", ")
            throw CompletionsError.malformedJSON(url: url, detail: Learner.text(
                "none of the server's \(alternatives.count) alternatives (\(shown)) is a token of the local "
                    + "vocabulary — does the server use the same tokenizer as the local model?",
                "服务器给的 \(alternatives.count) 个候选（\(shown)）没有一个是本地词表里的词元——"
                    + "服务器用的分词器和本地模型一样吗？"), snippet: "")
        }
        return out
    }
}
