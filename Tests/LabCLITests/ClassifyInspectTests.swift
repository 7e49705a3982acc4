// `lmlab classify` and `lmlab inspect` on the tiny random ERNIE test checkpoint.
import ERNIE
import Foundation
import Testing
@testable import LabCLI

private let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../ERNIETests/Fixtures/with-tokenizer").standardizedFileURL.path

@Test func classifyScoresEachLabelAsTheContinuationOfThePrompt() throws {
    let command = try ClassifyCommand.parse(["The dog says", "--labels", " woof, meow,quack", "--model", checkpoint])
    let (rows, tokenizer) = try command.scores()
    #expect(rows.map(\.label) == [" woof", " meow", "quack"])
    #expect(abs(rows.map(\.share).reduce(0, +) - 1) < 1e-12)
    // Independently: log P(prompt + label) − log P(prompt), both scored after <s>.
    let loaded = try ProbCommand.load(checkpoint)
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
