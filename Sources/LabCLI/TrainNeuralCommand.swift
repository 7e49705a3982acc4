// `lmlab train nnlm | rnn | gru | seq2seq`: the neural models of lessons 5–6 (Sources/NeuralLMs), trained with live
// progress (loss, tokens/s, ETA), Ctrl-C (or SIGTERM) that stops after a whole step and saves what was trained, and
// --resume.
//
//   $ lmlab train nnlm
//   step 1200/3000  loss 1.112 (avg 1.130)  52,310 tok/s  ETA 0:21
//
// Each run writes <out>/model.safetensors (the weights, what the query commands load) and
// <out>/checkpoint.safetensors (weights + AdamW moments + step, what --resume reads). Default <out>: the learner's
// <state>/models/<name>, e.g. ~/.local/state/lmlab/models/nnlm-stories-en (the shipped Models/<name> stays as it is).
import ArgumentParser
import Autograd
import ClassicLMs
import Foundation
import Lab
import LabCore
import NeuralLMs
import Tokenizers

/// Options every neural `train` subcommand shares.
struct NeuralTrainingOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional,
            help: "Optimizer steps in the whole run (1…1000000; a resumed run counts from the checkpoint's step).")
    var steps: Int?
    @Option(name: .long, parsing: .unconditional,
            help: "Examples per step (contexts for nnlm, sentences for rnn/gru/seq2seq; 1…4096).")
    var batch: Int?
    @Option(name: .long, parsing: .unconditional, help: "Starting learning rate (linear decay to a tenth of it; at most 1).")
    var lr: Float?
    @Option(name: .long, parsing: .unconditional, help: "Seed of the weights and of the batch order.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Folder to write model.safetensors and checkpoint.safetensors (default: <state>/models/<name>).")
    var out: String?
    @Flag(name: .long, help: "Watch the run full screen: the loss curve as it grows; Ctrl-C stops it.")
    var explore = false
    @Flag(name: .long, help: "Continue from <out>/checkpoint.safetensors (after Ctrl-C).")
    var resume = false

    func validate() throws {
        try checkRange("--steps", steps, 1...1_000_000)
        try checkRange("--batch", batch, 1...4096)
        try checkPositive("--lr", lr, maximum: 1)
    }

    func folder(_ name: String) -> URL { trainingFolder(out: out, name: name) }

    /// One run of a neural `train` command: a new model (`fresh`) or the checkpoint in <out>, the header line
    /// `describe` gives, `train` under the lab's progress line, the files, and the report: where a stopped run was
    /// saved, or the summary and how to use the model (`usage`, a command line given the folder). Returns the model.
    func run<Model: TrainableNeuralModel>(_ folderName: String, kind: String, corpus: String?, options: Model.TrainingOptions,
                                          usage: (URL) -> String, fresh: () throws -> Model, describe: (Model) -> String,
                                          _ train: (Model, AdamW, @escaping (TrainingMeter) -> Void) throws -> TrainingOutcome)
        throws -> Model {
        let folder = folder(folderName)
        let run = try NeuralTrainingRun(folder: folder, kind: kind, corpus: corpus, resume: resume, options: options, fresh: fresh)
        announceResume(run.resumedAt, of: options.steps)
        print(describe(run.model))
        announceTrainingFolder(folder, name: folderName, outGiven: out != nil)
        let progress = TrainingProgressLine(every: 100)
        try run.trainAndSave(progress: progress.show, finished: { outcome in
            progress.finish()
            if outcome.cancelled {
                print(Learner.text("Stopped at step \(outcome.lastStep) (\(Cancellation.reason)); the model trained so far is in \(folder.path). "
                                    + "Continue with the same command and --resume.",
                                   "在第 \(outcome.lastStep) 步停下（\(Cancellation.reason)）；已训练的模型在 \(folder.path)。"
                                    + "加上 --resume 运行同一条命令即可继续。"))
            } else {
                print(Learner.text("\(run.model.name): \(outcome.summary); saved in \(folder.path)",
                                   "\(run.model.name)：\(outcome.summary)；已保存到 \(folder.path)"))
                rememberTrainedModel(folderName, at: folder, usage: usage(folder))
            }
        }, train)
        return run.model
    }

    /// The model's default training options with the ones given here.
    func settings<O: NeuralTrainingSettings>(_ defaults: O) -> O {
        defaults.overridden(steps: steps, batchSize: batch, learningRate: lr, seed: seed)
    }
}

/// A neural config's sizes as a usage error naming the option (the same ranges a checkpoint is held to).
func validateNeural(_ config: some NeuralSizedConfig) throws {
    do { try config.validate() } catch let e as NeuralSizeError { throw ValidationError(e.description) }
}

/// "Resuming at step 120/3000 from …" when the run continues a checkpoint.
func announceResume(_ step: Int?, of total: Int, from checkpoint: URL? = nil) {
    guard let step else { return }
    let from = checkpoint.map { " " + Learner.text("from", "，检查点") + " " + $0.path } ?? ""
    print(Learner.text("Resuming at step \(step)/\(total)", "从第 \(step)/\(total) 步继续") + from)
}

