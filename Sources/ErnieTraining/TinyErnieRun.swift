// TinyErnieRun — what a whole `lmlab train tiny-ernie` / `tiny-instruct` run does around the trainer's steps:
//
//   train      steps in stretches of `every`, a checkpoint after each stretch and on Ctrl-C / SIGTERM
//   bench      time N steps after one warm-up step (the first allocates), save nothing
//   evaluate   held-out perplexity of the base model against a unigram baseline; for the SFT model, the mean
//              log P of the held-out reference answers under the base and the tuned model
//   report     <out>/training.json: settings, loss curve and those numbers, which the model card quotes
//
// Nothing here prints: the command passes closures for progress and for the line said when a run stops.

import Foundation
import LabCore
import ModelFiles
import Tokenizers

extension TinyErnieTrainer {
    /// Trains to the end of `options.steps` or Ctrl-C / SIGTERM, saving a checkpoint into `checkpoint` every `every`
    /// steps and when stopped; returns true when every step is done. `stopped` runs after the checkpoint of a
    /// stopped run is saved — still inside the SIGTERM scope, so what it prints is out before the process ends.
    public func trainCheckpointing(_ source: BatchSource, checkpoint: URL, every: Int,
                                   progress: (TrainingSample, TrainingMeter) -> Void, stopped: () -> Void) throws -> Bool {
        // No reset here: a Ctrl-C pressed while the corpus or model loaded stops the run at its first check (the
        // session, the REPL and the process each start a command with none pending).
        Cancellation.installInterruptHandler()
        var meter = TrainingMeter(totalSteps: options.steps)
        return try Cancellation.checkpointingOnTermination {
            while true {
                let end = run(source, stopAfter: every, meter: &meter, progress: progress)
                try saveCheckpoint(to: checkpoint)
                switch end {
                case .paused: continue
                case .finished: return true
                case .cancelled: stopped(); return false
                }
            }
        }
    }

    /// What `bench` measured.
    public struct BenchResult: Sendable {
        public var steps: Int
        public var seconds: Double
        public var tokens: Int
        public var stepsPerSecond: Double { Double(steps) / seconds }
        public var tokensPerSecond: Double { Double(tokens) / seconds }
    }

    /// Times `steps` training steps after one untimed warm-up step (the first step allocates).
    public func bench(_ source: BatchSource, steps: Int) -> BenchResult {
        trainStep(source)
        let start = DispatchTime.now().uptimeNanoseconds
        var tokens = 0
        for _ in 0..<steps { tokens += trainStep(source).tokens }
        return BenchResult(steps: steps, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, tokens: tokens)
    }
}

extension TinyErnieRecipe {
    /// Held-out perplexity of the trained base model and of the unigram baseline over the held-out stories.
    public static func heldOutPerplexity(_ trainer: TinyErnieTrainer, root: URL, tokenizer: ErnieTokenizer,
                                         sequenceLength: Int, trainTokens: [Int])
        throws -> (perplexity: Double, unigram: Double, heldOutTokens: Int) {
        let heldout = try TokenStream(stories: stories(heldoutFiles, root: root), tokenizer: tokenizer,
                                      sequenceLength: sequenceLength)
        let batches = heldout.evaluationBatches(size: 8)
        return (Foundation.exp(trainer.evaluate(batches)),
                unigramPerplexity(train: trainTokens, vocabSize: trainer.model.config.vocabSize, on: batches),
                heldout.tokens.count)
    }

