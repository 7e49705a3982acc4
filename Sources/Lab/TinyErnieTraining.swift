// TinyErnieTraining — one run of `lmlab train tiny-ernie` (the lab's own small ERNIE, from scratch on the bilingual
// stories, saved in the Hugging Face layout) or `train tiny-instruct` (SFT of it on chats, loss on the answers):
// the tokenizer and the trainer (new, or resumed from <out>/checkpoint), training under the lab's progress line with
// a checkpoint every N steps and on Ctrl-C or SIGTERM, the model saved, its held-out score, and <out>/training.json
// for the model card. `bench` times steps instead and saves nothing.
//
// Steps of the base run: train the BPE tokenizer (seconds) → tokenize the corpus → train → save the model →
// held-out perplexity vs a unigram baseline → training.json (settings, loss curve, perplexities).
import ErnieTraining
import Foundation
import LabCore
import ModelFiles
import Tokenizers

public struct TinyErnieTraining: Sendable {
    /// The project folder (the corpus and the instruct data are read from it).
    public let root: URL
    /// The model folder to write, and whether --out named it.
    public let out: URL
    public let outGiven: Bool
    /// What the session calls the model (its folder's name without --out): --name, else the model's own name.
    public let name: String
    public let resume: Bool
    /// Overrides of the recipe's steps, batch size and learning rate; nil keeps the recipe's.
    public let steps: Int?
    public let batch: Int?
    public let lr: Float?
    public let seed: UInt64
    public let checkpointEvery: Int
    /// Time this many steps and save nothing.
    public let bench: Int?
    /// The command line, for training.json.
    public let arguments: [String]

    public init(root: URL, out: URL, outGiven: Bool, name: String, resume: Bool, steps: Int?, batch: Int?,
                lr: Float?, seed: UInt64, checkpointEvery: Int, bench: Int?, arguments: [String]) {
        (self.root, self.out, self.outGiven, self.name, self.resume) = (root, out, outGiven, name, resume)
        (self.steps, self.batch, self.lr, self.seed) = (steps, batch, lr, seed)
        (self.checkpointEvery, self.bench, self.arguments) = (checkpointEvery, bench, arguments)
    }

    /// `train tiny-ernie`: the base model of `shape` on `seq`-token sequences.
    public func base(shape: TinyErnieRecipe.Shape, seq: Int, vocab: Int, tokenizerFrom: String? = nil) throws {
        try model(name: "tiny-ernie", seq: seq, vocab: vocab, tokenizerFrom: tokenizerFrom) { TinyErnieRecipe.config(shape, tokenizer: $0) }
    }

