// CompletionsClient and ServerProbe against APILoopbackServer serving the hand-written llama.cpp-style answers of
// Fixtures/API (see its README: written from PLATFORM.md, not captured from a real server). No real network.

import Decoding
import Foundation
import LabTestSupport
import Testing

private typealias Server = APILoopbackServer

/// A llama-cpp-python-like server: legacy shape, any `logprobs` N accepted (5 alternatives come back), log-probs
/// unchanged by temperature; `echoLogprobs` false answers echo:true with `"logprobs": null`.
private func llamaLike(echoLogprobs: Bool) -> Server {
    Server { r in
        switch (r.method, r.path) {
        case ("GET", "/v1/models"): return Server.ok("models.json")
        case ("POST", "/v1/completions"):
            if r.json?["echo"] as? Bool == true {
                return Server.ok(echoLogprobs ? "echo_prompt_logprobs.json" : "echo_null_logprobs.json")
            }
            return Server.ok("top5.json")
        default: return nil
        }
    }
}

private func started(_ s: Server) throws -> Server { try s.start(); return s }

@Suite struct APIClientTests {

@Test func probeReportsPromptLogprobsWhenEchoReturnsThem() throws {
    let server = try started(llamaLike(echoLogprobs: true)); defer { server.stop() }
    let probe = try ServerProbe.run(CompletionsClient(baseURL: server.url, timeout: 5))
    print(probe.notes.joined(separator: "\n"))
    #expect(probe.answers)
    #expect(probe.model == "tiny-ernie-f32.gguf")
    #expect(probe.promptLogprobs)
    #expect(probe.notes.contains { $0.contains("returned 5 prompt tokens, 4 with a log-prob") })
    #expect(probe.maxTopLogprobs == 20)       // the first N tried, accepted
    #expect(probe.returnedTopLogprobs == 5)   // but only five alternatives came back
    #expect(probe.tokenIds == false)          // legacy shape: text only
    #expect(probe.logprobKind == .raw)        // same at temperature 0.5 and 1.5, Σp of the top 5 < 1
    // The probe asked the way PLATFORM.md says: max_tokens 1 (0 = until context is full), repeat_penalty 1.0.
    let echo = try #require(server.requests.first { $0.json?["echo"] as? Bool == true })
    #expect(echo.json?["max_tokens"] as? Int == 1)
    #expect(echo.json?["repeat_penalty"] as? Double == 1.0)
    #expect(echo.json?["model"] as? String == "tiny-ernie-f32.gguf")
    #expect(probe.summary.contains("prompt log-probs available"))
}

@Test func probeReportsNoPromptLogprobsWhenEchoLogprobsAreNull() throws {
    let server = try started(llamaLike(echoLogprobs: false)); defer { server.stop() }
    let probe = try ServerProbe.run(CompletionsClient(baseURL: server.url, timeout: 5))
    print(probe.notes.joined(separator: "\n"))
    #expect(probe.answers)
    #expect(!probe.promptLogprobs)
    #expect(probe.notes.contains { $0.contains("no prompt log-probs") })
    #expect(probe.maxTopLogprobs == 20)
    #expect(probe.summary.contains("no prompt log-probs"))
}

@Test func probeReportsNoPromptLogprobsWhenOnlyTheGeneratedTokenIsScored() throws {
    let server = try started(Server { r in
        guard r.path == "/v1/completions" else { return nil }
        return Server.ok(r.json?["echo"] as? Bool == true ? "echo_generated_only.json" : "top5.json")
    }); defer { server.stop() }
    let probe = try ServerProbe.run(CompletionsClient(baseURL: server.url, timeout: 5))
    print(probe.notes.joined(separator: "\n"))
    #expect(!probe.promptLogprobs)
    #expect(probe.notes.contains { $0.contains("only the generated token was scored") })
    #expect(probe.tokenIds == false)
}

@Test func probeFindsTheLargestAcceptedLogprobsAndProcessedLogprobs() throws {
    // vLLM-like: rejects logprobs > 5 with 400; log-probs move with temperature (processed).
    let server = try started(Server { r in
        guard r.path == "/v1/completions" else { return nil }   // no /v1/models: model unknown
        if let n = r.json?["logprobs"] as? Int, n > 5 {
            return Server.Reply(status: 400, body: Server.fixture("error_400_logprobs.json"))
        }
        if r.json?["echo"] as? Bool == true { return Server.ok("echo_null_logprobs.json") }
        return Server.ok((r.json?["temperature"] as? Double ?? 0) > 1 ? "top5_hot.json" : "top5.json")
    }); defer { server.stop() }
    let probe = try ServerProbe.run(CompletionsClient(baseURL: server.url, timeout: 5))
    print(probe.notes.joined(separator: "\n"))
    #expect(probe.model == nil)
    #expect(probe.maxTopLogprobs == 5)
    #expect(probe.returnedTopLogprobs == 5)
    #expect(probe.logprobKind == .processed)
    #expect(probe.notes.contains { $0.contains("logprobs 10 rejected") && $0.contains("greater than max allowed: 5") })
}

@Test func legacyLogprobsDecodeWithNullFirstTokenAndSortedAlternatives() throws {
    let response = try CompletionResponse.decode(Data(Server.fixture("echo_prompt_logprobs.json")), url: "x")
    let tokens = try #require(response.choices.first?.logprobs)
    #expect(tokens.map(\.text) == ["The", " capital", " of", " France", " is", " Paris"])
    #expect(tokens[0].logprob == nil && tokens[0].top == nil)
    #expect(tokens.dropFirst().map { $0.logprob! } == [-7.25, -1.5, -3.125, -0.75, -0.5])
    #expect(tokens.map { $0.textOffset! } == [0, 3, 11, 14, 21, 24])
    let top = try #require(try CompletionResponse.decode(Data(Server.fixture("top5.json")), url: "x")
        .choices.first?.logprobs?.first?.top)
    #expect(top.map(\.text) == [" Paris", " a", " the", " Lyon", ""])
    #expect(top.allSatisfy { $0.id == nil })
}

