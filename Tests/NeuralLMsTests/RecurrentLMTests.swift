// Elman RNN / GRU language models: the incremental LanguageModel path against the batched one, a trained model
// far below the unigram perplexity, and the vanishing-gradient measurement (RNN decays faster than GRU; one point
// checked by finite differences).
import Testing
import Foundation
import LabCore
import Autograd
@testable import NeuralLMs

/// The RNN and the GRU LM trained on the same data with the same sizes, seed and steps (~20 s in debug together).
let smallRecurrentLMs: [RecurrentCellKind: RecurrentLM] = {
    let data = StoryData.english
    var out: [RecurrentCellKind: RecurrentLM] = [:]
    for kind in RecurrentCellKind.allCases {
        let m = RecurrentLM(config: RecurrentLMConfig(cell: kind, embeddingSize: 32, hiddenSize: 64), vocabulary: data.vocabulary, seed: 1)
        let options = RecurrentLM.defaultTraining.overridden(steps: 400)
        let outcome = try! m.train(on: data.train, options: options, optimizer: m.makeOptimizer(options))
        print("\(m.name): \(outcome.summary)")
        out[kind] = m
    }
    return out
}()

/// Sequences of 32 tokens cut from the held-out stories (sentences joined with </s> <s>).
func heldOutSequences(count: Int, length: Int) -> [[Int]] {
    let data = StoryData.english
    let stream = data.heldOut.prefix(100).flatMap { [data.vocabulary.beginId] + $0 + [data.vocabulary.endId] }
    return (0..<count).map { Array(stream[($0 * 41)..<($0 * 41 + length)]) }
}

@Test(arguments: RecurrentCellKind.allCases)
func incrementalStateEqualsBatchedPerplexity(kind: RecurrentCellKind) throws {
    let data = StoryData.english
    let model = RecurrentLM(config: RecurrentLMConfig(cell: kind, embeddingSize: 8, hiddenSize: 12), vocabulary: data.vocabulary, seed: 4)
    let sentences = Array(data.heldOut.prefix(5))
    var sum = 0.0, n = 0
    for s in sentences {
        var state = try model.makeState()
        var next = try model.append([data.vocabulary.beginId], to: &state)     // one token at a time, as a decoder runs
        for w in s + [data.vocabulary.endId] {
            sum += Double(next[w]); n += 1
            if w != data.vocabulary.endId { next = try model.append([w], to: &state) }
        }
    }
    let incremental = Foundation.exp(-sum / Double(n))
    let batched = model.perplexity(sentences)
    print("\(kind): perplexity token by token \(incremental), padded batches \(batched.perplexity): diff \(abs(incremental - batched.perplexity))")
    #expect(batched.tokens == n)
    #expect(abs(incremental - batched.perplexity) < 1e-4 * incremental)
}

@Test func rnnGradientVanishesFasterThanGRUs() throws {
    let data = StoryData.english
    let sequences = heldOutSequences(count: 6, length: 32)
    let maxLag = 20
    var curves: [RecurrentCellKind: [GradientNormPoint]] = [:]
    for kind in RecurrentCellKind.allCases {
        let m = smallRecurrentLMs[kind]!
        let ppl = m.perplexity(data.heldOut).perplexity
        print("\(m.name): held-out perplexity \(String(format: "%.3f", ppl))")
        #expect(ppl < 20)                                      // the unigram model is ~100: it learned something
        curves[kind] = m.meanGradientNorms(sequences, maxLag: maxLag)
        print("\(m.name) ‖∂L/∂h_{T−1−k}‖, k = 0…\(maxLag): " + curves[kind]!.map { String(format: "%.2e", $0.norm) }.joined(separator: " "))
    }
    let decay = { (k: RecurrentCellKind) in curves[k]![maxLag].norm / curves[k]![0].norm }
    print("g(\(maxLag))/g(0): RNN \(decay(.elman)), GRU \(decay(.gru))")
    #expect(decay(.elman) < decay(.gru) / 10)
}

@Test(arguments: RecurrentCellKind.allCases)
func gradientNormAgreesWithFiniteDifferences(kind: RecurrentCellKind) throws {
    let m = smallRecurrentLMs[kind]!
    let seq = heldOutSequences(count: 2, length: 20)[1]
    let (tape, estimate) = m.finiteDifferenceNorm(seq, lag: 4)
    print("\(m.name), lag 4: tape ‖∂L/∂h‖ = \(tape), finite difference \(estimate), rel diff \(abs(tape - estimate) / tape)")
    #expect(tape > 1e-4)
    #expect(abs(tape - estimate) < 1e-2 * tape)
}
