// ServerProbe — what an OpenAI-compatible server can tell us about its model, found by asking it.
//
// Steps (each a real request; each failure is recorded, never fatal after the server has answered once):
//   1. GET /v1/models                         → does it answer, and the model's name.
//   (every request asks return_tokens_as_token_ids: vLLM and `lmlab serve` then name tokens "token_id:N"; others
//    ignore it)
//   2. POST echo:true, max_tokens 1, logprobs → prompt log-probs? (max_tokens 1, not 0: llama.cpp reads 0 as
//                                               "until the context is full"). The first prompt token is null by nature.
//   3. logprobs 20, 10, 5, 1                  → the largest N it accepts, and how many alternatives came back.
//   3b. the text before an echoed prompt token, as a prompt of its own
//                                             → is the echoed log-prob of that token its log-prob as the next token?
//                                               llama-cpp-python 0.3.36 without a leading BOS pairs prompt token i with
//                                               the distribution AFTER it (measured: " capital" in "The capital of
//                                               France is" got log P(" capital" | "The capital") = −10.9): misaligned.
//   4. the same position at temperature 0.5 and 1.5 (repeat_penalty 1.0, seed 0)
//                                             → changed ⇒ processed; unchanged with mass outside the top N
//                                               (1 − Σp > 1e-5) ⇒ raw (log softmax of the logits); unchanged but the
//                                               top N hold all the mass ⇒ unknown (a confident model's raw log-probs
//                                               or a renormalised top-k). Without the comparison, Σp ≈ 1 ⇒ processed.

import Foundation

public struct ServerProbe: Sendable, Codable, Equatable {
    public enum LogprobKind: String, Sendable, Codable { case raw, processed, unknown }

    public var url: String
    public var answers: Bool
    public var model: String?
    public var promptLogprobs: Bool
    /// Whether an echoed prompt log-prob equals the same token's log-prob asked as the next token (nil: not checked).
    public var promptLogprobsAligned: Bool?
    /// The largest `logprobs` N accepted (nil: none was), and how many alternatives that request returned.
    public var maxTopLogprobs: Int?
    public var returnedTopLogprobs: Int?
    /// nil when no log-probs came back at all.
    public var tokenIds: Bool?
    public var logprobKind: LogprobKind
    /// Why each answer is what it is, in order, for the learner.
    public var notes: [String]

