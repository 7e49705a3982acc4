// TinyErnieTrainer — the training loop of the tiny ERNIE (base pre-training and SFT alike):
//
//   for step s = t₀+1 … S:
//     batch  = source.batch(rng seeded by (seed, s))         B windows of T tokens, next-token targets
//     L      = crossEntropy(model(batch.ids), targets)       mean over counted targets
//     ∇L     by backpropagation (Autograd tape)
//     clip   ‖∇‖ to `clipNorm` (Pascanu et al. 2013)
//     η(s)   = η·s/W during warm-up, then η_min + ½(η − η_min)(1 + cos(π·(s − W)/(S − W)))   (Loshchilov & Hutter, SGDR)
//     AdamW step with η(s)                                    (Loshchilov & Hutter 2019)
//     MoE: b_e += γ·sign(mean load − load_e)                  per MoE layer, when γ is set (TinyErnieMoE.swift)
//     try Cancellation.check()                                Ctrl-C stops here, after a whole step
//
// Because batch s depends only on (seed, s) and the checkpoint holds the weights, AdamW's moments and s, a run
// stopped at any step and resumed reaches the same weights as an uninterrupted run.

import Autograd
import Foundation
import LabCore
import ModelFiles

/// Hyper-parameters of one run (saved in the checkpoint and quoted in the model card).
public struct TrainingOptions: Codable, Equatable, Sendable {
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    public var minLearningRate: Float
    public var warmupSteps: Int
    public var weightDecay: Float
    public var clipNorm: Float
    public var seed: UInt64
    /// γ of the MoE correction bias's balancing step (auxiliary-loss-free load balancing); nil: no MoE balancing.
    public var biasUpdateRate: Float?

    public init(steps: Int, batchSize: Int, learningRate: Float, minLearningRate: Float, warmupSteps: Int,
                weightDecay: Float = 0.1, clipNorm: Float = 1.0, seed: UInt64 = 0, biasUpdateRate: Float? = nil) {
        self.steps = steps; self.batchSize = batchSize; self.learningRate = learningRate
        self.minLearningRate = minLearningRate; self.warmupSteps = warmupSteps; self.weightDecay = weightDecay
        self.clipNorm = clipNorm; self.seed = seed; self.biasUpdateRate = biasUpdateRate
    }

    /// η(s) for step s = 1…steps: linear warm-up, then cosine decay to `minLearningRate`.
    public func learningRate(at step: Int) -> Float {
        if step <= warmupSteps { return learningRate * Float(step) / Float(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, steps - warmupSteps))
        let cosine = 0.5 * (1 + Foundation.cos(Double.pi * min(1, progress)))
        return minLearningRate + (learningRate - minLearningRate) * Float(cosine)
    }
}

/// One logged point of the loss curve.
public struct LossPoint: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Double
    public var learningRate: Double
}

public final class TinyErnieTrainer {
    public let model: TinyErnie
    public let options: TrainingOptions
    public let optimizer: AdamW
    /// Steps done so far (restored by `resume`).
    public private(set) var step = 0
    /// Mean training loss of every `logEvery` steps, for the model card's curve.
    public private(set) var curve: [LossPoint] = []
    public var logEvery = 50
    private var pending: (sum: Double, count: Int) = (0, 0)

    public init(model: TinyErnie, options: TrainingOptions) {
        TrainingMemory.keepFreedPages          // reuse each step's freed tensors' pages (TrainingMemory.swift)
        self.model = model
        self.options = options
        optimizer = AdamW(model.parameterList, learningRate: options.learningRate, betas: (0.9, 0.95),
                          eps: 1e-8, weightDecay: options.weightDecay)
    }

    /// The RNG of step s: a fixed function of (seed, s), so a resumed run draws the batches it would have drawn.
    static func rng(seed: UInt64, step: Int) -> SeededRNG {
        SeededRNG(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(step))
    }

    /// Mean cross-entropy of `batch` (nats per counted token), building the graph for backpropagation.
    /// `recordLoad` hears each MoE layer's tokens per expert.
    public func loss(_ batch: TrainingBatch, recordLoad: ((Int, [Int]) -> Void)? = nil) -> Variable {
        let logits = model.forward(batch.ids, batch: batch.batch, recordLoad: recordLoad)   // [B·T, V]
        return crossEntropy(logits, targets: batch.targets, ignoreIndex: TrainingBatch.ignore)
    }

    /// One optimizer step on the next batch of `source`; returns the batch's loss and counted tokens.
    @discardableResult
    public func trainStep(_ source: BatchSource) -> (loss: Double, tokens: Int) {
        var rng = Self.rng(seed: options.seed, step: step + 1)
        let batch = source.batch(size: options.batchSize, rng: &rng)
        optimizer.zeroGrad()
        // The graph is dropped before the update: its backward closures hold the weights' arrays, and AdamW
        // writing into a shared array would copy every weight (copy-on-write) at every step.
        var loads: [Int: [Int]] = [:]
        let value: Double = {
            let l = loss(batch) { loads[$0] = $1 }
            l.backward()
            return Double(l.value.scalar)
        }()
        clipGradNorm(optimizer.parameters, maxNorm: options.clipNorm)
        optimizer.learningRate = options.learningRate(at: step + 1)
        optimizer.step()
        if let rate = options.biasUpdateRate { model.balanceExperts(loads: loads, rate: rate) }
        step += 1
        pending.sum += value; pending.count += 1
        if step % logEvery == 0 || step == options.steps {
            curve.append(LossPoint(step: step, loss: pending.sum / Double(pending.count),
                                   learningRate: Double(optimizer.learningRate)))
            pending = (0, 0)
        }
        return (value, batch.countedTokens)
    }

