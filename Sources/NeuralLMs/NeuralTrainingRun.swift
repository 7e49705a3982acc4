// NeuralTrainingRun — one training run of a lesson 5–6 model (NNLM, Elman RNN / GRU LM, seq2seq), from the
// choice "new model or resume" to the two files it leaves in its folder:
//
//   <folder>/checkpoint.safetensors   weights + AdamW moments + step: what a resumed run continues from
//   <folder>/model.safetensors        the weights alone: what the query commands load
//
//   let run = try NeuralTrainingRun(folder: out, kind: "nnlm", corpus: "stories-en", resume: false,
//                                   options: options) { NNLM(config: config, vocabulary: vocab, seed: 1) }
//   let outcome = try run.trainAndSave(progress: show, finished: report) { model, optimizer, progress in
//       try model.train(on: ids, options: options, optimizer: optimizer, progress: progress)
//   }
//
// Ctrl-C and SIGTERM stop the loop after a whole step (TrainingLoop.swift); the files are written either way, and
// after a SIGTERM the process then ends as its sender asked (LabCore/Cancellation.swift).

import Autograd
import Foundation
import LabCore

/// How a lesson 5–6 model trains (each model's `defaultTraining`; `lmlab train` may override steps, batch, rate and
/// seed): AdamW at `learningRate` decaying linearly to 10 %, gradients clipped at norm `clip`.
public struct NeuralTrainingSettings: Sendable, Equatable {
    public var steps: Int
    /// Examples per step: (context, word) pairs for the NNLM, sentences for the RNN LM, sentence pairs for seq2seq.
    public var batchSize: Int
    public var learningRate: Float
    public var weightDecay: Float
    public var clip: Float
    /// Seeds the shuffle of each epoch.
    public var seed: UInt64

    public init(steps: Int, batchSize: Int, learningRate: Float, weightDecay: Float = 0, clip: Float, seed: UInt64 = 1) {
        self.steps = steps
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.weightDecay = weightDecay
        self.clip = clip
        self.seed = seed
    }
}

/// A neural model that trains with AdamW and round-trips through a `NeuralCheckpoint`.
public protocol TrainableNeuralModel: AnyObject {
    /// What the reports call the model ("NNLM (n = 5)", "GRU LM", "seq2seq").
    var name: String { get }
    var namedParameters: [(String, Variable)] { get }
    /// The checkpoint of the model (and of `optimizer`, to resume); `corpus` names the training text.
    func checkpoint(optimizer: AdamW?, corpus: String?) throws -> NeuralCheckpoint
    init(checkpoint: NeuralCheckpoint) throws
}

extension NNLM: TrainableNeuralModel {}
extension RecurrentLM: TrainableNeuralModel {}
extension Seq2Seq: TrainableNeuralModel {
    public var name: String { "seq2seq" }
}

extension TrainableNeuralModel {
    /// Σ of every parameter tensor's size.
    public var parameterCount: Int { namedParameters.map { $0.1.value.count }.reduce(0, +) }

    /// An AdamW over this model's parameters with `options`' rate and weight decay.
    public func makeOptimizer(_ options: NeuralTrainingSettings) -> AdamW {
        AdamW(namedParameters.map(\.1), learningRate: options.learningRate, weightDecay: options.weightDecay)
    }
}

/// A model to train, fresh or resumed from its folder's checkpoint, with the optimizer that goes with it.
public struct NeuralTrainingRun<Model: TrainableNeuralModel> {
    public let model: Model
    public let optimizer: AdamW
    public let folder: URL
    /// The training text's name, kept in the checkpoint's metadata (the query commands reload that corpus).
    public let corpus: String?
    /// The step a resumed run continues after; nil for a new model.
    public let resumedAt: Int?

    /// - Parameters:
    ///   - kind: the checkpoint kind a resumed file must carry ("nnlm", "elman", "gru", "seq2seq").
    ///   - resume: continue from `<folder>/checkpoint.safetensors`; otherwise `fresh()` makes the model.
    /// - Throws: `FileSystemProblem` when there is nothing to resume, or the checkpoint's own errors.
    public init(folder: URL, kind: String, corpus: String?, resume: Bool, options: NeuralTrainingSettings,
                fresh: () throws -> Model) throws {
        self.folder = folder
        self.corpus = corpus
        if resume {
            let url = folder.appendingPathComponent("checkpoint.safetensors")
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw FileSystemProblem(path: url.path,
                                        found: Learner.text("no checkpoint here, so there is nothing to resume", "这里没有检查点，没有可以接着训练的"),
                                        hint: Learner.text("leave out --resume to start a new run, or pass the --out of the run you stopped.",
                                                           "去掉 --resume 开始新的训练，或给出你停下的那次训练的 --out。"))
            }
            let checkpoint = try NeuralCheckpoint(contentsOf: url, kind: kind)
            model = try Model(checkpoint: checkpoint)
            optimizer = model.makeOptimizer(options)
            try checkpoint.load(into: model.namedParameters, optimizer: optimizer)
            resumedAt = optimizer.stepCount
        } else {
            model = try fresh()
            optimizer = model.makeOptimizer(options)
            resumedAt = nil
        }
    }

    /// Runs `train` to its end or Ctrl-C / SIGTERM, writes checkpoint.safetensors and model.safetensors, then calls
    /// `finished` — still inside the SIGTERM scope, so its report is printed before a terminated process ends.
    /// The folder is created first, so a file in its way costs no training.
    @discardableResult
    public func trainAndSave(progress: @escaping (TrainingMeter) -> Void, finished: (TrainingOutcome) -> Void,
                             _ train: (Model, AdamW, @escaping (TrainingMeter) -> Void) throws -> TrainingOutcome)
        throws -> TrainingOutcome {
        try createFolder(folder, for: "train --out")
        // No reset here: a Ctrl-C pressed while the corpus or model loaded stops the run at its first check (the
        // session, the REPL and the process each start a command with none pending).
        Cancellation.installInterruptHandler()
        return try Cancellation.checkpointingOnTermination {
            let outcome = try train(model, optimizer, progress)
            try model.checkpoint(optimizer: optimizer, corpus: corpus)
                .write(to: folder.appendingPathComponent("checkpoint.safetensors"))
            try model.checkpoint(optimizer: nil, corpus: corpus).write(to: folder.appendingPathComponent("model.safetensors"))
            finished(outcome)
            return outcome
        }
    }
}

extension NeuralTrainingSettings {
    /// These options with the overrides that were given.
    public func overridden(steps: Int? = nil, batchSize: Int? = nil, learningRate: Float? = nil,
                           seed: UInt64? = nil) -> Self {
        var o = self
        if let steps { o.steps = steps }
        if let batchSize { o.batchSize = batchSize }
        if let learningRate { o.learningRate = learningRate }
        if let seed { o.seed = seed }
        return o
    }
}