    /// Runs the probe. Throws only when the server never answers (connection refused, timeout).
    public static func run(_ client: CompletionsClient, prompt: String = "The capital of France is") throws -> ServerProbe {
        var probe = ServerProbe(url: client.baseURL.absoluteString, answers: false, model: nil, promptLogprobs: false,
                                maxTopLogprobs: nil, returnedTopLogprobs: nil, tokenIds: nil, logprobKind: .unknown,
                                notes: [])
        // 1. /v1/models
        do {
            let models = try client.models()
            probe.answers = true
            probe.model = models.first
            if models.count > 1 { probe.notes.append("the server lists \(models.count) models; the first is used") }
        } catch let error as CompletionsError {
            switch error {
            case .connectionFailed, .timedOut, .badURL: throw error
            default: probe.notes.append("GET /v1/models failed: \(error)")
            }
        }
        func request(_ logprobs: Int, echo: Bool = false, temperature: Double = 0, prompt: String = prompt) -> CompletionRequest {
            CompletionRequest(prompt: prompt, maxTokens: 1, temperature: temperature, logprobs: logprobs, echo: echo,
                              repeatPenalty: 1.0, seed: 0, model: probe.model, tokenIds: true)
        }
        // 2. prompt log-probs
        var echoed: [TokenLogprob] = []
        var skipped = 0
        do {
            let response = try client.complete(request(1, echo: true))
            probe.answers = true
            let tokens = response.choices.first?.logprobs ?? []
            // Prompt tokens: those starting inside the prompt (legacy text_offset), else all but the generated one.
            // (text_offset counts characters; the Python servers count str characters, which Swift's count matches
            // for the ASCII default prompt.)
            // (text_offset counts Unicode code points, as Python's str does, from the start of the detokenized
            // prompt, which leaves out special tokens such as a leading <s>: `skipped` code points.)
            let scalars = Array(prompt.unicodeScalars)
            let joined = tokens.map(\.text).joined().unicodeScalars
            skipped = (0..<scalars.count).first { joined.starts(with: scalars[$0...]) } ?? 0
            let promptTokens = tokens.contains { $0.textOffset != nil }
                ? tokens.filter { ($0.textOffset ?? Int.max) < scalars.count - skipped }
                : Array(tokens.dropLast())
            echoed = promptTokens
            let promptCount = promptTokens.count
            let scored = promptTokens.filter { $0.logprob != nil }.count
            probe.promptLogprobs = scored > 0
            if probe.promptLogprobs {
                let firstNull = promptTokens.first?.logprob == nil ? " (the first has none: nothing predicts it)" : ""
                probe.notes.append("echo:true returned \(promptCount) prompt tokens, \(scored) with a log-prob" + firstNull)
            } else {
                let why = tokens.isEmpty ? "logprobs null or absent" : "only the generated token was scored"
                probe.notes.append("echo:true returned no prompt log-probs (\(why))")
            }
            if !tokens.isEmpty { probe.tokenIds = tokens.contains { $0.id != nil } }
        } catch let error as CompletionsError {
            if case .connectionFailed = error { throw error }
            if case .timedOut = error { throw error }
            probe.notes.append("echo:true with logprobs failed: \(error)")
        }
        // 3. the largest top_logprobs
        var best: CompletionResponse?
        for n in [20, 10, 5, 1] {
            do {
                let response = try client.complete(request(n))
                guard let first = response.choices.first?.logprobs?.first else {
                    probe.notes.append("logprobs \(n): the answer had no log-probs"); continue
                }
                probe.answers = true
                probe.maxTopLogprobs = n
                probe.returnedTopLogprobs = first.top?.count ?? 0
                if probe.tokenIds == nil { probe.tokenIds = response.choices.first?.logprobs?.contains { $0.id != nil } }
                if (first.top?.count ?? 0) < n {
                    probe.notes.append("logprobs \(n) accepted but \(first.top?.count ?? 0) alternatives returned "
                                       + "(the server may cap N silently, or tokens with the same text collapse in the legacy shape)")
                }
                best = response
                break
            } catch let error as CompletionsError {
                if case .timedOut = error { throw error }
                probe.notes.append("logprobs \(n) rejected: \(error)")
            }
        }
        // 3b. echoed log-probs aligned with their tokens?
        if let n = probe.maxTopLogprobs, probe.promptLogprobs {
            let checkable = echoed.filter { ($0.textOffset ?? 0) > 0 && $0.logprob != nil && !$0.text.isEmpty }
            for token in checkable.suffix(2).reversed() {
                guard let offset = token.textOffset, let echoedLP = token.logprob else { continue }
                let before = String(String.UnicodeScalarView(prompt.unicodeScalars.prefix(skipped + offset)))
                guard let top = try? client.complete(request(n, prompt: before)).choices.first?.logprobs?.first?.top,
                      let same = top.first(where: { token.id != nil ? $0.id == token.id : $0.text == token.text }) else { continue }
                let diff = abs(same.logprob - echoedLP)
                let numbers = "echoed \(String(format: "%.4f", echoedLP)), as the next token \(String(format: "%.4f", same.logprob))"
                probe.promptLogprobsAligned = diff < 1e-3
                if diff < 1e-3 {
                    probe.notes.append("the echoed log-prob of \"\(token.text)\" is its log-prob as the next token of the text before it (\(numbers)): aligned")
                } else {
                    probe.notes.append("the echoed log-prob of \"\(token.text)\" is NOT its log-prob as the next token of the text before it (\(numbers)): "
                                       + "the echoed values are misaligned (llama-cpp-python scores each prompt token with the distribution after it "
                                       + "unless the prompt starts with BOS: send the BOS text, e.g. <s>, first)")
                }
                break
            }
            if probe.promptLogprobsAligned == nil {
                probe.notes.append("could not check that the echoed log-probs belong to their tokens (the token was not among the top \(n) when asked as the next token)")
            }
        }
        // 4. raw or processed
        if let n = probe.maxTopLogprobs, let greedy = best?.choices.first?.logprobs?.first?.top {
            let mass = greedy.reduce(0) { $0 + exp($1.logprob) }
            var sameAtBothTemperatures = false
            do {
                let cool = try client.complete(request(n, temperature: 0.5)).choices.first?.logprobs?.first?.top
                let hot = try client.complete(request(n, temperature: 1.5)).choices.first?.logprobs?.first?.top
                if let cool, let hot, let a = cool.first, let b = hot.first {
                    let diff = abs(a.logprob - b.logprob)
                    if a.text == b.text && diff < 1e-4 && 1 - mass > 1e-5 {
                        probe.logprobKind = .raw
                        probe.notes.append("the top log-prob is the same at temperature 0.5 and 1.5 (Δ \(diff)) and the "
                                           + "top \(greedy.count) hold Σp = \(String(format: "%.6f", mass)) < 1: raw")
                    } else if a.text == b.text && diff < 1e-4 {
                        probe.notes.append("the top log-prob is the same at temperature 0.5 and 1.5 (Δ \(diff)), but the top "
                                           + "\(greedy.count) hold all the mass (Σp = \(String(format: "%.6f", mass))): raw log-probs of a "
                                           + "confident model or a renormalised top-k cannot be told apart; try another --prompt")
                        sameAtBothTemperatures = true
                    } else if diff >= 1e-4 {
                        probe.logprobKind = .processed
                        probe.notes.append("the top log-prob moves with temperature (Δ \(String(format: "%.4f", diff))): "
                                           + "processed")
                    }
                }
            } catch let error as CompletionsError {
                probe.notes.append("temperature comparison failed: \(error)")
            }
            if probe.logprobKind == .unknown && !sameAtBothTemperatures {
                if greedy.count > 1, abs(mass - 1) < 1e-3 {
                    probe.logprobKind = .processed
                    probe.notes.append("the top \(greedy.count) alternatives hold all the probability: processed")
                } else {
                    probe.notes.append("cannot tell raw from processed log-probs")
                }
            }
        }
        return probe
    }

    /// The findings as aligned lines, then the notes (what `lmlab probe` prints).
    public var summary: String {
        var lines = ["server           \(url)"]
        lines.append("answers          \(answers ? "yes" : "no")")
        lines.append("model            \(model ?? "unknown (no GET /v1/models)")")
        let alignment = promptLogprobsAligned.map { $0 ? " (aligned with their tokens)" : " but MISALIGNED with their tokens (see below)" } ?? ""
        lines.append("prompt log-probs \(promptLogprobs ? "prompt log-probs available" + alignment : "no prompt log-probs")")
        let top = maxTopLogprobs.map { n in "\(n)" + (returnedTopLogprobs.map { $0 < n ? " (returned \($0))" : "" } ?? "") }
        lines.append("max logprobs N   \(top ?? "none accepted")")
        lines.append("token ids        \(tokenIds.map { $0 ? "yes" : "no (text only)" } ?? "unknown")")
        lines.append("log-probs are    \(logprobKind.rawValue)")
        if !notes.isEmpty { lines.append(""); lines += notes.map { "• " + $0 } }
        return lines.joined(separator: "\n")
    }
}
