// The models committed under Models/ (made by `lmlab train nnlm|rnn|gru|seq2seq`, see each README.md): they load
// strictly, beat the best n-gram model on held-out text, and the translator meets its bars on the held-out numbers.
import Testing
import Foundation
import ClassicLMs
@testable import NeuralLMs

func shippedModel(_ name: String) -> URL {
    dataDirectory().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Models/\(name)/model.safetensors")
}

/// Held-out perplexity of the best n-gram model of the lesson: 5-gram interpolated Kneser–Ney, d = 0.75.
let bestKneserNeyPerplexity: Double = {
    let data = StoryData.english
    let counts = NGramCounts(order: 5, vocabularySize: data.vocabulary.count, beginId: 1, endId: 2, sentences: data.train)
    return NGramModel(counts: counts, smoothing: .kneserNey(discount: 0.75), vocabulary: data.vocabulary)
        .perplexity(data.heldOut).perplexity!
}()

@Test func shippedLanguageModelsBeatKneserNey() throws {
    let data = StoryData.english
    let nnlm = try NNLM(checkpoint: NeuralCheckpoint(contentsOf: shippedModel("nnlm-stories-en"), kind: "nnlm"))
    #expect(nnlm.tokens == data.vocabulary)                       // the n-gram lesson's vocabulary, id for id
    var rows = [("5-gram KN", bestKneserNeyPerplexity), ("NNLM", nnlm.perplexity(data.heldOut).perplexity)]
    for kind in RecurrentCellKind.allCases {
        let m = try RecurrentLM(checkpoint: NeuralCheckpoint(contentsOf: shippedModel("\(kind.rawValue)-stories-en"), kind: kind.rawValue))
        #expect(m.tokens == data.vocabulary)
        rows.append((m.name, m.perplexity(data.heldOut).perplexity))
    }
    for (name, ppl) in rows { print("held-out perplexity, \(name): \(String(format: "%.3f", ppl))") }
    #expect(rows.dropFirst().allSatisfy { $0.1 < bestKneserNeyPerplexity })
}

@Test func shippedTranslatorMeetsItsBars() throws {
    let model = try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: shippedModel("seq2seq-numbers"), kind: "seq2seq"))
    let (exact, aligned) = model.evaluate(NumberTranslation.split().heldOut)
    print("shipped seq2seq on 500 held-out numbers: exact match \(exact), alignment \(aligned)")
    #expect(exact >= 0.95 && aligned >= 0.90)
}

@Test func shippedTranslatorWithoutAttentionIsTheSameModelMinusAttention() throws {
    let with = try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: shippedModel("seq2seq-numbers"), kind: "seq2seq"))
    let plain = try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: shippedModel("seq2seq-numbers-plain"), kind: "seq2seq"))
    #expect(with.config.usesAttention && with.attention != nil)   // written before the key existed: attention
    #expect(!plain.config.usesAttention && plain.attention == nil)
    let attentionWeights = with.attention!.named("").map { $0.1.value.count }.reduce(0, +)
    #expect(plain.parameterCount == with.parameterCount - attentionWeights)
    let heldOut = NumberTranslation.split().heldOut
    let byLength = plain.exactMatchByLength(heldOut)
    print("seq2seq without attention, exact by length: \(byLength)")
    #expect(byLength.map(\.numbers).reduce(0, +) == heldOut.count)
    #expect(byLength.map(\.words) == byLength.map(\.words).sorted())
    let t = plain.translate(["three", "thousand", "four", "hundred", "five"])
    #expect(t.output.joined() == "三千四百零五" && t.alignment.isEmpty)
}