    /// Held-out perplexity of the tiny ERNIE saved in `folder` (dense or MoE, as stored there, read into float32),
    /// measured as training.json's: the held-out stories through its tokenizer, windows of `sequenceLength`.
    public static func heldOutPerplexity(folder: URL, root: URL, sequenceLength: Int) throws -> (perplexity: Double, heldOutTokens: Int) {
        let model = try TinyErnie(folder: folder)
        let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: folder))
        let heldout = try TokenStream(stories: stories(heldoutFiles, root: root), tokenizer: tokenizer,
                                      sequenceLength: sequenceLength)
        let trainer = TinyErnieTrainer(model: model, options: TrainingOptions(steps: 0, batchSize: 8, learningRate: 0,
                                                                              minLearningRate: 0, warmupSteps: 0))
        return (Foundation.exp(trainer.evaluate(heldout.evaluationBatches(size: 8))), heldout.tokens.count)
    }

    /// After SFT: the chat model's config (its turn ends with the sep token, so that is an end token too; float32
    /// weights) and the base's tokenizer files, so `out` is a model folder the engine serves on its own.
    public static func finishInstructFolder(_ model: TinyErnie, tokenizer: ErnieTokenizer, base: URL, out: URL) throws {
        var config = model.config
        if let sep = tokenizer.sepId, !config.eosTokenIds.contains(sep) { config.eosTokenIds.append(sep) }
        config.dtype = "float32"
        try config.jsonData().write(to: out.appendingPathComponent("config.json"), options: .atomic)
        try copyTokenizer(from: base, to: out)
    }

    /// Copies a model folder's tokenizer files (and generation_config.json) into `out`, replacing any there, so a
    /// new model shares the token ids of `base` (tiny-ernie-moe uses the dense tiny ERNIE's). `base` may be someone
    /// else's folder (a lesson's `--tokenizer DIR`), so what lands in `out` is always a new regular file holding a
    /// regular file's bytes: a symbolic link is never copied as a link (one planted in the learner's models folder
    /// would send a later write anywhere), and a file that is not a regular one once links are followed — a folder,
    /// a FIFO, a device, a link to nowhere — is refused, naming it, before anything is written.
    public static func copyTokenizer(from base: URL, to out: URL) throws {
        let model = base.appendingPathComponent("tokenizer.model")
        guard FileManager.default.fileExists(atPath: model.path) else {
            throw TinyErnieError.badData(file: model.path, reason: Learner.text(
                "is missing, so there is no tokenizer to reuse. HINT: pass a model folder that has its tokenizer files (e.g. Models/tiny-ernie).",
                "不存在，没有可以复用的分词器。HINT：给出带分词器文件的模型文件夹（例如 Models/tiny-ernie）。"))
        }
        let files = ["tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"]
        let contents = try files.map { try regularFileBytes(base.appendingPathComponent($0)) }
        try createFolder(out, for: Learner.text("the model's files", "模型文件"))
        for (file, data) in zip(files, contents) {
            // Written to a new file that is renamed over the old one: a link planted there is replaced, not followed.
            let dst = out.appendingPathComponent(file)
            do { try data.write(to: dst, options: .atomic) } catch {
                throw FileSystemProblem(path: dst.path, found: fileSystemReason(error),
                                        hint: Learner.text("make the folder writable, or choose another with --out.",
                                                           "让这个文件夹可写，或者用 --out 换一个。"))
            }
        }
    }

    /// The bytes of the regular file `file`, its links followed (LabCore's `readRegularFile`, at most as much as a
    /// tokenizer.model may hold).
    /// - Throws: `TinyErnieError.badData` naming `file` when it is not a regular file, cannot be read or is too big.
    static func regularFileBytes(_ file: URL) throws -> Data {
        do { return try readRegularFile(file, limit: SentencePieceModel.maxFileBytes) } catch {
            let hint = Learner.text(
                "HINT: pass a model folder whose tokenizer files are plain files (e.g. Models/tiny-ernie).",
                "HINT：给出分词器文件都是普通文件的模型文件夹（例如 Models/tiny-ernie）。")
            let what: String
            switch error {
            case .notRegularFile(let found):
                what = Learner.text("is not a regular file (it is \(found)), so it is not copied.",
                                    "不是普通文件（而是\(found)），所以不复制。")
            case .tooLarge(let bytes, let limit):
                what = Learner.text("has \(bytes) bytes, more than the \(limit) a tokenizer file may have.",
                                    "有 \(bytes) 字节，超过了分词器文件最多的 \(limit) 字节。")
            case .unreadable(let reason):
                what = Learner.text("cannot be read (\(reason)), so it is not copied.", "读不了（\(reason)），所以不复制。")
            }
            throw TinyErnieError.badData(file: file.path, reason: what + " " + hint)
        }
    }
}

/// <out>/training.json: what the model card quotes.
public struct TrainingReport: Codable {
    public var model: String
    public var arguments: [String]
    public var options: TrainingOptions
    public var sequenceLength: Int
    public var parameters: Int
    public var trainingTokens: Int
    public var heldoutTokens: Int
    public var seconds: Double
    public var curve: [LossPoint]
    public var metrics: [String: Double]

    /// The report of `trainer`'s run so far.
    public init(model: String, arguments: [String], trainer: TinyErnieTrainer, sequenceLength: Int, trainingTokens: Int,
                heldoutTokens: Int, seconds: Double, metrics: [String: Double]) {
        self.model = model
        self.arguments = arguments
        self.options = trainer.options
        self.sequenceLength = sequenceLength
        self.parameters = trainer.model.parameterCount
        self.trainingTokens = trainingTokens
        self.heldoutTokens = heldoutTokens
        self.seconds = seconds
        self.curve = trainer.curve
        self.metrics = metrics
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}
