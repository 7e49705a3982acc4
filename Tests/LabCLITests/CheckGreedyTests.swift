// `lmlab check greedy` against a loopback server that answers like llama.cpp's (legacy logprobs shape, token texts,
// no ids): built from the lab's own greedy run it must report identity; with one token swapped for the local
// runner-up, the first divergence at that step with both top lists and the margin; without log-probs, a text comparison.
import Decoding
import Foundation
import Lab
import LabCore
import LabTestSupport
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

/// The lab's greedy tokens and top-5 per step for `prompt`, as a llama.cpp-style answer; `swap` replaces the token
/// at that step with the local second-best (and stops there, as the server would now continue differently).
private func answer(_ prompt: String, maxTokens: Int, swap: Int?, logprobs: Bool) throws -> [String: Any] {
    let loaded = try ModelLoader.load(checkpoint)
    let t = loaded.tokenizer!, m = loaded.model
    // As llama.cpp: a byte piece is sent as "<0xNN>" in the token list; the completion text is the decoded bytes.
    func text(_ id: Int) -> String { t.piece(id).replacingOccurrences(of: "▁", with: " ") }
    var allBytes: [UInt8] = []
    var state = try m.makeState()
    var lp = try m.append(t.encode(prompt, addBos: false), to: &state)
    var tokens: [String] = [], values: [Double] = [], tops: [[String: Double]] = []
    for step in 0..<maxTokens {
        let order = lp.indices.sorted { lp[$0] > lp[$1] }
        let pick = step == swap ? order[1] : order[0]
        tokens.append(text(pick)); values.append(Double(lp[pick]))
        if !m.endTokens.contains(pick) { allBytes += TokenText.bytes(ofPiece: t.piece(pick)) }
        tops.append(Dictionary(order.prefix(5).map { (text($0), Double(lp[$0])) }, uniquingKeysWith: { a, _ in a }))
        if m.endTokens.contains(pick) || step == swap { break }
        lp = try m.append([pick], to: &state)
    }
    var choice: [String: Any] = ["text": String(decoding: allBytes, as: UTF8.self), "finish_reason": "length", "index": 0]
    choice["logprobs"] = logprobs ? ["tokens": tokens, "token_logprobs": values, "top_logprobs": tops] as [String: Any] : NSNull()
    return ["choices": [choice], "model": "test"]
}

private func serve(swap: Int?, logprobs: Bool = true) throws -> APILoopbackServer {
    let server = APILoopbackServer { request in
        guard request.path == "/v1/completions", let body = request.json, let prompt = body["prompt"] as? String,
              let n = body["max_tokens"] as? Int else { return nil }
        return (try? answer(prompt, maxTokens: n, swap: swap, logprobs: logprobs)).map(APILoopbackServer.json)
    }
    try server.start()
    return server
}

@Test func checkGreedyReportsIdentityAndTheFirstDivergence() throws {
    let same = try serve(swap: nil)
    defer { same.stop() }
    let ok = try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", same.url.absoluteString, "--max-new-tokens", "8"]).compare()
    #expect(ok.count == 3 && ok.allSatisfy(\.identical))
    #expect(ok.allSatisfy { $0.compared == 8 })
    // True greedy on llama.cpp needs repeat_penalty 1 (its server defaults to 1.1 even at temperature 0).
    #expect(same.requests.allSatisfy { ($0.json?["repeat_penalty"] as? Double) == 1 && ($0.json?["temperature"] as? Double) == 0 })

    let swapped = try serve(swap: 3)
    defer { swapped.stop() }
    let bad = try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", swapped.url.absoluteString, "--max-new-tokens", "8",
                                             "--prompt", "The dog says"]).compare()
    let o = try #require(bad.first)
    print("check greedy: \(o.note); local \(o.local ?? "-") api \(o.remote ?? "-") margin \(o.margin ?? -1)")
    #expect(!o.identical)
    #expect(o.step == 3)
    #expect(o.localTop?.count == 5 && o.remoteTop?.count == 5)
    #expect(o.remoteTop?.first?.text == o.localTop?.first?.text)
    #expect((o.margin ?? -1) >= 0)
    // The assignment's verdict in a zh lesson is Chinese; --json keeps its English notes there too.
    let zh = Learner.$language.withValue(.zh) { GreedyAPICheck.report(ok + bad).joined(separator: "\n") }
    print(zh)
    #expect(zh.contains("一致，8 个词元") && zh.contains("在第 4 个词元处分叉") && zh.contains("3/4 个提示词一致"))
    #expect(!zh.contains("identical") && !zh.contains("diverges") && !zh.contains("local top-5"))
    let json = try Learner.$language.withValue(.zh) {
        try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", swapped.url.absoluteString, "--max-new-tokens", "8",
                                       "--prompt", "The dog says", "--json"]).compare()
    }
    #expect(json.first?.note == o.note, "--json's note is the English one")

    let plain = try serve(swap: nil, logprobs: false)
    defer { plain.stop() }
    let texts = try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", plain.url.absoluteString, "--max-new-tokens", "6"]).compare()
    #expect(texts.allSatisfy { $0.identical && $0.note.contains("no per-token log-probs") })
}