    /// A whole `train tiny-ernie*` run of the model `name`: tokenizer (trained, the checkpoint's, or copied from the
    /// model folder `tokenizerFrom` so ids stay the same), model, training with checkpoints, the saved folder,
    /// held-out perplexity and training.json. `config` makes the new model's config.json from the tokenizer;
    /// `biasUpdateRate` balances an MoE's experts; `dtype` is the saved weights' (checkpoints stay float32).
    public func model(name: String, seq: Int, vocab: Int, biasUpdateRate: Float? = nil, dtype: SafetensorsDType = .f32,
                      tokenizerFrom: String? = nil, config makeConfig: (ErnieTokenizer) -> ERNIEConfig) throws {
        try announce()
        let checkpoint = out.appendingPathComponent("checkpoint")
        let started = Date()
        let trainer: TinyErnieTrainer
        let tokenizer: ErnieTokenizer
        if resume {
            trainer = try TinyErnieTrainer.resume(from: checkpoint, steps: steps)
            tokenizer = try ErnieTokenizer(folder: ModelFolder(url: out))
            TrainedModelFolder.resuming(trainer.step, of: trainer.options.steps, from: checkpoint).map { print($0) }
        } else {
            let tokFolder = bench != nil ? FileManager.default.temporaryDirectory
                .appendingPathComponent("lmlab-\(name)-bench-\(getpid())") : out
            if let tokenizerFrom {
                try TinyErnieRecipe.copyTokenizer(from: URL(fileURLWithPath: tokenizerFrom), to: tokFolder)
                tokenizer = try ErnieTokenizer(folder: ModelFolder(url: tokFolder))
            } else {
                tokenizer = try TinyErnieRecipe.makeTokenizer(root: root, folder: tokFolder, vocabSize: vocab)
            }
            let model = try TinyErnie(config: makeConfig(tokenizer), seed: seed)
            let steps = self.steps ?? 900
            let options = TrainingOptions(steps: steps, batchSize: batch ?? 16,
                                          learningRate: self.lr ?? 3e-3, minLearningRate: (self.lr ?? 3e-3) / 10,
                                          warmupSteps: min(100, steps / 10), seed: seed, biasUpdateRate: biasUpdateRate)
            trainer = TinyErnieTrainer(model: model, options: options)
        }
        let stream = try TokenStream(stories: TinyErnieRecipe.stories(TinyErnieRecipe.trainFiles, root: root),
                                     tokenizer: tokenizer, sequenceLength: seq)
        let c = trainer.model.config
        let experts = c.moe.map {
            Learner.text(", \($0.numExperts) experts × \($0.intermediateSize) (top \($0.topK), \($0.numSharedExperts) shared)",
                         "，\($0.numExperts) 个专家 × \($0.intermediateSize)（选前 \($0.topK) 个，\($0.numSharedExperts) 个共享）")
        } ?? ""
        let heads = "\(c.numAttentionHeads)/\(c.numKeyValueHeads) × \(c.headDim)"
        let (params, active) = (trainer.model.parameterCount, trainer.model.activeParameterCount)
        print(Learner.text(
            "\(name): D \(c.hiddenSize), \(c.numHiddenLayers) layers, heads \(heads), F \(c.intermediateSize)\(experts), "
                + "V \(c.vocabSize): \(params) parameters (\(active) per token); \(stream.tokens.count) training tokens; "
                + "batch \(trainer.options.batchSize) × \(seq); \(labThreadCount) threads",
            "\(name)：D \(c.hiddenSize)，\(c.numHiddenLayers) 层，头 \(heads)，F \(c.intermediateSize)\(experts)，"
                + "V \(c.vocabSize)：\(params) 个参数（每个词元用到 \(active) 个）；训练词元 \(stream.tokens.count) 个；"
                + "批次 \(trainer.options.batchSize) × \(seq)；\(labThreadCount) 个线程"))
        if let n = bench {
            Self.benchmark(trainer, source: stream, steps: n, seqLen: seq)
            return
        }
        guard try Self.train(trainer, source: stream, checkpoint: checkpoint, every: checkpointEvery) else { return }
        try trainer.model.save(to: out, dtype: dtype)
        let held = try TinyErnieRecipe.heldOutPerplexity(trainer, root: root, tokenizer: tokenizer, sequenceLength: seq,
                                                         trainTokens: stream.tokens)
        try TrainingReport(model: name, arguments: arguments, trainer: trainer,
                           sequenceLength: seq, trainingTokens: stream.tokens.count, heldoutTokens: held.heldOutTokens,
                           seconds: Date().timeIntervalSince(started),
                           metrics: ["heldout_perplexity": held.perplexity, "unigram_perplexity": held.unigram])
            .write(to: out.appendingPathComponent("training.json"))
        print(Learner.text(String(format: "Saved %@. Held-out perplexity %.2f (unigram baseline %.1f).", out.path, held.perplexity, held.unigram),
                           String(format: "已保存 %@。留出集困惑度 %.2f（一元模型基线 %.1f）。", out.path, held.perplexity, held.unigram)))
        print(TrainedModelFolder.remember(self.name, at: out,
                                          usage: "lmlab generate \"One day, Luna\" --model \(out.path)"))
    }

