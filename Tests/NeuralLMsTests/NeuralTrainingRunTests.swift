// NeuralTrainingRun: a new run writes model.safetensors and checkpoint.safetensors; --resume continues after the
// saved step with the same weights; resuming where nothing was saved says so and how to fix it.
import Foundation
import LabCore
import Testing
import Tokenizers
@testable import NeuralLMs

@Test func neuralTrainingRunSavesAndResumes() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lmlab-neural-run-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let vocab = TokenVocabulary(tokens: ["a", "b", "c"])
    let config = NNLMConfig(contextSize: 2, embeddingSize: 4, hiddenSize: 5)
    let sentences = [[3, 4, 5], [5, 4, 3], [3, 3, 4]]
    let options = NNLM.defaultTraining.overridden(steps: 3, batchSize: 4, seed: 7)
    #expect(options.steps == 3 && options.batchSize == 4 && options.learningRate == NNLM.defaultTraining.learningRate)

    #expect(throws: FileSystemProblem.self) {
        try NeuralTrainingRun<NNLM>(folder: folder, kind: "nnlm", corpus: "x", resume: true, options: options) {
            NNLM(config: config, vocabulary: vocab, seed: 1)
        }
    }

    let run = try NeuralTrainingRun(folder: folder, kind: "nnlm", corpus: "stories-en", resume: false, options: options) {
        NNLM(config: config, vocabulary: vocab, seed: 1)
    }
    #expect(run.resumedAt == nil)
    var reported: TrainingOutcome?
    let outcome = try run.trainAndSave(progress: { _ in }, finished: { reported = $0 }) { model, optimizer, progress in
        try model.train(on: sentences, options: options, optimizer: optimizer, progress: progress, checkCancel: {})
    }
    #expect(outcome.lastStep == 3 && !outcome.cancelled && reported?.lastStep == 3)
    let saved = try NeuralCheckpoint(contentsOf: folder.appendingPathComponent("model.safetensors"), kind: "nnlm")
    #expect(saved.metadata["corpus"] == "stories-en")

    let more = options.overridden(steps: 5, batchSize: nil, learningRate: nil, seed: 7)
    let resumed = try NeuralTrainingRun(folder: folder, kind: "nnlm", corpus: "stories-en", resume: true, options: more) {
        Issue.record("a resumed run must not build a new model")
        return NNLM(config: config, vocabulary: vocab, seed: 2)
    }
    #expect(resumed.resumedAt == 3)
    #expect(resumed.model.embedding.value.data == run.model.embedding.value.data)
    #expect(resumed.model.parameterCount == run.model.parameterCount)
}
