// The translator without attention (Seq2SeqConfig.usesAttention = false): the decoder reads the encoder's final
// states [→h_S; ←h₁] at every step, and nothing of the attention exists.
import Testing
import Foundation
import LabCore
import Autograd
@testable import NeuralLMs

@Test func aConfigWithoutTheKeyHasAttentionAndTheKeyRoundTrips() throws {
    let old = try JSONDecoder().decode(Seq2SeqConfig.self, from: Data(#"{"embeddingSize":8,"hiddenSize":4,"attentionSize":4}"#.utf8))
    #expect(old.usesAttention)
    let plain = Seq2SeqConfig(embeddingSize: 8, hiddenSize: 4, attentionSize: 4, usesAttention: false)
    #expect(try JSONDecoder().decode(Seq2SeqConfig.self, from: JSONEncoder().encode(plain)) == plain)
}

@Test func withoutAttentionTheDecoderReadsTheFinalStatesAtEveryStep() throws {
    let model = Seq2Seq.numbers(config: Seq2SeqConfig(embeddingSize: 6, hiddenSize: 5, attentionSize: 3, usesAttention: false))
    #expect(!model.namedParameters.contains { $0.0.hasPrefix("attention.") })
    let source = [[3, 7, 2]]
    let enc = model.encode(source)
    #expect(enc.keys == nil)
    // The fixed context is the forward state after the last word beside the backward state at the first.
    let h = 5
    let annotations = enc.annotations.value.data                     // [1, S, 2Hd]
    let forwardLast = Array(annotations[(2 * 2 * h)..<(2 * 2 * h + h)])
    let backwardFirst = Array(annotations[h..<(2 * h)])
    #expect(enc.summary.value.data == forwardLast + backwardFirst)
    let step = model.decodeStep([model.targetVocabulary.beginId], state: enc.initialState, encoding: enc)
    #expect(step.weights == nil && step.logits.shape == [1, model.targetVocabulary.count])
}
