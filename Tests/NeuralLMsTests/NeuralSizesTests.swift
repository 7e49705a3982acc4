// A checkpoint's config is checked before the model it describes is allocated: a stranger's file asking for a
// billion hidden units is an error naming the file and the key (issue #17).
import Foundation
import Testing
import Tokenizers
@testable import NeuralLMs

@Test func checkpointWithAHugeConfigIsRefusedBeforeAllocating() throws {
    let vocab = TokenVocabulary(tokens: ["a", "b", "c"])
    var checkpoint = try NNLM(config: NNLMConfig(contextSize: 2, embeddingSize: 4, hiddenSize: 5), vocabulary: vocab, seed: 1)
        .checkpoint(optimizer: nil)
    checkpoint.metadata["config"] = #"{"contextSize": 2, "embeddingSize": 4, "hiddenSize": 1000000000, "directConnections": true}"#
    #expect {
        _ = try NNLM(checkpoint: checkpoint)
    } throws: { error in
        let text = "\(error)"
        return text.contains("hiddenSize (--hidden) 1000000000 is outside 1…4096") && text.contains("metadata \"config\"")
    }
    // The sizes the lab trains are inside the ranges.
    try NNLMConfig().validate()
    try RecurrentLMConfig(cell: .gru).validate()
    try Seq2SeqConfig().validate()
    #expect(throws: NeuralSizeError.self) { try RecurrentLMConfig(cell: .elman, bptt: 0).validate() }
    #expect(throws: NeuralSizeError.self) { try Seq2SeqConfig(attentionSize: -1).validate() }
}
