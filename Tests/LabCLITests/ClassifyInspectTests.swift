// `lmlab classify` and `lmlab inspect` on the tiny random ERNIE test checkpoint.
import Decoding
import ERNIE
import ModelFiles
import Tokenizers
import Foundation
import Lab
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

@Test func classifyScoresEachLabelAsTheContinuationOfThePrompt() throws {
    let command = try ClassifyCommand.parse(["The dog says", "--labels", " woof, meow,quack", "--model", checkpoint])
    let rows = try command.scores()
    #expect(rows.map(\.label) == [" woof", " meow", "quack"])
    #expect(abs(rows.map(\.share).reduce(0, +) - 1) < 1e-12)
    // Independently: log P(prompt + label) − log P(prompt), both scored after <s>.
    let loaded = try ModelLoader.load(checkpoint)
    let tokenizer = try #require(loaded.tokenizer)
    let prompt = [tokenizer.bosId!] + tokenizer.encode("The dog says", addBos: false)
    let base = try SentenceScore.score(prompt, with: loaded.model, pieces: tokenizer.piece).totalLogProb
    var worst = 0.0
    for row in rows {
        let whole = try SentenceScore.score(prompt + row.ids, with: loaded.model, pieces: tokenizer.piece).totalLogProb
        worst = max(worst, abs((whole - base) - row.totalLogProb))
        #expect(abs(row.meanLogProb * Double(row.ids.count) - row.totalLogProb) < 1e-9)
        // The label ids are the tail of the joint encoding (the model's own word boundary).
        let joint = tokenizer.encode("The dog says" + row.label, addBos: false)
        #expect(Array(joint.suffix(row.ids.count)) == row.ids)
    }
    print("classify: max |Δ log P| vs independent scoring \(worst)")
    #expect(worst < 1e-3)
    let order = rows.sorted { $0.totalLogProb > $1.totalLogProb }.map(\.label)
    let byShare = rows.sorted { $0.share > $1.share }.map(\.label)
    #expect(order == byShare)
}

@Test func classifyNeedsTwoLabels() {
    #expect(throws: (any Error).self) { try ClassifyCommand.parse(["x", "--labels", "one", "--model", checkpoint]) }
}

@Test func inspectCountsEveryParameterFromTheCheckpoint() throws {
    let r = try InspectCommand.parse([checkpoint]).report()
    // The ERNIE design's parameter count from the config alone (tied embeddings, no biases).
    let h = r.hiddenSize, q = r.queryHeads * r.headDim, kv = r.keyValueHeads * r.headDim, i = r.intermediateSize
    let perLayer = h * q + 2 * h * kv + q * h + 3 * h * i + 2 * h
    let expected = r.vocabSize * h + r.layers * perLayer + h
    print("inspect: \(r.totalParameters) parameters counted, \(expected) from the config formula")
    #expect(r.totalParameters == expected)
    #expect(r.parts.first { $0.name == "embedding" }?.parameters == r.vocabSize * h)
    #expect(r.kvBytesPerToken == 2 * r.layers * kv * 4)
    #expect(r.kvBytesPerTokenWithoutGQA == r.kvBytesPerToken * r.queryHeads / r.keyValueHeads)
    #expect(r.tiedEmbeddings)
}

/// A copy of the test checkpoint with every weight scaled by `factor`: a second model with the same tokenizer.
private func perturbedCopy(factor: Float) throws -> String {
    let source = URL(fileURLWithPath: checkpoint)
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dpo-ref-\(getpid())-\(factor)")
    try? FileManager.default.removeItem(at: folder)
    try FileManager.default.copyItem(at: source, to: folder)
    let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
    var writer = SafetensorsWriter()
    for name in file.tensorNames {
        let t = try file.tensor(name)
        let scale: Float = name.contains("norm") ? 1 : factor
        try writer.add(name, floats: try t.floats().map { $0 * scale }, shape: t.shape, as: .f32)
    }
    try writer.write(to: folder.appendingPathComponent("model.safetensors"))
    return folder.path
}

