// RemotePromptScore — P(text) token by token from a server's echoed prompt log-probs, for `lmlab prob --api`.
//
// One request: the ids (or, when the server refuses a list, their text) with `echo: true`, `logprobs: 1`,
// `max_tokens: 1` (llama.cpp reads 0 as "until the context is full"). The answer lists the prompt's tokens, each with
// log P(token | the tokens before it) — the first null, nothing predicts it — then the one generated token, which is
// dropped. Every echoed token must be the local id at its place (by id when the server names it, else by one of the
// texts a server may show for it, `TokenMatch`), so a server that tokenized the text otherwise is an error, not a
// silently different ledger. Servers differ (docs/SERVING.md):
//   `lmlab serve`, vLLM   ids taken, prompt log-probs returned and aligned: exact, as local `prob`;
//   llama-cpp-python      text only; aligned only when the prompt starts with BOS (`lmlab probe` checks);
//                         leaves a leading BOS out of the echo;
//   llama.cpp's server    no prompt log-probs at all: an error that says so.

import Foundation

public enum RemotePromptScore {
    public struct Result: Sendable {
        public let score: SentenceScore
        /// Whether the server took the ids as they are (false: it was sent the text and tokenized it itself).
        public let sentIds: Bool
        /// What the learner should know about these values (English: `prob` prints them under its header).
        public let notes: [String]
    }

    /// - Parameters:
    ///   - ids: the tokens to score, as the local tokenizer gives them (≥ 2).
    ///   - text: the same tokens as text, sent when the server refuses a list of ids.
    ///   - match: the local vocabulary by every text a server may show.
    ///   - piece: an id's piece, for the ledger.
    /// - Throws: `CompletionsError` (transport, status, JSON, no log-probs); `DecodingError` when the server echoed
    ///   no prompt log-probs or other tokens than `ids`.
    public static func score(_ ids: [Int], text: String, client: CompletionsClient, model: String, match: TokenMatch,
                             piece: (Int) -> String) throws -> Result {
        precondition(ids.count >= 2, "RemotePromptScore: the first token is context only, so give at least 2")
        var request = CompletionRequest(prompt: text, maxTokens: 1, temperature: 0, logprobs: 1, echo: true,
                                        repeatPenalty: 1, tokenIds: true)
        request.promptIds = ids
        let url = client.baseURL.appendingPathComponent("v1/completions").absoluteString
        var sentIds = true
        let response: CompletionResponse
        do {
            response = try client.complete(request, requireLogprobs: true)
        } catch CompletionsError.httpStatus(_, let status, _) where status != 401 && status != 403 {
            request.promptIds = nil
            sentIds = false
            response = try client.complete(request, requireLogprobs: true)
        }
        guard let echoed = response.choices.first?.logprobs else { throw CompletionsError.missingLogprobs(url: url) }
        let noPromptLogprobs = DecodingError("\(url): the server echoed no log-probs for the prompt (llama.cpp's own "
            + "server scores only the tokens it generates). HINT: score with a server that returns prompt log-probs — "
            + "`lmlab serve`, vLLM, llama-cpp-python — or locally without --api; `lmlab probe URL` tells which a server is.")
        guard echoed.count > 1 else { throw noPromptLogprobs }
        // The prompt's part of the echo: all but the generated token (llama-cpp-python without a leading BOS sends
        // one value short, so also the whole echo); a server may leave a leading BOS out (`skipped` 1).
        func matches(_ part: [TokenLogprob], skipped: Int) -> Bool {
            part.count + skipped == ids.count && zip(part, ids.dropFirst(skipped)).allSatisfy { token, mine in
                token.id.map { $0 == mine } ?? match.candidates(token.text).contains(mine)
            }
        }
        var found: (part: [TokenLogprob], skipped: Int, short: Bool)?
        for short in [false, true] {
            let part = short ? echoed : Array(echoed.dropLast())
            for skipped in [0, 1] where found == nil && matches(part, skipped: skipped) { found = (part, skipped, short) }
        }
        guard let found else {
            let shown = echoed.prefix(8).map { $0.id.map { "\($0)" } ?? "\"\($0.text)\"" }.joined(separator: ", ")
            throw DecodingError("\(url): the server echoed other tokens than the local tokenizer's \(ids.count) "
                + "(\(echoed.count) tokens: \(shown)\(echoed.count > 8 ? ", …" : "")). HINT: point --model at the folder of "
                + "the server's model, so both sides use one tokenizer; `lmlab probe \(client.baseURL.absoluteString)` "
                + "shows what the server echoes.")
        }
        let (promptPart, skipped, short) = found
        var notes: [String] = []
        if short {
            notes.append("the echo came one value short, as llama-cpp-python's does for a prompt without BOS: it then pairs "
                + "each token with the distribution after it, so these values are misaligned (keep --bos; `lmlab probe` checks)")
        }
        let unscored = (1..<ids.count).filter { $0 >= skipped && promptPart[$0 - skipped].logprob == nil }
        if skipped == 1 || !unscored.isEmpty {
            notes.append("the server scored \(ids.count - 1 - unscored.count) of the \(ids.count - 1) tokens after the first"
                + (skipped == 1 ? " and left the leading \"\(piece(ids[0]))\" out of its echo" : "")
                + (unscored.isEmpty ? "" : "; no log-prob at position \(unscored.map(String.init).joined(separator: ", ")) (shown —), so the total leaves it out"))
        }
        if !sentIds { notes.append("the server refused the ids, so it was sent the text and tokenized it itself (same tokens)") }
        guard promptPart.contains(where: { $0.logprob != nil }) else { throw noPromptLogprobs }
        var tokens: [(id: Int, piece: String, logProb: Double?, context: [String]?, counts: SentenceScore.Counts?)] = []
        for (i, id) in ids.enumerated() {
            let lp = i == 0 || i < skipped ? nil : promptPart[i - skipped].logprob
            tokens.append((id, piece(id), lp, nil, nil))
        }
        return Result(score: SentenceScore(model: model, tokens: tokens), sentIds: sentIds, notes: notes)
    }
}
