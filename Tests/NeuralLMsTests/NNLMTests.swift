// NNLM tests: a naive twin of the forward pass, the comparison with the n-gram models on the same held-out text,
// a sentence the MLE n-gram model scores 0, checkpoint/resume, and Ctrl-C.
import Testing
import Foundation
import LabCore
import Autograd
import ClassicLMs
import Tokenizers
@testable import NeuralLMs

/// One NNLM trained once for the tests that need a trained model (1,500 AdamW steps of 256 pairs; ~30 s in debug).
let trainedNNLM: NNLM = {
    let data = StoryData.english
    let model = NNLM(config: NNLMConfig(), vocabulary: data.vocabulary, seed: 1)
    let options = NNLM.defaultTraining.overridden(steps: 1500)
    let start = Date()
    let outcome = try! model.train(on: data.train, options: options, optimizer: model.makeOptimizer(options))
    print("NNLM trained: \(outcome.summary) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    return model
}()

@Test func nnlmLogProbsEqualNaiveLoops() throws {
    let vocab = TokenVocabulary(tokens: ["a", "b", "c", "d"])
    let model = NNLM(config: NNLMConfig(contextSize: 3, embeddingSize: 4, hiddenSize: 5), vocabulary: vocab, seed: 3)
    var state = try model.makeState()
    let got = try model.append([3, 4], to: &state)                      // context <s> a b
    let ctx = [1, 3, 4]
    let (v, m, h, n) = (vocab.count, 4, 5, 3)
    let C = model.embedding.value.data, H = model.hiddenWeight.value.data, d = model.hiddenBias.value.data
    let U = model.outputWeight.value.data, b = model.outputBias.value.data, W = model.directWeight!.value.data
    var x = [Double]()
    for w in ctx { for j in 0..<m { x.append(Double(C[w * m + j])) } }
    var a = [Double](repeating: 0, count: h)
    for i in 0..<h {
        var s = Double(d[i])
        for j in 0..<(n * m) { s += Double(H[i * n * m + j]) * x[j] }
        a[i] = Foundation.tanh(s)
    }
    var y = [Double](repeating: 0, count: v)
    for i in 0..<v {
        var s = Double(b[i])
        for j in 0..<(n * m) { s += Double(W[i * n * m + j]) * x[j] }
        for j in 0..<h { s += Double(U[i * h + j]) * a[j] }
        y[i] = s
    }
    let lse = Foundation.log(y.map { Foundation.exp($0) }.reduce(0, +))
    let diff = zip(got, y).map { abs(Double($0) - ($1 - lse)) }.max()!
    print("NNLM log-probs vs naive loops: max abs diff \(diff)")
    #expect(diff < 1e-5)
}

@Test func nnlmBeatsEveryKneserNeyOrderOnHeldOutText() throws {
    let data = StoryData.english
    var best = Double.infinity
    for n in 1...5 {
        let counts = NGramCounts(order: n, vocabularySize: data.vocabulary.count, beginId: data.vocabulary.beginId,
                                 endId: data.vocabulary.endId, sentences: data.train)
        let report = NGramModel(counts: counts, smoothing: .kneserNey(discount: 0.75), vocabulary: data.vocabulary)
            .perplexity(data.heldOut)
        print("held-out perplexity, \(n)-gram KN: \(report.perplexity.map { String(format: "%.3f", $0) } ?? "∞") over \(report.tokens) tokens")
        best = min(best, report.perplexity ?? .infinity)
    }
    let nnlm = trainedNNLM.perplexity(data.heldOut)
    print("held-out perplexity, NNLM (n = 5): \(String(format: "%.3f", nnlm.perplexity)) over \(nnlm.tokens) tokens; best KN \(String(format: "%.3f", best))")
    #expect(nnlm.tokens == data.heldOut.map { $0.count + 1 }.reduce(0, +))
    #expect(nnlm.perplexity < best)
}

@Test func unseenTrigramGetsZeroUnderMLEButFiniteProbabilityUnderNNLM() throws {
    let data = StoryData.english
    let mle = NGramModel(counts: NGramCounts(order: 3, vocabularySize: data.vocabulary.count, beginId: 1, endId: 2,
                                             sentences: data.train), smoothing: .mle, vocabulary: data.vocabulary)
    // The first held-out sentence without <unk> that the MLE trigram model gives probability 0.
    let sentence = try #require(data.heldOut.first { s in
        !s.contains(data.vocabulary.unknownId) && mle.perplexity([s]).zeroProbabilityTokens > 0
    })
    print("sentence: \(sentence.map(data.vocabulary.piece).joined(separator: " "))")
    var state = try trainedNNLM.makeState()
    let rows = try trainedNNLM.scoreAll([data.vocabulary.beginId] + sentence, from: &state)
    let logP = zip(rows, sentence + [data.vocabulary.endId]).map { Double($0[$1]) }.reduce(0, +)
    print("MLE trigram: P = 0 (\(mle.perplexity([sentence]).zeroProbabilityTokens) unseen trigrams); NNLM ln P = \(logP)")
    #expect(logP.isFinite)
    #expect(logP > -10 * Double(sentence.count + 1))            // a real probability, not a numerical floor
}

