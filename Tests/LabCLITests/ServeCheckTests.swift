// The lab's API comparisons against `lmlab serve` (the course's "your decoder vs the API" with no other server), and
// `check greedy` against a server that, like llama-cpp-python's, names tokens by text alone and shows byte pieces,
// unused ids and control tokens as "".
import Decoding
import Foundation
import Lab
import LabCore
import LabExercises
import LabTestSupport
import Serve
import Testing
@testable import LabCLI

/// `lmlab serve` of the shipped tiny ERNIE on a free loopback port, for the life of the test process.
private let served = Task { () throws -> String in
    let loaded = try ModelLoader.load(shippedTinyErnie)
    let engine = ServeEngine(model: loaded.model, tokenizer: try loaded.requireTokenizer("tiny-ernie"), modelName: "tiny-ernie")
    let server = try OpenAIServer(engine: engine, host: "127.0.0.1", port: 0)
    Task { try await server.run() }
    return try await server.waitUntilListening()
}

/// Runs blocking work (the commands wait on URLSession) on its own thread, never on the cooperative pool that
/// the server's connections need.
private func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in Thread { c.resume(with: Result { try work() }) }.start() }
}

@Test func checkGreedyAgreesWithLmlabServeById() async throws {
    let url = try await served.value
    let command = try CheckCommand.Greedy.parse(["--model", shippedTinyErnie, "--api", url, "--max-new-tokens", "24",
                                                 "--prompt", "One day, Luna went to the", "--prompt", "有一天，露娜和她的爸爸",
                                                 "--bos", "--prompt", "The dog says"])
    let outcomes = try await blocking { try command.compare() }
    for o in outcomes { print("check greedy vs lmlab serve: \(o.prompt.debugDescription) \(o.identical ? "identical" : o.note)") }
    #expect(outcomes.count == 3 && outcomes.allSatisfy(\.identical))
}

@Test func exerciseGreedyDecoderPassesAgainstLmlabServe() async throws {
    let url = try await served.value
    let verdict = try await blocking {
        let catalog = try ExerciseCatalog.ofProject()
        let entry = try catalog.entry("greedy_decoder")
        return try ExerciseChecker.check(entry, source: catalog.solutionFile(entry), catalog: catalog,
                                         model: shippedTinyErnie, api: url)
    }
    print("exercise greedy_decoder --api lmlab serve: \(verdict.summary) \(verdict.firstDivergence ?? "")")
    #expect(verdict.passed)
    #expect(verdict.summary.contains(url))
}

/// A llama-cpp-python-style exchange: its legacy answer (no ids; each token's bytes decoded alone with
/// errors="ignore", so a lone byte of a character, an unused id and a control token read ""), built from the local
/// model's greedy run on a random checkpoint whose vocabulary is larger than its tokenizer, so the run holds such
/// tokens. `check greedy` must call it identical, and must see a "" token swapped for another "" token with a
/// different log-prob.
@Test func checkGreedyMatchesEmptyTextTokensByLogprob() throws {
    let checkpoint = projectRoot.appendingPathComponent("Tests/ERNIETests/Fixtures/with-tokenizer").path
    let loaded = try ModelLoader.load(checkpoint)
    let t = try #require(loaded.tokenizer), m = loaded.model
    func pythonText(_ id: Int) -> String {
        t.isSpecial(id) || id >= t.count ? "" : TokenText.ignoringInvalid(TokenText.bytes(ofPiece: t.piece(id)))
    }
    let prompts = ["One day, Luna went to the", "有一天，露娜和她的爸爸", "The dog says"]
    final class Count: @unchecked Sendable { var value = 0 }   // requests arrive one at a time
    let emptyTokens = Count()
    func answer(_ prompt: String, _ n: Int, swapEmpty: Bool) throws -> [String: Any] {
        var state = try m.makeState()
        var lp = try m.append(t.encode(prompt, addBos: false), to: &state)
        var tokens: [String] = [], values: [Double] = [], ids: [Int] = []
        for _ in 0..<n {
            var pick = LabCore.argmax(lp)
            // Swapped: the first "" token becomes the next most likely other token that also reads "" (a real
            // divergence hidden behind the same text), and the answer stops there.
            let swapped = swapEmpty && pythonText(pick).isEmpty
            if swapped, let other = lp.indices.filter({ $0 != pick && pythonText($0).isEmpty && abs(lp[$0] - lp[pick]) > 0.01 })
                .max(by: { lp[$0] < lp[$1] }) { pick = other }
            tokens.append(pythonText(pick)); values.append(Double(lp[pick])); ids.append(pick)
            if swapped || m.endTokens.contains(pick) { break }
            lp = try m.append([pick], to: &state)
        }
        let text = TokenText.ignoringInvalid(ids.filter { !m.endTokens.contains($0) && !t.isSpecial($0) && $0 < t.count }
            .flatMap { TokenText.bytes(ofPiece: t.piece($0)) })
        return ["choices": [["text": text, "index": 0, "finish_reason": "length",
                             "logprobs": ["tokens": tokens, "token_logprobs": values, "text_offset": NSNull(), "top_logprobs": NSNull()]]]]
    }
    for swap in [false, true] {
        let server = APILoopbackServer { request in
            guard let body = request.json, let prompt = body["prompt"] as? String, let n = body["max_tokens"] as? Int,
                  let a = try? answer(prompt, n, swapEmpty: swap) else { return nil }
            if !swap { emptyTokens.value += ((a["choices"] as? [[String: Any]])?.first?["logprobs"] as? [String: Any])
                .flatMap { ($0["tokens"] as? [String])?.filter(\.isEmpty).count } ?? 0 }
            return APILoopbackServer.json(a)
        }
        try server.start()
        defer { server.stop() }
        var argv = ["--model", checkpoint, "--api", server.url.absoluteString, "--max-new-tokens", "32"]
        for p in prompts { argv += ["--prompt", p] }
        let outcomes = try CheckCommand.Greedy.parse(argv).compare()
        for o in outcomes { print("llama-cpp-python-style \(swap ? "swapped" : "same"): \(o.prompt.debugDescription) \(o.identical ? "identical" : "diverges at \(o.step ?? -1): \(o.local ?? "") vs \(o.remote ?? "")")") }
        if swap {
            #expect(outcomes.contains { !$0.identical }, "a \"\" token with another log-prob is a divergence")
        } else {
            #expect(outcomes.filter { !$0.identical }.isEmpty)
            print("tokens that read \"\" in the llama-cpp-python-style answers: \(emptyTokens.value)")
            #expect(emptyTokens.value > 0, "the run must hold tokens that read \"\" for the test to mean anything")
        }
    }
}
