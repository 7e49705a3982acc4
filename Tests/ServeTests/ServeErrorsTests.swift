// Chat, errors and the API key of `lmlab serve`: every bad request gets an OpenAI error object with the right
// status, and the server answers the next request as before.
import Decoding
import Foundation
import LabCore
import LabTestSupport
import Serve
import Testing
import Tokenizers

@Suite(.serialized) struct ServeErrorsTests {
    /// Chat completions: the messages through ERNIE's template, greedy = the lab's greedy over those ids; logprobs in
    /// the `content` shape with bytes.
    @Test func chatAnswersThroughTheChatTemplate() async throws {
        let s = try await Served.get()
        let messages = [ChatMessage(.user, "What does the cow say?")]
        let ids = try s.tokenizer.encodeChat(messages)
        let expected = try Sampler(choice: .greedy).generate(s.model, prompt: ids, maxNewTokens: 16)
        let (status, body) = try await s.json("/v1/chat/completions", [
            "model": "tiny-ernie", "messages": [["role": "user", "content": "What does the cow say?"]], "max_tokens": 16,
            "temperature": 0, "logprobs": true, "top_logprobs": 2])
        #expect(status == 200, "\(body)")
        let message = try #require(body.firstChoice["message"] as? [String: Any])
        #expect(message["role"] as? String == "assistant")
        #expect(message["content"] as? String == s.tokenizer.decode(expected, skipSpecialTokens: true))
        let content = try #require(body.logprobs["content"] as? [[String: Any]])
        #expect(content.count == expected.count)
        #expect(content.allSatisfy { ($0["top_logprobs"] as? [Any])?.count == 2 && $0["bytes"] is [Any] })
        print("serve chat → \((message["content"] as? String ?? "").debugDescription)")

        var streamed = ""
        let (_, data) = try await s.send("/v1/chat/completions", [
            "messages": [["role": "user", "content": "What does the cow say?"]], "max_tokens": 16, "temperature": 0,
            "stream": true])
        let (list, done) = events(data)
        #expect(done)
        for e in list { streamed += (e.firstChoice["delta"] as? [String: Any])?["content"] as? String ?? "" }
        #expect(streamed == message["content"] as? String)
    }

    @Test func badRequestsGetOpenAIErrorsAndTheServerGoesOn() async throws {
        let s = try await Served.get()
        let cases: [(String, Data?, [String: Any]?, Int, String?)] = [
            ("malformed JSON", Data("{\"prompt\": \"hi\",".utf8), nil, 400, nil),
            ("not an object", Data("[1, 2]".utf8), nil, 400, nil),
            ("unknown model", nil, ["model": "gpt-4", "prompt": "hi"], 404, "model"),
            ("temperature as text", nil, ["prompt": "hi", "temperature": "hot"], 400, "temperature"),
            ("echo as a number", nil, ["prompt": "hi", "echo": 1], 400, "echo"),
            ("logprobs too many", nil, ["prompt": "hi", "logprobs": 21], 400, "logprobs"),
            ("id outside the vocabulary", nil, ["prompt": [1, 5, 99999]], 400, "prompt"),
            ("prompt beyond the context", nil, ["prompt": [Int](repeating: 5, count: 4096)], 413, "prompt"),
            ("prompt + max_tokens beyond the context", nil, ["prompt": [Int](repeating: 5, count: 4000), "max_tokens": 200], 400, "max_tokens"),
            ("no prompt", nil, ["max_tokens": 3], 400, "prompt"),
        ]
        for (name, raw, body, expectedStatus, param) in cases {
            let (status, answer) = try await s.json("/v1/completions", body, raw: raw)
            #expect(status == expectedStatus, "\(name): \(answer)")
            let error = try #require(answer.error, "\(name): an error object")
            #expect((error["message"] as? String ?? "").contains("HINT:"), "\(name)")
            #expect(error["type"] is String, "\(name)")
            #expect(error.keys.contains("param"), "\(name)")
            if let param { #expect(error["param"] as? String == param, "\(name): \(error)") }
        }
        let (notFound, answer) = try await s.json("/v2/nothing")
        #expect(notFound == 404 && answer.error != nil)
        // Still serving.
        let (status, body) = try await s.json("/v1/completions", ["prompt": "The dog says", "max_tokens": 2, "temperature": 0])
        #expect(status == 200 && body.firstChoice["text"] is String)
    }

    @Test func anAPIKeyIsRequiredWhenSet() async throws {
        let s = try await Served.withKey()
        #expect(try await s.json("/v1/models").0 == 401)
        #expect(try await s.json("/v1/models", headers: ["Authorization": "Bearer nope"]).0 == 401)
        #expect(try await s.json("/v1/models", headers: ["Authorization": "Bearer sesame"]).0 == 200)
    }

    /// `lmlab probe` against `lmlab serve`: everything the course needs, found by asking.
    @Test func theProbeReportsServesCapabilities() async throws {
        let s = try await Served.get()
        let probe = try await Task.detached {
            try ServerProbe.run(CompletionsClient(baseURL: URL(string: s.url)!, timeout: 60))
        }.value
        print(probe.summary)
        #expect(probe.answers && probe.model == "tiny-ernie")
        #expect(probe.promptLogprobs && probe.promptLogprobsAligned == true)
        #expect(probe.maxTopLogprobs == 20 && probe.returnedTopLogprobs == 20)
        #expect(probe.tokenIds == true)
        #expect(probe.logprobKind == .raw)
    }
}

/// What `lmlab serve` says on the console (not in its API answers, which stay English) follows the learner's
/// language: a port out of range here, its start and stop lines in LabCLITests' ServeCommandTests.
@Test func servesConsoleWordsFollowTheLearnersLanguage() {
    func message(_ language: LessonLanguage) -> String {
        Learner.$language.withValue(language) {
            do { _ = try ServeLoop.serve(model: "m", host: "127.0.0.1", port: 70_000, apiKey: nil) { _, _ in } } catch {
                return "\(error)"
            }
            return "no error"
        }
    }
    let (en, zh) = (message(.en), message(.zh))
    #expect(en == "--port 70000 is outside 0…65535. HINT: give a port in 0…65535, or 0 for a free one.")
    #expect(ChineseWording.problem(zh: zh, en: en) == nil && zh.hasPrefix("--port 70000 超出了 0…65535。"), "\(zh)")
}