    /// How a call to `run` ended.
    public enum RunEnd: Equatable, Sendable {
        /// Every step of `options.steps` is done.
        case finished
        /// `stopAfter` steps were done; call `run` again to continue.
        case paused
        /// Ctrl-C: stopped after a whole step.
        case cancelled
    }

    /// Trains until `options.steps` (or `stopAfter` more steps), calling `progress` after every step with the
    /// meter of this call. Ctrl-C (`Cancellation`) stops after the current step; the trainer keeps its state, so
    /// the caller can save a checkpoint.
    public func run(_ source: BatchSource, stopAfter: Int? = nil, meter: inout TrainingMeter,
                    progress: (TrainingSample, TrainingMeter) -> Void) -> RunEnd {
        let last = min(options.steps, stopAfter.map { step + $0 } ?? .max)
        while step < last {
            let (l, tokens) = trainStep(source)
            let sample = meter.record(step: step, loss: l, tokens: tokens)
            progress(sample, meter)
            do { try Cancellation.check() } catch { return .cancelled }
        }
        return step >= options.steps ? .finished : .paused
    }

    /// Mean loss (nats per counted token) over `batches`, without building a graph worth keeping.
    public func evaluate(_ batches: [TrainingBatch]) -> Double {
        var total = 0.0, count = 0
        for b in batches {
            let n = b.countedTokens
            total += Double(loss(b).value.scalar) * Double(n)
            count += n
        }
        return total / Double(max(1, count))
    }

    // MARK: Checkpoints

    /// Saves weights, AdamW's moments, the step, the options and the loss curve as one set (`CheckpointSet`) in
    /// `folder`: model.safetensors + config.json (the model's own layout), optimizer.safetensors (m.{name},
    /// v.{name}), trainer.json, and manifest.json written last.
    public func saveCheckpoint(to folder: URL) throws {
        try CheckpointSet.save(to: folder, step: step) { folder in
            try model.save(to: folder)
            let state = optimizer.state
            var writer = SafetensorsWriter(metadata: ["format": "pt", "step": String(state.step)])
            for (i, name) in model.names.enumerated() {
                let shape = model.parameters[name]!.shape
                try writer.add("m." + name, floats: state.m[i], shape: shape, as: .f32)
                try writer.add("v." + name, floats: state.v[i], shape: shape, as: .f32)
            }
            try writer.write(to: folder.appendingPathComponent("optimizer.safetensors"))
            let record = CheckpointRecord(step: step, options: options, curve: curve, pendingLoss: pending.sum,
                                          pendingCount: pending.count)
            try TinyErnieTokenizer.writeJSON(record, to: folder.appendingPathComponent("trainer.json"))
        }
    }

    /// A trainer continuing the run saved at `checkpoint` by `saveCheckpoint`. `steps` may extend the run.
    ///
    /// - Throws: `TinyErnieError.noCheckpoint` when nothing was saved there, `.badCheckpoint` when the set is
    ///   incomplete or its files disagree.
    public static func resume(from checkpoint: URL, steps: Int? = nil) throws -> TinyErnieTrainer {
        let (folder, manifest) = try CheckpointSet.verified(checkpoint)
        let recordURL = folder.appendingPathComponent("trainer.json")
        let record: CheckpointRecord
        do { record = try JSONDecoder().decode(CheckpointRecord.self, from: Data(contentsOf: recordURL)) } catch {
            throw TinyErnieError.badCheckpoint(file: recordURL.path, reason: Learner.text(
                "cannot read the trainer state (\(fileSystemReason(error))).", "读不了训练器状态（\(fileSystemReason(error))）。"))
        }
        guard record.step == manifest.step else {
            throw TinyErnieError.badCheckpoint(file: recordURL.path, reason: Learner.text(
                "is at step \(record.step), manifest.json at step \(manifest.step): files of two saves are mixed.",
                "在第 \(record.step) 步，manifest.json 在第 \(manifest.step) 步：两次保存的文件混在一起了。"))
        }
        var options = record.options
        if let steps { options.steps = steps }
        let model = try TinyErnie(folder: folder)
        let trainer = TinyErnieTrainer(model: model, options: options)
        let file = try SafetensorsFile(url: folder.appendingPathComponent("optimizer.safetensors"))
        guard file.metadata["step"] == String(record.step) else {
            throw TinyErnieError.badCheckpoint(file: file.url.path, reason: Learner.text(
                "holds the moments of step \(file.metadata["step"] ?? "?"), trainer.json is at step \(record.step): files of two saves are mixed.",
                "存的是第 \(file.metadata["step"] ?? "?") 步的矩，trainer.json 在第 \(record.step) 步：两次保存的文件混在一起了。"))
        }
        var m: [[Float]] = [], v: [[Float]] = []
        for name in model.names {
            m.append(try file.tensor("m." + name).floats())
            v.append(try file.tensor("v." + name).floats())
            guard m.last!.count == model.parameters[name]!.value.count, v.last!.count == m.last!.count else {
                throw TinyErnieError.badCheckpoint(file: file.url.path, reason: Learner.text("moments of \(name) do not match the weights.",
                                                                                                "\(name) 的矩与权重对不上。"))
            }
        }
        trainer.optimizer.restore(step: record.step, m: m, v: v)
        trainer.step = record.step
        trainer.curve = record.curve
        trainer.pending = (record.pendingLoss, record.pendingCount)
        return trainer
    }
}

/// trainer.json of a checkpoint.
struct CheckpointRecord: Codable {
    var step: Int
    var options: TrainingOptions
    var curve: [LossPoint]
    var pendingLoss: Double
    var pendingCount: Int
}