@Test func dpoRewardIsBetaTimesTheLogRatioAndPreferencesAreBradleyTerry() throws {
    let reference = try perturbedCopy(factor: 0.7)
    defer { try? FileManager.default.removeItem(atPath: reference) }
    let command = try DpoRewardCommand.parse(["The dog says", "--answers", " woof.| meow.| quack quack", "--policy", checkpoint,
                                              "--reference", reference, "--beta", "0.5"])
    let r = try command.report()
    let p = try ModelLoader.load(checkpoint), q = try ModelLoader.load(reference)
    let t = try #require(p.tokenizer)
    let prompt = [t.bosId!] + t.encode("The dog says", addBos: false)
    var worst = 0.0
    for row in r.rows {
        let ids = t.encode("The dog says" + row.answer, addBos: false).suffix(row.tokens)
        let lp = try SentenceScore.score(prompt + ids, with: p.model, pieces: t.piece).totalLogProb
            - SentenceScore.score(prompt, with: p.model, pieces: t.piece).totalLogProb
        let lq = try SentenceScore.score(prompt + ids, with: q.model, pieces: t.piece).totalLogProb
            - SentenceScore.score(prompt, with: q.model, pieces: t.piece).totalLogProb
        worst = max(worst, abs(0.5 * (lp - lq) - row.reward))
    }
    print("dpo-reward: rewards \(r.rows.map(\.reward)), max |Δ| vs independent scoring \(worst)")
    #expect(worst < 1e-3)
    #expect(r.rows.contains { abs($0.reward) > 1e-3 }, "the perturbed reference must differ from the policy")
    for i in r.rows.indices { for j in r.rows.indices {
        #expect(abs(r.preferences[i][j] + r.preferences[j][i] - 1) < 1e-12)
        #expect(abs(r.preferences[i][j] - 1 / (1 + exp(-(r.rows[i].reward - r.rows[j].reward)))) < 1e-12)
    } }
    // The same model as its own reference: every reward is 0.
    let same = try DpoRewardCommand.parse(["x", "--answers", "a|b", "--policy", checkpoint, "--reference", checkpoint]).report()
    #expect(same.rows.allSatisfy { $0.reward == 0 })
}

@Test func generateChatUsesTheTemplateAndStopsAtTheEndOfTurn() throws {
    let command = try GenerateCommand.parse(["Hello there", "--chat", "--model", checkpoint])
    let loaded = try ModelLoader.load(checkpoint)
    let t = try #require(loaded.tokenizer)
    let ids = try command.input.spec.tokens(t, chat: command.turn.chat)
    #expect(ids == (try t.encodeChat([ChatMessage(.user, "Hello there")], addGenerationPrompt: true)))
    #expect(t.decode(ids).hasSuffix("Assistant: "))
    #expect(throws: (any Error).self) { try GenerateCommand.parse(["x", "--chat", "--bos", "--model", checkpoint]) }
}

@Test func lensTopLayerPredictsWhatGreedyWrites() throws {
    let reading = try LensCommand.parse(["The dog says", "--model", checkpoint]).lens()
    let (lens, piece) = (reading.lens, reading.piece)
    let g = try GenerateCommand.parse(["The dog says", "--bos", "--model", checkpoint, "--max-new-tokens", "1"])
    let loaded = try ModelLoader.load(checkpoint)
    let first = try Sampler(processors: ProcessorChain([]), choice: .greedy)
        .generate(loaded.model, prompt: try g.input.spec.tokens(loaded.tokenizer), maxNewTokens: 1) { _ in }
    #expect(lens.top[lens.depth - 1].last?.first?.id == first.first)
    #expect(lens.depth == loaded.model.config.numHiddenLayers + 1)
    print("lens: top layer predicts \(piece(first[0])) after 'The dog says', as greedy does")
}

@Test func attentionMapRowsAreCausalDistributions() throws {
    let command = try AttentionCommand.MapCommand.parse(["The dog says woof.", "--model", checkpoint, "--layer", "2", "--head", "3"])
    let (recorder, pieces, layers, heads) = try command.recorded()
    let rows = AttentionMap.weights(recorder, layer: 2, head: 3, count: pieces.count)
    #expect(rows.count == pieces.count && layers > 2 && heads > 3)
    var worst = 0.0
    for (r, row) in rows.enumerated() {
        worst = max(worst, abs(row.prefix(r + 1).reduce(0, +) - 1))
        #expect(row.dropFirst(r + 1).allSatisfy { $0.isNaN }, "row \(r): the future is masked (NaN, drawn ·)")
    }
    print("attention map: \(rows.count) rows, max |Σ − 1| \(worst)")
    #expect(worst < 1e-5)
    // The printed form is the Output heatmap plus the strongest key of each query.
    let text = PlainRenderer.render(AttentionMap.output(rows, pieces: pieces, layer: 2, head: 3), width: 80)
    #expect(text.contains("layer 2 · head 3") && text.contains("· masked") && text.contains("strongest key per query"))
    #expect(throws: (any Error).self) { _ = try AttentionCommand.MapCommand.parse(["x", "--model", checkpoint, "--layer", "9"]).recorded() }
}

@Test func probLedgerOutputKeepsTheScoresTotals() throws {
    let loaded = try ModelLoader.load(checkpoint)
    let ids = try loaded.requireTokenizer(checkpoint).encode("The dog says woof.", addBos: true)
    let score = try SentenceScore.score(ids, with: loaded.model, pieces: loaded.model.vocabulary.piece)
    let ledger = Ledger(score)
    #expect(ledger.entries.count == score.scoredCount)
    let diff = abs((ledger.total ?? .nan) - score.totalLogProb)
    print("prob ledger: \(ledger.entries.count) rows, |Σ ledger − total log P| \(diff)")
    #expect(diff < 1e-9)
    let text = PlainRenderer.render(.ledger(ledger), width: 80)
    #expect(text.contains("Σ ln P") && text.contains("perplexity"))
}
