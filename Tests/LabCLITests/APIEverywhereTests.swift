// `--api` on prob, generate, beam and sample (issue 22, "bigger models elsewhere"): each run over `lmlab serve` of the
// shipped tiny ERNIE on loopback is compared with the same run on the local weights. The server is the same engine,
// so where the top N cover every choice the answers must agree: greedy and beam search identically, prob within 1e-4
// through serve's echoed prompt log-probs, the sampling distribution's top tokens within 1e-4 with the rest as one
// "other" mass. And a server that echoes no prompt log-probs (llama.cpp's own) gets an error that says so.
import Decoding
import Foundation
import Lab
import LabCore
import LabTestSupport
import Serve
import Testing
@testable import LabCLI

private struct Unchecked<T>: @unchecked Sendable { let value: T }

@Test func greedyOverTheAPIIsTheLocalGreedy() async throws {
    let url = try await servedTinyErnie.value
    let ids = try await blocking {
        var out: [[Int]] = []
        for api in [nil, url] {
            let g = try GenerateCommand.parse(["One day, Luna went to the", "--model", shippedTinyErnie, "--max-new-tokens", "12"]
                                              + (api.map { ["--api", $0, "--api-top", "5"] } ?? []))
            let chosen = try ChosenModel(g.input.spec, api: g.remote.settings, maxNewTokens: 12)
            #expect((chosen.api != nil) == (api != nil) && (chosen.model.topOnly == (api == nil ? nil : 5)))
            out.append(try Sampler(processors: ProcessorChain([]), choice: .greedy).generate(chosen.model, prompt: chosen.prompt, maxNewTokens: 12))
        }
        return out
    }
    print("greedy local \(ids[0]) | over lmlab serve (top 5) \(ids[1])")
    #expect(ids[0].count == 12 && ids[0] == ids[1])
}

@Test func beamSearchOverTheAPIMatchesTheLocalSearch() async throws {
    let url = try await servedTinyErnie.value
    let results = try await blocking {
        try [nil, url].map { api -> Unchecked<BeamSearchResult> in
            let b = try BeamCommand.parse(["The dog says", "--model", shippedTinyErnie, "--beams", "3", "--steps", "4", "--tree"]
                                          + (api.map { ["--api", $0] } ?? []))
            let chosen = try ChosenModel(b.input.spec, api: b.remote.settings, maxNewTokens: 4)
            return Unchecked(value: try BeamSearch.run(chosen.model, prompt: chosen.prompt, settings: b.settings()))
        }
    }
    let local = results[0].value, remote = results[1].value
    // 3 beams rank 2·3 candidates a step, all inside the server's top 20: the same search.
    #expect(local.sequences.map(\.ids) == remote.sequences.map(\.ids))
    let scoreDiff = zip(local.sequences, remote.sequences).map { abs($0.score - $1.score) }.max() ?? .infinity
    #expect(local.tree.nodes.map(\.token) == remote.tree.nodes.map(\.token))
    let nodeDiff = zip(local.tree.nodes, remote.tree.nodes).map { abs($0.stepLogProb - $1.stepLogProb) }.max() ?? .infinity
    print("beam over lmlab serve: \(remote.sequences.map(\.ids)), \(remote.tree.nodes.count) nodes; max |Δscore| \(scoreDiff), max |Δ step log P| \(nodeDiff)")
    #expect(scoreDiff < 1e-4 && nodeDiff < 1e-4)

    let explorer = try await blocking {
        Unchecked(value: try BeamCommand.parse(["The dog says", "--model", shippedTinyErnie, "--api", url, "--api-top", "7", "--explore"]).explorer())
    }
    #expect(explorer.value.topOnly == 7, "the beam explorer knows it sees the server's top 7 only")
}

