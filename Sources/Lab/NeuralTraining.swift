// NeuralTraining — one run of `lmlab train nnlm | rnn | gru | seq2seq` (the neural models of lessons 5–6): a new
// model or the checkpoint in the folder (NeuralLMs' NeuralTrainingRun), the header line, training under the lab's
// progress line, the files, and the report — where a stopped run was saved, or the summary, how to use the model,
// and its held-out score.
import Autograd
import ClassicLMs
import Foundation
import LabCore
import NeuralLMs

public struct NeuralTraining: Sendable {
    /// Where the run writes (TrainedModelFolder.url), and the model's name in it ("nnlm-stories-en").
    public let folder: URL
    public let name: String
    /// --out was given (no "Writing …" line then).
    public let outGiven: Bool
    public let resume: Bool
    /// Seed of a new model's weights and of the batch order.
    public let seed: UInt64
    /// --steps, --batch and --lr; nil keeps the model's default.
    public let steps: Int?
    public let batch: Int?
    public let lr: Float?

    public init(folder: URL, name: String, outGiven: Bool, resume: Bool, seed: UInt64, steps: Int?, batch: Int?,
                lr: Float?) {
        (self.folder, self.name, self.outGiven, self.resume, self.seed) = (folder, name, outGiven, resume, seed)
        (self.steps, self.batch, self.lr) = (steps, batch, lr)
    }

    /// The model's default training settings with the ones given.
    func settings(_ defaults: NeuralTrainingSettings) -> NeuralTrainingSettings {
        defaults.overridden(steps: steps, batchSize: batch, learningRate: lr, seed: seed)
    }

    /// Trains a new model (`fresh`) or the checkpoint in the folder with `train`, printing the header line
    /// `describe` gives, the progress, and the report (`usage`: a command line given the folder). Returns the model.
    public func run<Model: TrainableNeuralModel>(kind: String, corpus: String?, options: NeuralTrainingSettings,
                                                 usage: (URL) -> String, fresh: () throws -> Model, describe: (Model) -> String,
                                                 _ train: (Model, AdamW, @escaping (TrainingMeter) -> Void) throws -> TrainingOutcome)
        throws -> Model {
        let (folder, name) = (self.folder, self.name)
        let run = try NeuralTrainingRun(folder: folder, kind: kind, corpus: corpus, resume: resume, options: options, fresh: fresh)
        TrainedModelFolder.resuming(run.resumedAt, of: options.steps).map { print($0) }
        print(describe(run.model))
        try TrainedModelFolder.begin(folder, name: name, outGiven: outGiven, resume: resume)
        let progress = TrainingProgressLine(every: 100)
        try run.trainAndSave(progress: progress.show, finished: { outcome in
            progress.finish()
            if outcome.cancelled {
                print(TrainedModelFolder.stopped(atStep: "\(outcome.lastStep)", in: folder, checkpoint: false))
            } else {
                print(Learner.text("\(run.model.name): \(outcome.summary); saved in \(folder.path)",
                                   "\(run.model.name)：\(outcome.summary)；已保存到 \(folder.path)"))
                print(TrainedModelFolder.remember(name, at: folder, usage: usage(folder)))
            }
        }, train)
        return run.model
    }

    /// `train nnlm` on `corpus`: the held-out perplexity line that ends it.
    public func nnlm(_ corpus: Corpus, config: NNLMConfig) throws -> String {
        guard !corpus.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus.spec.name) }
        let name = corpus.spec.name, seed = self.seed, options = settings(NNLM.defaultTraining)
        let model = try run(kind: "nnlm", corpus: name, options: options,
                            usage: { "lmlab nnlm prob \"the dog says woof .\" --model \($0.path)" },
                            fresh: { NNLM(config: config, vocabulary: corpus.vocabulary(minCount: 2), seed: seed) },
                            describe: { m in
                                let tokens = corpus.ids(m.tokens).train.map { $0.count + 1 }.reduce(0, +)
                                return Learner.text(
                                    "\(m.name) on \(name): V \(m.tokens.count), \(m.parameterCount) parameters, \(tokens) training "
                                        + "tokens, batch \(options.batchSize), \(labThreadCount) threads",
                                    "\(m.name)，语料 \(name)：V \(m.tokens.count)，\(m.parameterCount) 个参数，训练词元 \(tokens) 个，"
                                        + "批次 \(options.batchSize)，\(labThreadCount) 个线程") }) { model, optimizer, progress in
            try model.train(on: corpus.ids(model.tokens).train, options: options, optimizer: optimizer, progress: progress)
        }
        return TrainedModelFolder.heldOutPerplexity(model.perplexity(corpus.ids(model.tokens).heldOut), corpus: name)
    }

    /// `train rnn` / `train gru` on `corpus`: the held-out perplexity line that ends it.
    public func recurrent(_ kind: RecurrentCellKind, _ corpus: Corpus, config: RecurrentLMConfig) throws -> String {
        guard !corpus.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus.spec.name) }
        let name = corpus.spec.name, seed = self.seed, options = settings(RecurrentLM.defaultTraining)
        let model = try run(kind: kind.rawValue, corpus: name, options: options,
                            usage: { "lmlab rnn vanishing --\(kind.rawValue) \($0.path)" },
                            fresh: { RecurrentLM(config: config, vocabulary: corpus.vocabulary(minCount: 2), seed: seed) },
                            describe: { m in Learner.text(
                                "\(m.name) on \(name): V \(m.tokens.count), hidden \(m.config.hiddenSize), "
                                    + "\(m.parameterCount) parameters, batch \(options.batchSize) sentences, \(labThreadCount) threads",
                                "\(m.name)，语料 \(name)：V \(m.tokens.count)，隐藏维度 \(m.config.hiddenSize)，"
                                    + "\(m.parameterCount) 个参数，每批 \(options.batchSize) 句，\(labThreadCount) 个线程") }
        ) { model, optimizer, progress in
            try model.train(on: corpus.ids(model.tokens).train, options: options, optimizer: optimizer, progress: progress)
        }
        return TrainedModelFolder.heldOutPerplexity(model.perplexity(corpus.ids(model.tokens).heldOut), corpus: name)
    }

    /// `train seq2seq` on English → Chinese numbers: the held-out accuracy line that ends it.
    public func seq2seq(config: Seq2SeqConfig) throws -> String {
        let (train, heldOut) = NumberTranslation.split()
        let seed = self.seed, options = settings(Seq2Seq.defaultTraining)
        let model = try run(kind: "seq2seq", corpus: nil, options: options,
                            usage: { "lmlab seq2seq translate \"forty two\" --model \($0.path)" },
                            fresh: { Seq2Seq.numbers(config: config, seed: seed) },
                            describe: { m in Learner.text(
                                "seq2seq (English → Chinese numbers): \(train.count) training pairs, \(heldOut.count) held out, "
                                    + "\(m.parameterCount) parameters",
                                "seq2seq（英文数字 → 中文数字）：训练 \(train.count) 对，留出 \(heldOut.count) 对，"
                                    + "\(m.parameterCount) 个参数") }) { model, optimizer, progress in
            try model.train(on: train.map { ($0.english, $0.chinese) }, options: options, optimizer: optimizer, progress: progress)
        }
        let (exact, aligned) = model.evaluate(heldOut)
        // Without attention there are no alignment weights to check.
        return String(format: "held-out: exact match %.1f%%", 100 * exact)
            + (config.usesAttention ? String(format: ", alignment argmax on the expected word %.1f%%", 100 * aligned) : "")
    }
}
