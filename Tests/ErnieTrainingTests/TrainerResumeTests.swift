// Training is reproducible and resumable: a run stopped after k steps, saved, and resumed from its checkpoint
// reaches exactly the weights of the uninterrupted run (same batches, AdamW moments and step restored). Also: the
// loss goes down on a toy stream, and the learning-rate schedule has its warm-up and cosine shape.

import Foundation
import LabCore
import Testing
@testable import ErnieTraining

/// A repetitive token stream a small model learns quickly: 3 5 7 9 … patterns over 97 ids.
func toyStream() throws -> TokenStream {
    var tokens: [Int] = []
    for i in 0..<2000 { tokens.append(3 + (i * 7 + (i / 13) % 5) % 90) }
    return try TokenStream(tokens: tokens, sequenceLength: 16)
}

@Test func resumedRunReachesTheSameWeights() throws {
    let options = TrainingOptions(steps: 6, batchSize: 3, learningRate: 3e-3, minLearningRate: 3e-4, warmupSteps: 2, seed: 5)
    let stream = try toyStream()

    let straight = TinyErnieTrainer(model: try TinyErnie(config: smallConfig(), seed: 9), options: options)
    for _ in 0..<6 { straight.trainStep(stream) }

    let first = TinyErnieTrainer(model: try TinyErnie(config: smallConfig(), seed: 9), options: options)
    for _ in 0..<3 { first.trainStep(stream) }
    let folder = temporaryFolder("resume")
    try first.saveCheckpoint(to: folder)
    let resumed = try TinyErnieTrainer.resume(from: folder)
    #expect(resumed.step == 3)
    for _ in 0..<3 { resumed.trainStep(stream) }

    var maxDiff: Float = 0
    for name in straight.model.names {
        let a = straight.model.parameters[name]!.value.data, b = resumed.model.parameters[name]!.value.data
        maxDiff = max(maxDiff, zip(a, b).map { abs($0 - $1) }.max()!)
    }
    let moved = zip(straight.model.parameters["model.embed_tokens.weight"]!.value.data,
                    try TinyErnie(config: smallConfig(), seed: 9).parameters["model.embed_tokens.weight"]!.value.data)
        .map { abs($0 - $1) }.max()!
    print("resume after 3 of 6 steps: max abs weight diff to the straight run \(maxDiff) (weights moved by up to \(moved))")
    #expect(maxDiff == 0)
    #expect(moved > 1e-3)
}

@Test func lossFallsOnAToyStream() throws {
    let stream = try toyStream()
    let trainer = TinyErnieTrainer(model: try TinyErnie(config: smallConfig(), seed: 2),
                                   options: TrainingOptions(steps: 60, batchSize: 4, learningRate: 1e-2,
                                                            minLearningRate: 1e-3, warmupSteps: 5, seed: 1))
    let batches = stream.evaluationBatches(size: 8, limit: 16)
    let before = trainer.evaluate(batches)
    var meter = TrainingMeter(totalSteps: 60)
    let end = trainer.run(stream, meter: &meter) { _, _ in }
    let after = trainer.evaluate(batches)
    print("toy stream loss: \(before) → \(after) nats after 60 steps (ln 97 = \(Foundation.log(97.0)))")
    #expect(end == .finished)
    #expect(after < before - 1.5)
}

@Test func learningRateWarmsUpThenDecaysByCosine() {
    let o = TrainingOptions(steps: 110, batchSize: 1, learningRate: 1, minLearningRate: 0.1, warmupSteps: 10)
    #expect(o.learningRate(at: 5) == 0.5)
    #expect(o.learningRate(at: 10) == 1)
    #expect(abs(o.learningRate(at: 60) - 0.55) < 1e-6)           // halfway down the cosine: (1 + 0.1) / 2
    #expect(abs(o.learningRate(at: 110) - 0.1) < 1e-6)
}