@Test func checkGreedyTakesTheSharedAPIOptions() throws {
    let server = try serve(swap: nil)
    defer { server.stop() }
    let outcomes = try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", server.url.absoluteString, "--api-key", "sesame",
                                                  "--max-new-tokens", "4", "--prompt", "The dog says"]).compare()
    #expect(outcomes.count == 1 && outcomes.allSatisfy(\.identical))
    print("authorization headers: \(server.requests.map { $0.headers["authorization"] ?? "none" })")
    #expect(!server.requests.isEmpty && server.requests.allSatisfy { $0.headers["authorization"] == "Bearer sesame" })
    #expect(throws: (any Error).self) { try CheckCommand.Greedy.parse(["--model", checkpoint]) }
    #expect(throws: (any Error).self) { try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", "http://127.0.0.1:1", "--api-top", "5"]) }
    #expect(throws: (any Error).self) { try ExerciseCommand.Check.parse(["greedy_decoder", "--api-key", "k"]) }
    let check = try ExerciseCommand.Check.parse(["greedy_decoder", "--api", "http://127.0.0.1:1", "--api-key", "k"])
    #expect(check.remote.settings == APISettings(url: "http://127.0.0.1:1", key: "k"))
}

@Test func checkGreedyNamesAnUnreachableServer() throws {
    let port = APILoopbackServer.closedPort()
    #expect {
        _ = try CheckCommand.Greedy.parse(["--model", checkpoint, "--api", "http://127.0.0.1:\(port)", "--timeout", "3"]).compare()
    } throws: { "\($0)".contains("127.0.0.1") }
}

@Test func remoteLanguageModelGivesTheServersTopNAndSaysSo() throws {
    let server = try serve(swap: nil)
    defer { server.stop() }
    let loaded = try ModelLoader.load(checkpoint)
    let t = try #require(loaded.tokenizer)
    let remote = RemoteLanguageModel(
        client: CompletionsClient(baseURL: server.url), name: "loopback", vocabulary: loaded.model.vocabulary,
        startToken: t.bosId, endTokens: loaded.model.endTokens, top: 5,
        detokenize: { t.decode($0, skipSpecialTokens: false) },
        idOfText: { t.id(of: $0.replacingOccurrences(of: " ", with: "▁")) })
    #expect(remote.topOnly == 5)
    let ids = t.encode("The dog says", addBos: false)
    var state = try remote.makeState()
    let got = try remote.append(ids, to: &state)
    var local = try loaded.model.makeState()
    let want = try loaded.model.append(ids, to: &local)
    let finite = got.indices.filter { got[$0] > -.infinity }
    // The random test model's vocabulary (3072) is larger than its tokenizer's: ids without a piece cannot come back.
    let top5 = want.indices.sorted { want[$0] > want[$1] }.prefix(5)
        .filter { t.id(of: t.piece($0)) == $0 }
    #expect(Set(finite) == Set(top5), "the server's alternatives map back to the local top-5 ids")
    #expect(finite.count >= 3)
    let worst = finite.map { abs(got[$0] - want[$0]) }.max() ?? 1
    print("remote LM: \(finite.count) finite log-probs, max |Δ| vs local \(worst)")
    #expect(worst < 1e-5)
    #expect(LabCore.argmax(got) == LabCore.argmax(want))
    // The request was greedy and unprocessed.
    #expect(server.requests.last?.json?["repeat_penalty"] as? Double == 1)

    // A server whose tokens are not in the local vocabulary: a clear error, not garbage.
    let alien = APILoopbackServer { _ in APILoopbackServer.json(["choices": [["text": "x", "logprobs": ["tokens": ["ζζζζ"], "token_logprobs": [-0.1], "top_logprobs": [["ζζζζ": -0.1]]]]]]) }
    try alien.start()
    defer { alien.stop() }
    let bad = RemoteLanguageModel(client: CompletionsClient(baseURL: alien.url), name: "alien", vocabulary: loaded.model.vocabulary,
                                  startToken: nil, endTokens: [], top: 5, detokenize: { t.decode($0) }, idOfText: { t.id(of: $0) })
    var s2 = try bad.makeState()
    #expect { _ = try bad.append(ids, to: &s2) } throws: { "\($0)".contains("same tokenizer") }
}