/// The held-out perplexity line that ends a language model's training.
func heldOutPerplexityLine(_ ppl: (perplexity: Double, tokens: Int), corpus: String) -> String {
    Learner.text(String(format: "held-out perplexity %.3f over %d tokens (compare: lmlab ngram perplexity --corpus %@)",
                        ppl.perplexity, ppl.tokens, corpus),
                 String(format: "留出集困惑度 %.3f（%d 个词元；对比：lmlab ngram perplexity --corpus %@）",
                        ppl.perplexity, ppl.tokens, corpus))
}

struct TrainNNLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnlm",
        abstract: "Train Bengio's neural n-gram LM (NNLM) on a story corpus, with the n-gram lesson's vocabulary.",
        discussion: """
        Examples:
          lmlab train nnlm                           5-gram NNLM on stories-en
          lmlab train nnlm --context 2 --steps 500   a trigram-window NNLM, short run
          lmlab train nnlm --resume                  continue after Ctrl-C
        Afterwards: lmlab nnlm prob "the dog says woof ."
        """)

    @OptionGroup var training: NeuralTrainingOptions
    @Option(name: .long, help: "Corpus (stories-en or stories-zh).")
    var corpus = "stories-en"
    @Option(name: .long, parsing: .unconditional, help: "Context words N = n − 1 (\(NNLMConfig.contextRange.lowerBound)…\(NNLMConfig.contextRange.upperBound)).")
    var context = NNLMConfig().contextSize
    @Option(name: .long, parsing: .unconditional, help: "Word vector size m (1…\(NNLMConfig.embeddingRange.upperBound)).")
    var embedding = NNLMConfig().embeddingSize
    @Option(name: .long, parsing: .unconditional, help: "Hidden units (1…\(NNLMConfig.hiddenRange.upperBound)).")
    var hidden = NNLMConfig().hiddenSize
    @Flag(name: .customLong("no-direct"), help: "Leave out the direct connections from the word vectors to the output.")
    var noDirect = false

    func validate() throws {
        try validateNeural(NNLMConfig(contextSize: context, embeddingSize: embedding, hiddenSize: hidden, directConnections: !noDirect))
    }

    func run() throws {
        if try TrainingWatch.run(if: training.explore, title: Learner.text("Training the NNLM on \(corpus)", "在 \(corpus) 上训练 NNLM"), { try self.run() }) { return }
        let loaded = try loadCorpus(corpus)
        guard !loaded.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus) }
        let options = training.settings(NNLM.TrainingOptions())
        let config = NNLMConfig(contextSize: context, embeddingSize: embedding, hiddenSize: hidden, directConnections: !noDirect)
        let corpus = corpus
        let model = try training.run("nnlm-\(corpus)", kind: "nnlm", corpus: corpus, options: options,
                                     usage: { "lmlab nnlm prob \"the dog says woof .\" --model \($0.path)" },
                                     fresh: { NNLM(config: config, vocabulary: loaded.vocabulary(minCount: 2), seed: training.seed) },
                                     describe: { m in "\(m.name) on \(corpus): V \(m.tokens.count), \(m.parameterCount) parameters, "
                                         + "\(loaded.ids(m.tokens).train.map { $0.count + 1 }.reduce(0, +)) training tokens, batch \(options.batchSize), "
                                         + "\(labThreadCount) threads" }) { model, optimizer, progress in
            try model.train(on: loaded.ids(model.tokens).train, options: options, optimizer: optimizer, progress: progress)
        }
        print(heldOutPerplexityLine(model.perplexity(loaded.ids(model.tokens).heldOut), corpus: corpus))
    }
}

/// `train rnn` and `train gru` differ only in the cell.
struct RecurrentTraining: ParsableArguments {
    @OptionGroup var training: NeuralTrainingOptions
    @Option(name: .long, help: "Corpus (stories-en or stories-zh).")
    var corpus = "stories-en"
    @Option(name: .long, parsing: .unconditional, help: "Word vector size E (1…\(RecurrentLMConfig.embeddingRange.upperBound)).")
    var embedding = 48
    @Option(name: .long, parsing: .unconditional, help: "Hidden state size (1…\(RecurrentLMConfig.hiddenRange.upperBound)).")
    var hidden = 128
    @Option(name: .long, parsing: .unconditional, help: "Truncated BPTT window (time steps, 1…\(RecurrentLMConfig.bpttRange.upperBound)).")
    var bptt = 32

    func validate() throws {
        try validateNeural(RecurrentLMConfig(cell: .elman, embeddingSize: embedding, hiddenSize: hidden, bptt: bptt))
        // One step keeps B × T states of each width for backpropagation through time.
        try checkProduct([("--batch", training.batch ?? RecurrentLM.TrainingOptions().batchSize), ("--bptt", bptt),
                          ("--hidden", max(hidden, embedding))], limit: 1 << 26, what: "floats per step's state tensor")
    }