@Test func probOverTheAPIEqualsLocalProbThroughServesEcho() async throws {
    let url = try await servedTinyErnie.value
    let text = "One day, Luna went to the park. 有一天，露娜和她的爸爸"
    let settings = try #require(try ProbCommand.parse([text, "--model", shippedTinyErnie, "--api", url]).remote.settings)
    let (remote, local) = try await blocking { () -> (Unchecked<RemotePromptScore.Result>, Unchecked<SentenceScore>) in
        let server = try RemoteModel(model: shippedTinyErnie, api: settings)
        let loaded = try ModelLoader.load(shippedTinyErnie)
        let ids = try loaded.scoringIds(text, bos: nil, chat: false, name: "tiny-ernie").ids
        return (Unchecked(value: try server.score(ids)),
                Unchecked(value: try SentenceScore.score(ids, with: loaded.model, pieces: loaded.model.vocabulary.piece)))
    }
    #expect(remote.value.sentIds, "lmlab serve takes the ids as they are")
    #expect(remote.value.score.entries.map(\.id) == local.value.entries.map(\.id))
    #expect(remote.value.score.entries.first?.logProb == nil)
    var worst = 0.0
    for (a, b) in zip(remote.value.score.entries.dropFirst(), local.value.entries.dropFirst()) {
        let x = try #require(a.logProb), y = try #require(b.logProb)
        worst = max(worst, abs(x - y))
    }
    print("prob over lmlab serve: \(local.value.entries.count) tokens, max |Δ log P| vs local \(worst), "
          + "total \(remote.value.score.totalLogProb) vs \(local.value.totalLogProb)")
    #expect(worst < 1e-4)
    // The whole command runs over the server (JSON keys as local prob's).
    try await blocking { try ProbCommand.parse([text, "--model", shippedTinyErnie, "--api", url, "--json"]).run() }
}

@Test func sampleShowDistOverTheAPIShowsTheTopNAndTheOtherMass() async throws {
    let url = try await servedTinyErnie.value
    let steps = try await blocking {
        try [nil, url].map { api in
            try SampleCommand.parse(["Once upon a time", "--model", shippedTinyErnie, "--show-dist", "--top", "8",
                                     "--temperature", "0.7", "--seed", "3"]
                                    + (api.map { ["--api", $0, "--api-top", "8"] } ?? [])).step().json
        }
    }
    let local = steps[0], remote = steps[1]
    #expect(local.top_only == nil && remote.top_only == 8)
    #expect(local.top.map(\.id) == remote.top.map(\.id))
    let rawDiff = zip(local.top, remote.top).map { abs($0.raw - $1.raw) }.max() ?? .infinity
    let other = try #require(remote.other_raw)
    let localOther = 1 - local.top.reduce(0.0) { $0 + Double($1.raw) }
    print("sample --show-dist over lmlab serve: top-8 raw max |Δ| \(rawDiff); other mass \(other) (local \(localOther))")
    #expect(rawDiff < 1e-4 && abs(other - localOther) < 1e-4)
    let processed = remote.top.reduce(0.0) { $0 + Double($1.processed) }
    #expect(abs(processed - 1) < 1e-4, "the processed distribution is renormalised over the server's 8")
    let shown = remote.output(vocabularySize: 1)
    #expect(PlainRenderer.render(shown, width: 100).contains("(other)"))
}

@Test func probOverAServerWithoutPromptLogprobsSaysSo() throws {
    // llama.cpp's own server: echo asked for, only the generated token scored (the upstream recording's shape).
    let server = APILoopbackServer { _ in
        APILoopbackServer.json(["choices": [["text": " x", "index": 0, "finish_reason": "length",
                                             "logprobs": ["content": [["id": 7, "token": " x", "logprob": -1.5, "top_logprobs": []]]]]]])
    }
    try server.start()
    defer { server.stop() }
    let api = APISettings(url: server.url.absoluteString, top: 5, timeout: 10)
    let remote = try RemoteModel(model: shippedTinyErnie, api: api)
    #expect(throws: DecodingError.self) { try remote.score([1, 883, 2456]) }
    do { _ = try remote.score([1, 883, 2456]) } catch {
        print("\(error)")
        #expect("\(error)".contains("no log-probs for the prompt") && "\(error)".contains("HINT"))
    }
}

@Test func apiOptionsAreCheckedTogether() {
    #expect(throws: (any Error).self) { try SampleCommand.parse(["x", "--model", "m", "--api-top", "5"]) }
    #expect(throws: (any Error).self) { try BeamCommand.parse(["x", "--model", "m", "--api", "http://127.0.0.1:1", "--api-top", "0"]) }
    #expect(throws: (any Error).self) { try ProbCommand.parse(["x", "--model", "m", "--api", "http://127.0.0.1:1", "--compare", "m"]) }
    #expect(throws: (any Error).self) { try GenerateCommand.parse(["x", "--model", "m", "--api-key", "k"]) }
}