@Test func resumedTrainingEqualsUninterruptedTraining() throws {
    let data = StoryData.english
    let sentences = Array(data.train.prefix(400))
    let config = NNLMConfig(contextSize: 2, embeddingSize: 8, hiddenSize: 16)
    let options = NNLM.defaultTraining.overridden(steps: 24, batchSize: 64)
    let straight = NNLM(config: config, vocabulary: data.vocabulary, seed: 5)
    _ = try straight.train(on: sentences, options: options, optimizer: straight.makeOptimizer(options))

    let first = NNLM(config: config, vocabulary: data.vocabulary, seed: 5)
    let opt1 = first.makeOptimizer(options)
    var steps = 0
    let stopped = try first.train(on: sentences, options: options, optimizer: opt1,
                                  checkCancel: { if steps == 12 { throw CancellationRequested() }; steps += 1 })
    #expect(stopped.cancelled && stopped.lastStep == 12)
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("nnlm-resume-\(getpid()).safetensors")
    defer { try? FileManager.default.removeItem(at: url) }
    try first.checkpoint(optimizer: opt1).write(to: url)

    let checkpoint = try NeuralCheckpoint(contentsOf: url, kind: "nnlm")
    let resumed = try NNLM(checkpoint: checkpoint)
    let opt2 = resumed.makeOptimizer(options)
    try checkpoint.load(into: resumed.namedParameters, optimizer: opt2)
    #expect(opt2.stepCount == 12)
    let outcome = try resumed.train(on: sentences, options: options, optimizer: opt2)
    #expect(outcome.lastStep == 24 && outcome.samples.first?.step == 13)
    var diff: Float = 0
    for ((_, a), (_, b)) in zip(straight.namedParameters, resumed.namedParameters) { diff = max(diff, a.value.maxAbsDifference(b.value)) }
    print("resume after 12 of 24 steps vs straight run: max abs parameter diff \(diff)")
    #expect(diff == 0)
}

@Test func ctrlCStopsTrainingAndKeepsTheStepsTaken() throws {
    let data = StoryData.english
    let model = NNLM(config: NNLMConfig(contextSize: 2, embeddingSize: 8, hiddenSize: 16), vocabulary: data.vocabulary)
    let before = model.outputWeight.value
    let options = NNLM.defaultTraining.overridden(steps: 1000, batchSize: 32)
    let optimizer = model.makeOptimizer(options)
    // The flag Ctrl-C raises is process-wide and tests run in parallel, so this test raises its own flag.
    var interrupted = false
    let outcome = try model.train(on: Array(data.train.prefix(200)), options: options, optimizer: optimizer,
                                  progress: { meter in if meter.samples.last?.step == 20 { interrupted = true } },
                                  checkCancel: { if interrupted { throw CancellationRequested() } })
    print("cancelled at step \(outcome.lastStep): \(outcome.summary)")
    #expect(outcome.cancelled && outcome.lastStep == 20 && optimizer.stepCount == 20)
    #expect(model.outputWeight.value.maxAbsDifference(before) > 0)
}