@Test func contentShapeDecodesWithIds() throws {
    let token = try #require(try CompletionResponse.decode(Data(Server.fixture("content_ids.json")), url: "x")
        .choices.first?.logprobs?.first)
    #expect(token.text == " Paris" && token.id == 3681 && token.logprob == -0.5)
    #expect(token.top?.map(\.id) == [3681, 264])
}

@Test func requestSendsOnlyWhatWasSet() {
    let body = CompletionRequest(prompt: "<s>Hi", maxTokens: 1, temperature: 0, logprobs: 5, echo: true,
                                 repeatPenalty: 1.0, seed: 7).jsonBody()
    #expect(body["prompt"] as? String == "<s>Hi" && body["max_tokens"] as? Int == 1 && body["logprobs"] as? Int == 5)
    #expect(body["echo"] as? Bool == true && body["repeat_penalty"] as? Double == 1.0 && body["seed"] as? UInt64 == 7)
    let plain = CompletionRequest(prompt: "Hi").jsonBody()
    #expect(plain["temperature"] == nil && plain["logprobs"] == nil && plain["repeat_penalty"] == nil && plain["seed"] == nil)
}

// MARK: Failures: clear messages, never a crash

private func failure(_ body: () throws -> Void) -> CompletionsError? {
    do { try body(); return nil } catch { return error as? CompletionsError }
}

@Test func connectionRefusedSaysStartTheServer() throws {
    let client = try CompletionsClient("127.0.0.1:\(Server.closedPort())", timeout: 5)
    let error = try #require(failure { _ = try client.complete(CompletionRequest(prompt: "Hi")) })
    print(error)
    guard case .connectionFailed = error else { Issue.record("expected connectionFailed, got \(error)"); return }
    #expect(error.description.contains("HINT: start the lab's server"))
    #expect(throws: CompletionsError.self) { _ = try ServerProbe.run(client) }
}

@Test func slowServerTimesOut() throws {
    let server = try started(Server { _ in Server.Reply(status: 200, body: Server.fixture("top5.json"), delay: 3) })
    defer { server.stop() }
    let client = CompletionsClient(baseURL: server.url, timeout: 0.5)
    let error = try #require(failure { _ = try client.complete(CompletionRequest(prompt: "Hi")) })
    print(error)
    #expect(error == .timedOut(url: server.url.absoluteString + "/v1/completions", seconds: 0.5))
    #expect(error.description.contains("no answer within 0.5 s"))
}

@Test func http500CarriesTheServersMessage() throws {
    let server = try started(Server { _ in Server.Reply(status: 500, body: Server.fixture("error_500.json")) })
    defer { server.stop() }
    let client = CompletionsClient(baseURL: server.url, timeout: 5)
    let error = try #require(failure { _ = try client.complete(CompletionRequest(prompt: "Hi")) })
    print(error)
    #expect(error == .httpStatus(url: server.url.absoluteString + "/v1/completions", status: 500,
                                 message: "'list' object has no attribute 'encode'"))
    #expect(error.description.contains("HTTP 500: 'list' object has no attribute 'encode'. HINT:"))
}

@Test func malformedJSONIsNamed() throws {
    let bodies: [(String, String)] = [("<html>502 Bad Gateway</html>", "not JSON"),
                                      (#"{"choices": [{"text": "Hi", "logprobs": {"tok"#, "not JSON"),
                                      (#"{"object": "text_completion"}"#, "no `choices` array"),
                                      (#"{"choices": [{"text": "x", "logprobs": {"foo": 1}}]}"#, "neither `tokens`")]
    for (body, detail) in bodies {
        let server = try started(Server { _ in Server.Reply(status: 200, body: Array(body.utf8)) })
        defer { server.stop() }
        let error = try #require(failure {
            _ = try CompletionsClient(baseURL: server.url, timeout: 5).complete(CompletionRequest(prompt: "Hi"))
        })
        print(error)
        guard case .malformedJSON = error else { Issue.record("expected malformedJSON, got \(error)"); continue }
        #expect(error.description.contains(detail))
    }
}

@Test func missingLogprobsIsAnErrorOnlyWhenAskedFor() throws {
    let server = try started(Server { _ in Server.ok("no_logprobs.json") }); defer { server.stop() }
    let client = CompletionsClient(baseURL: server.url, timeout: 5)
    let plain = try client.complete(CompletionRequest(prompt: "Hi", logprobs: 5))
    #expect(plain.choices.first?.text == " Paris" && plain.choices.first?.logprobs == nil)
    let error = try #require(failure {
        _ = try client.complete(CompletionRequest(prompt: "Hi", logprobs: 5), requireLogprobs: true)
    })
    print(error)
    #expect(error == .missingLogprobs(url: server.url.absoluteString + "/v1/completions"))
    // The probe survives such a server and says what it could not find.
    let probe = try ServerProbe.run(client)
    #expect(probe.answers && !probe.promptLogprobs && probe.maxTopLogprobs == nil && probe.logprobKind == .unknown)
}
}