    func run(_ kind: RecurrentCellKind) throws {
        if try TrainingWatch.run(if: training.explore, title: Learner.text("Training the \(kind == .gru ? "GRU" : "Elman RNN") language model", "训练 \(kind == .gru ? "GRU" : "Elman RNN") 语言模型"), { try self.run(kind) }) { return }
        let loaded = try loadCorpus(corpus)
        guard !loaded.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus) }
        let options = training.settings(RecurrentLM.TrainingOptions())
        let config = RecurrentLMConfig(cell: kind, embeddingSize: embedding, hiddenSize: hidden, bptt: bptt)
        let corpus = corpus
        let model = try training.run("\(kind.rawValue)-\(corpus)", kind: kind.rawValue, corpus: corpus, options: options,
                                     usage: { "lmlab rnn vanishing --\(kind.rawValue) \($0.path)" },
                                     fresh: { RecurrentLM(config: config, vocabulary: loaded.vocabulary(minCount: 2), seed: training.seed) },
                                     describe: { m in "\(m.name) on \(corpus): V \(m.tokens.count), hidden \(m.config.hiddenSize), "
                                         + "\(m.parameterCount) parameters, batch \(options.batchSize) sentences, \(labThreadCount) threads" }
        ) { model, optimizer, progress in
            try model.train(on: loaded.ids(model.tokens).train, options: options, optimizer: optimizer, progress: progress)
        }
        print(heldOutPerplexityLine(model.perplexity(loaded.ids(model.tokens).heldOut), corpus: corpus))
    }
}

struct TrainRNNCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnn",
        abstract: "Train an Elman RNN language model (truncated BPTT) on a story corpus.",
        discussion: """
        Examples:
          lmlab train rnn                   → <state>/models/rnn-stories-en
          lmlab train rnn --hidden 64 --steps 400
        Afterwards: lmlab rnn vanishing
        """)
    @OptionGroup var options: RecurrentTraining
    func run() throws { try options.run(.elman) }
}

struct TrainGRUCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gru",
        abstract: "Train a GRU language model (truncated BPTT) on a story corpus.",
        discussion: """
        Examples:
          lmlab train gru                   → <state>/models/gru-stories-en
          lmlab train gru --resume          continue after Ctrl-C
        """)
    @OptionGroup var options: RecurrentTraining
    func run() throws { try options.run(.gru) }
}

struct TrainSeq2SeqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Train the GRU encoder–decoder with Bahdanau attention on English → Chinese numbers (1 … 9999).",
        discussion: """
        500 numbers are held out (a seeded split); the run ends with their exact-match and alignment accuracy.
        Examples:
          lmlab train seq2seq               → <state>/models/seq2seq-numbers
          lmlab train seq2seq --steps 200
        Afterwards: lmlab seq2seq translate "three thousand four hundred five" --show-alignment
        """)

    @OptionGroup var training: NeuralTrainingOptions
    @Option(name: .long, parsing: .unconditional, help: "Word vector size E (1…\(Seq2SeqConfig.sizeRange.upperBound)).")
    var embedding = Seq2SeqConfig().embeddingSize
    @Option(name: .long, parsing: .unconditional,
            help: "GRU size (each direction of the encoder, and the decoder; 1…\(Seq2SeqConfig.sizeRange.upperBound)).")
    var hidden = Seq2SeqConfig().hiddenSize
    @Option(name: .long, parsing: .unconditional, help: "Attention size A (1…\(Seq2SeqConfig.sizeRange.upperBound)).")
    var attention = Seq2SeqConfig().attentionSize
    @Flag(name: .customLong("no-attention"),
          help: "Train the twin without attention: the decoder reads only the encoder's final states (lesson 6).")
    var noAttention = false

    var config: Seq2SeqConfig {
        Seq2SeqConfig(embeddingSize: embedding, hiddenSize: hidden, attentionSize: attention, usesAttention: !noAttention)
    }

    func validate() throws { try validateNeural(config) }

    func run() throws {
        if try TrainingWatch.run(if: training.explore, title: Learner.text("Training the seq2seq translator", "训练 seq2seq 翻译器"), { try self.run() }) { return }
        let options = training.settings(Seq2Seq.TrainingOptions())
        let config = self.config
        let (train, heldOut) = NumberTranslation.split()
        let model = try training.run(noAttention ? "seq2seq-numbers-plain" : "seq2seq-numbers", kind: "seq2seq", corpus: nil, options: options,
                                     usage: { "lmlab seq2seq translate \"forty two\" --model \($0.path)" },
                                     fresh: { Seq2Seq.numbers(config: config, seed: training.seed) },
                                     describe: { m in "seq2seq (English → Chinese numbers): \(train.count) training pairs, "
                                         + "\(heldOut.count) held out, \(m.parameterCount) parameters" }) { model, optimizer, progress in
            try model.train(on: train.map { ($0.english, $0.chinese) }, options: options, optimizer: optimizer, progress: progress)
        }
        let (exact, aligned) = model.evaluate(heldOut)
        print(String(format: "held-out: exact match %.1f%%", 100 * exact)
              + (noAttention ? "" : String(format: ", alignment argmax on the expected word %.1f%%", 100 * aligned)))
    }
}
