// /v1/completions and /v1/models of `lmlab serve` over loopback, against the engine run directly and against
// transformers' numbers for the shipped tiny ERNIE (Tests/ErnieTrainingTests/Fixtures/tiny-ernie-reference.json,
// made by scripts/check_tiny_ernie.py).
import Decoding
import ERNIE
import Foundation
import LabCore
import Serve
import Testing

@Suite(.serialized) struct CompletionsTests {
    @Test func modelsListsTheServedModel() async throws {
        let s = try await Served.get()
        let (status, body) = try await s.json("/v1/models")
        #expect(status == 200)
        let data = try #require(body["data"] as? [[String: Any]])
        #expect(data.map { $0["id"] as? String } == ["tiny-ernie"])
        #expect(data.first?["max_model_len"] as? Int == 4096)
    }

    /// A token-id prompt with echo: the prompt's log-probs are the engine's `prob` ledger (SentenceScore) and
    /// transformers' log softmax, the first null; tokens come back as "token_id:N".
    @Test func echoedPromptLogprobsAreTheProbLedgerAndTransformers() async throws {
        let s = try await Served.get()
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: projectRoot.appendingPathComponent(
            "Tests/ErnieTrainingTests/Fixtures/tiny-ernie-reference.json"))) as? [String: Any]
        let cases = try #require(reference?["cases"] as? [[String: Any]])
        var worstLedger = 0.0, worstTransformers = 0.0, compared = 0
        for c in cases {
            let ids = try #require(c["ids"] as? [Int])
            let nextLogit = try #require(c["next_logit"] as? [Double])
            let logsumexp = try #require(c["logsumexp"] as? [Double])
            let (status, body) = try await s.json("/v1/completions", [
                "model": "tiny-ernie", "prompt": ids, "echo": true, "logprobs": 3, "max_tokens": 1, "temperature": 0,
                "return_tokens_as_token_ids": true])
            #expect(status == 200, "\(body)")
            let lp = body.logprobs
            let values = try #require(lp["token_logprobs"] as? [Any])
            let tokens = try #require(lp["tokens"] as? [String])
            #expect(tokens.prefix(ids.count).map { TokenText.tokenId(inText: $0) } == ids.map { Optional($0) })
            #expect(values.first is NSNull, "nothing predicts the first token")
            #expect((lp["top_logprobs"] as? [Any])?.first is NSNull)
            let ledger = try SentenceScore.score(ids, with: s.model, pieces: s.tokenizer.piece)
            for i in 1..<ids.count {
                let served = try #require((values[i] as? NSNumber)?.doubleValue)
                worstLedger = max(worstLedger, abs(served - Double(ledger.entries[i].logProb!)))
                worstTransformers = max(worstTransformers, abs(served - (nextLogit[i - 1] - logsumexp[i - 1])))
                compared += 1
            }
        }
        print("serve echo vs prob ledger: max |Δ| \(worstLedger); vs transformers: max |Δ| \(worstTransformers) over \(compared) tokens")
        #expect(compared > 20)
        #expect(worstLedger <= 1e-9, "the same float32 numbers, through JSON")
        #expect(worstTransformers <= 1e-4)
    }

    /// Temperature 0 with token ids = the lab's greedy decoder (Sampler, .greedy) token for token.
    @Test func greedyIsTheLabsGreedy() async throws {
        let s = try await Served.get()
        for prompt in ["One day, Luna went to the", "有一天，露娜和她的爸爸", "The dog says"] {
            let ids = s.tokenizer.encode(prompt, addBos: false)
            let expected = try Sampler(choice: .greedy).generate(s.model, prompt: ids, maxNewTokens: 24)
            let (status, body) = try await s.json("/v1/completions", [
                "prompt": prompt, "max_tokens": 24, "temperature": 0, "logprobs": 0, "return_tokens_as_token_ids": true])
            #expect(status == 200)
            let tokens = try #require(body.logprobs["tokens"] as? [String])
            #expect(tokens.compactMap(TokenText.tokenId(inText:)) == expected, "\(prompt)")
            let text = try #require(body.firstChoice["text"] as? String)
            #expect(text == s.tokenizer.decode(expected, skipSpecialTokens: true))
            print("serve greedy \(prompt.debugDescription) → \(text.debugDescription)")
        }
    }

    /// stream: true gives the same text, event by event, ending in data: [DONE].
    @Test func streamAssemblesToTheSameText() async throws {
        let s = try await Served.get()
        for prompt in ["One day, Luna went to the", "有一天，露娜和她的爸爸"] {
            let request: [String: Any] = ["prompt": prompt, "max_tokens": 20, "temperature": 0, "logprobs": 2, "echo": true]
            let (_, whole) = try await s.json("/v1/completions", request)
            var streaming = request
            streaming["stream"] = true
            let (status, data) = try await s.send("/v1/completions", streaming)
            #expect(status == 200)
            let (list, done) = events(data)
            #expect(done)
            let assembled = list.map { ($0.firstChoice["text"] as? String) ?? "" }.joined()
            #expect(assembled == whole.firstChoice["text"] as? String)
            #expect(list.last?.firstChoice["finish_reason"] as? String == whole.firstChoice["finish_reason"] as? String)
            let streamedLogprobs = list.flatMap { ($0.logprobs["token_logprobs"] as? [Any]) ?? [] }
            let wholeLogprobs = whole.logprobs["token_logprobs"] as? [Any] ?? []
            #expect(streamedLogprobs.count == wholeLogprobs.count)
            #expect(zip(streamedLogprobs, wholeLogprobs).allSatisfy { ($0 as? NSNumber) == ($1 as? NSNumber) })
        }
    }

    /// Four clients at once get what one gets (requests are queued; each runs alone).
    @Test func fourConcurrentClientsGetTheAnswersOfOne() async throws {
        let s = try await Served.get()
        let prompts = ["One day, Luna went to the", "The dog says", "有一天，露娜", "The cow says"]
        var alone: [String] = []
        for p in prompts {
            alone.append(try await s.json("/v1/completions", ["prompt": p, "max_tokens": 16, "temperature": 0]).1.firstChoice["text"] as? String ?? "?")
        }
        let together = try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for (i, p) in prompts.enumerated() {
                group.addTask {
                    let (_, body) = try await s.json("/v1/completions", ["prompt": p, "max_tokens": 16, "temperature": 0])
                    return (i, body.firstChoice["text"] as? String ?? "!")
                }
            }
            var out = [String](repeating: "", count: prompts.count)
            for try await (i, t) in group { out[i] = t }
            return out
        }
        #expect(together == alone)
    }

    /// A seed reproduces a sampled answer; n choices draw from seed, seed+1, …; a stop string ends the text before it.
    @Test func seedNAndStop() async throws {
        let s = try await Served.get()
        let request: [String: Any] = ["prompt": "One day, Luna", "max_tokens": 12, "temperature": 1.0, "top_k": 40,
                                      "top_p": 0.95, "seed": 7, "n": 2]
        let (_, a) = try await s.json("/v1/completions", request)
        let (_, b) = try await s.json("/v1/completions", request)
        let textsA = (a["choices"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "" }
        #expect(textsA.count == 2)
        #expect(textsA == (b["choices"] as? [[String: Any]] ?? []).map { $0["text"] as? String ?? "" })
        let greedy = try await s.json("/v1/completions", ["prompt": "One day, Luna went to the", "max_tokens": 16, "temperature": 0]).1
        let text = try #require(greedy.firstChoice["text"] as? String)
        let words = text.split(separator: " ")
        let stop = String(try #require(words.dropFirst(2).first))
        let (_, stopped) = try await s.json("/v1/completions", ["prompt": "One day, Luna went to the", "max_tokens": 16,
                                                                "temperature": 0, "stop": [stop]])
        let cut = try #require(stopped.firstChoice["text"] as? String)
        #expect(cut == String(text[..<text.range(of: stop)!.lowerBound]))
        #expect(stopped.firstChoice["finish_reason"] as? String == "stop")
    }
}