    /// `train tiny-instruct`: SFT of the tiny ERNIE in `base` (nil: the session's tiny-ernie, else the project's).
    /// - Throws: `OptionError` when --batch would need more memory than the machine has.
    public func instruct(base baseFolder: String?) throws {
        let baseURL = baseFolder.map { URL(fileURLWithPath: $0) } ?? SessionModels.shared.bound("tiny-ernie").map { URL(fileURLWithPath: $0) }
            ?? root.appendingPathComponent("Models/tiny-ernie")
        let checkpoint = out.appendingPathComponent("checkpoint")
        let started = Date()
        let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: baseURL))
        let trainer: TinyErnieTrainer
        if resume {
            trainer = try TinyErnieTrainer.resume(from: checkpoint, steps: steps)
            TrainedModelFolder.resuming(trainer.step, of: trainer.options.steps, from: checkpoint).map { print($0) }
        } else {
            let model = try TinyErnie(folder: baseURL)
            let steps = self.steps ?? 600
            let lr = self.lr ?? 1e-3
            trainer = TinyErnieTrainer(model: model, options: TrainingOptions(
                steps: steps, batchSize: batch ?? 16, learningRate: lr, minLearningRate: lr / 10,
                warmupSteps: min(50, steps / 10), seed: seed))
        }
        let train = try ChatBatches(examples: ChatExample.load(root.appendingPathComponent(TinyErnieRecipe.instructTrain)),
                                    tokenizer: tokenizer)
        let bytes = TinyErnie.trainingBytes(trainer.model.config, batch: trainer.options.batchSize,
                                            sequenceLength: train.sequenceLength)
        try TinyErnieRecipe.checkTrainingMemory(bytes, options: "--batch")
        try announce()     // once the base, the data and the memory are known: no folder left on a failure
        print("tiny-instruct: \(train.examples.count) chats (≤ \(train.sequenceLength) tokens) from \(baseURL.path); "
            + "batch \(trainer.options.batchSize); \(trainer.options.steps) steps")
        if let n = bench {
            Self.benchmark(trainer, source: train, steps: n, seqLen: train.sequenceLength)
            return
        }
        guard try Self.train(trainer, source: train, checkpoint: checkpoint, every: checkpointEvery) else { return }
        try trainer.model.save(to: out)
        try TinyErnieRecipe.finishInstructFolder(trainer.model, tokenizer: tokenizer, base: baseURL, out: out)

        let heldout = try ChatBatches(examples: ChatExample.load(root.appendingPathComponent(TinyErnieRecipe.instructHeldout)),
                                      tokenizer: tokenizer)
        let mean = { (xs: [Double]) in xs.reduce(0, +) / Double(xs.count) }
        let (base, tuned) = (mean(heldout.answerLogProbs(try TinyErnie(folder: baseURL))), mean(heldout.answerLogProbs(trainer.model)))
        try TrainingReport(model: "tiny-ernie-instruct", arguments: arguments, trainer: trainer,
                           sequenceLength: train.sequenceLength,
                           trainingTokens: train.examples.reduce(0) { $0 + $1.answer.count },
                           heldoutTokens: heldout.examples.reduce(0) { $0 + $1.answer.count },
                           seconds: Date().timeIntervalSince(started),
                           metrics: ["heldout_answer_logprob_base": base, "heldout_answer_logprob_instruct": tuned,
                                     "heldout_examples": Double(heldout.examples.count)])
            .write(to: out.appendingPathComponent("training.json"))
        print(Learner.text(String(format: "Saved %@. Held-out answers: mean log P %.3f (instruct) vs %.3f (base) over %d chats.",
                                  out.path, tuned, base, heldout.examples.count),
                           String(format: "已保存 %@。留出集答案的平均 log P：%.3f（指令模型）对 %.3f（基座模型），共 %d 段对话。",
                                  out.path, tuned, base, heldout.examples.count)))
        print(TrainedModelFolder.remember(name, at: out,
                                          usage: "lmlab generate \"What is the capital of Russia?\" --chat --model \(out.path)"))
    }

    /// Before a run that saves (not --bench): TrainedModelFolder.begin for the session's name of the model.
    private func announce() throws {
        guard bench == nil else { return }
        try TrainedModelFolder.begin(out, name: name, outGiven: outGiven, resume: resume)
    }

    /// Trains `trainer` with the lab's progress line, checkpointing into `checkpoint`; returns true when every step is
    /// done, after saying where a stopped run was saved.
    static func train(_ trainer: TinyErnieTrainer, source: BatchSource, checkpoint: URL, every: Int) throws -> Bool {
        // A line every 50 steps, or every tenth of a shorter run: lesson 7's 40 steps show their loss falling.
        let progress = TrainingProgressLine(every: min(50, max(1, trainer.options.steps / 10)))
        let done = try trainer.trainCheckpointing(source, checkpoint: checkpoint, every: every, progress: progress.show) {
            progress.finish()
            print(TrainedModelFolder.stopped(atStep: "\(trainer.step)/\(trainer.options.steps)", in: checkpoint, checkpoint: true))
        }
        progress.finish()
        return done
    }

    /// Times `steps` training steps after one warm-up step and prints the speed.
    static func benchmark(_ trainer: TinyErnieTrainer, source: BatchSource, steps: Int, seqLen: Int) {
        let r = trainer.bench(source, steps: steps)
        print(String(format: "bench: %d steps (batch %d × seq %d) in %.2f s: %.3f steps/s, %.0f tok/s, %d threads",
                     r.steps, trainer.options.batchSize, seqLen, r.seconds, r.stepsPerSecond, r.tokensPerSecond, labThreadCount))
    }

    /// `train tiny-ernie-moe --evaluate FOLDER`: the held-out perplexity of a saved tiny ERNIE (dense or MoE),
    /// measured as training.json's, in windows of `sequenceLength` tokens.
    public static func evaluation(folder: String, root: URL, sequenceLength seq: Int) throws -> String {
        let r = try TinyErnieRecipe.heldOutPerplexity(folder: URL(fileURLWithPath: folder), root: root, sequenceLength: seq)
        return Learner.text(String(format: "%@: held-out perplexity %.3f over %d tokens (windows of %d)", folder, r.perplexity, r.heldOutTokens, seq),
                            String(format: "%@：留出集困惑度 %.3f，共 %d 个词元（窗口 %d）", folder, r.perplexity, r.heldOutTokens, seq))
    }
}
