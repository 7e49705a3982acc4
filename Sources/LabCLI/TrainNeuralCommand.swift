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
}

/// A neural config's sizes as a usage error naming the option (the same ranges a checkpoint is held to).
func validateNeural(_ config: some NeuralSizedConfig) throws {
    do { try config.validate() } catch let e as NeuralSizeError { throw ValidationError(e.description) }
}

/// The project folder, or a usage error that says how to point at it.
func projectRootOrHint() throws -> URL {
    guard let root = ProjectPaths.root() else {
        throw ValidationError("cannot find the project folder (Lessons/course.json). HINT: run lmlab from the LMLab project folder, or set LMLAB_HOME to it.")
    }
    return root
}

/// Corpus sentences as ids over `vocabulary`.
func corpusIds(_ corpus: Corpus, _ vocabulary: TokenVocabulary) -> (train: [[Int]], heldOut: [[Int]]) {
    (corpus.train.map { $0.map(vocabulary.idOrUnknown) }, corpus.heldOut.map { $0.map(vocabulary.idOrUnknown) })
}

/// The checkpoint `--resume` continues from, or an error that says there is none and what to do.
func resumeCheckpoint(in folder: URL, kind: String) throws -> NeuralCheckpoint {
    let url = folder.appendingPathComponent("checkpoint.safetensors")
    guard FileManager.default.fileExists(atPath: url.path) else {
        throw FileSystemProblem(path: url.path, found: "no checkpoint here, so there is nothing to resume",
                                hint: "leave out --resume to start a new run, or pass the --out of the run you stopped.")
    }
    return try NeuralCheckpoint(contentsOf: url, kind: kind)
}

/// Runs one neural training to its end or Ctrl-C / SIGTERM, then writes the model and the resumable checkpoint.
/// - Parameters:
///   - folderName: the default folder's name (nnlm-stories-en), which names the model in a session afterwards.
///   - usage: a command line that uses the folder, shown outside a session.
func trainAndSave(name: String, folder: URL, folderName: String, usage: String,
                  checkpoint: () throws -> NeuralCheckpoint, weightsOnly: () throws -> NeuralCheckpoint,
                  train: (@escaping (TrainingMeter) -> Void) throws -> TrainingOutcome) throws -> TrainingOutcome {
    try createFolder(folder, for: "train --out")       // before training, so a file in the way costs no run
    Cancellation.installInterruptHandler()
    Cancellation.reset()
    // The progress line: rewritten in place on a terminal, a line every 100 steps in a pipe, or a TrainingPage.
    let printer = TrainingProgressPrinter(every: 100)
    // SIGTERM stops the loop like Ctrl-C; the files below are written, then the process ends by SIGTERM.
    return try Cancellation.checkpointingOnTermination {
        let outcome = try train { meter in
            if let last = meter.samples.last { printer.show(last, meter) }
        }
        printer.finish()
        try checkpoint().write(to: folder.appendingPathComponent("checkpoint.safetensors"))
        try weightsOnly().write(to: folder.appendingPathComponent("model.safetensors"))
        if outcome.cancelled {
            print("Stopped at step \(outcome.lastStep) (\(Cancellation.reason)); the model trained so far is in \(folder.path). "
                + "Continue with the same command and --resume.")
        } else {
            print("\(name): \(outcome.summary); saved in \(folder.path)")
            rememberTrainedModel(folderName, at: folder, usage: usage)
        }
        return outcome
    }
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
        let folder = training.folder("nnlm-\(corpus)")
        if try TrainingWatch.run(if: training.explore, title: "Training the NNLM on \(corpus)", { try self.run() }) { return }
        let loaded = try loadCorpus(corpus)
        guard !loaded.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus) }
        let model: NNLM
        let optimizer: AdamW
        var options = NNLM.TrainingOptions()
        options.seed = training.seed
        if let s = training.steps { options.steps = s }
        if let b = training.batch { options.batchSize = b }
        if let lr = training.lr { options.learningRate = lr }
        if training.resume {
            let cp = try resumeCheckpoint(in: folder, kind: "nnlm")
            model = try NNLM(checkpoint: cp)
            optimizer = model.makeOptimizer(options)
            try cp.load(into: model.namedParameters, optimizer: optimizer)
            print("Resuming at step \(optimizer.stepCount)/\(options.steps)")
        } else {
            let config = NNLMConfig(contextSize: context, embeddingSize: embedding, hiddenSize: hidden, directConnections: !noDirect)
            model = NNLM(config: config, vocabulary: loaded.vocabulary(minCount: 2), seed: training.seed)
            optimizer = model.makeOptimizer(options)
        }
        let (train, heldOut) = corpusIds(loaded, model.tokens)
        print("\(model.name) on \(corpus): V \(model.tokens.count), \(model.namedParameters.map { $0.1.value.count }.reduce(0, +)) parameters, "
            + "\(train.map { $0.count + 1 }.reduce(0, +)) training tokens, batch \(options.batchSize), \(labThreadCount) threads")
        announceTrainingFolder(folder, name: "nnlm-\(corpus)", outGiven: training.out != nil)
        _ = try trainAndSave(name: model.name, folder: folder, folderName: "nnlm-\(corpus)",
                             usage: "lmlab nnlm prob \"the dog says woof .\" --model \(folder.path)",
                             checkpoint: { try model.checkpoint(optimizer: optimizer, corpus: corpus) },
                             weightsOnly: { try model.checkpoint(optimizer: nil, corpus: corpus) }) { progress in
            try model.train(on: train, options: options, optimizer: optimizer, progress: progress)
        }
        let ppl = model.perplexity(heldOut)
        print(String(format: "held-out perplexity %.3f over %d tokens (compare: lmlab ngram perplexity --corpus %@)",
                     ppl.perplexity, ppl.tokens, corpus))
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
        if try TrainingWatch.run(if: training.explore, title: "Training the \(kind == .gru ? "GRU" : "Elman RNN") language model", { try self.run(kind) }) { return }
        let folder = training.folder("\(kind.rawValue)-\(corpus)")
        let loaded = try loadCorpus(corpus)
        guard !loaded.heldOut.isEmpty else { throw CorpusError.noHeldOut(corpus) }
        var options = RecurrentLM.TrainingOptions()
        options.seed = training.seed
        if let s = training.steps { options.steps = s }
        if let b = training.batch { options.batchSize = b }
        if let lr = training.lr { options.learningRate = lr }
        let model: RecurrentLM
        let optimizer: AdamW
        if training.resume {
            let cp = try resumeCheckpoint(in: folder, kind: kind.rawValue)
            model = try RecurrentLM(checkpoint: cp)
            optimizer = model.makeOptimizer(options)
            try cp.load(into: model.namedParameters, optimizer: optimizer)
            print("Resuming at step \(optimizer.stepCount)/\(options.steps)")
        } else {
            let config = RecurrentLMConfig(cell: kind, embeddingSize: embedding, hiddenSize: hidden, bptt: bptt)
            model = RecurrentLM(config: config, vocabulary: loaded.vocabulary(minCount: 2), seed: training.seed)
            optimizer = model.makeOptimizer(options)
        }
        let (train, heldOut) = corpusIds(loaded, model.tokens)
        print("\(model.name) on \(corpus): V \(model.tokens.count), hidden \(model.config.hiddenSize), "
            + "\(model.namedParameters.map { $0.1.value.count }.reduce(0, +)) parameters, batch \(options.batchSize) sentences, \(labThreadCount) threads")
        announceTrainingFolder(folder, name: "\(kind.rawValue)-\(corpus)", outGiven: training.out != nil)
        _ = try trainAndSave(name: model.name, folder: folder, folderName: "\(kind.rawValue)-\(corpus)",
                             usage: "lmlab rnn vanishing --\(kind.rawValue) \(folder.path)",
                             checkpoint: { try model.checkpoint(optimizer: optimizer, corpus: corpus) },
                             weightsOnly: { try model.checkpoint(optimizer: nil, corpus: corpus) }) { progress in
            try model.train(on: train, options: options, optimizer: optimizer, progress: progress)
        }
        let ppl = model.perplexity(heldOut)
        print(String(format: "held-out perplexity %.3f over %d tokens (compare: lmlab ngram perplexity --corpus %@)",
                     ppl.perplexity, ppl.tokens, corpus))
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

    func validate() throws {
        try validateNeural(Seq2SeqConfig(embeddingSize: embedding, hiddenSize: hidden, attentionSize: attention))
    }

    func run() throws {
        let folder = training.folder("seq2seq-numbers")
        if try TrainingWatch.run(if: training.explore, title: "Training the seq2seq translator", { try self.run() }) { return }
        var options = Seq2Seq.TrainingOptions()
        options.seed = training.seed
        if let s = training.steps { options.steps = s }
        if let b = training.batch { options.batchSize = b }
        if let lr = training.lr { options.learningRate = lr }
        let model: Seq2Seq
        let optimizer: AdamW
        if training.resume {
            let cp = try resumeCheckpoint(in: folder, kind: "seq2seq")
            model = try Seq2Seq(checkpoint: cp)
            optimizer = model.makeOptimizer(options)
            try cp.load(into: model.namedParameters, optimizer: optimizer)
            print("Resuming at step \(optimizer.stepCount)/\(options.steps)")
        } else {
            model = Seq2Seq.numbers(config: Seq2SeqConfig(embeddingSize: embedding, hiddenSize: hidden, attentionSize: attention),
                                    seed: training.seed)
            optimizer = model.makeOptimizer(options)
        }
        let (train, heldOut) = NumberTranslation.split()
        print("seq2seq (English → Chinese numbers): \(train.count) training pairs, \(heldOut.count) held out, "
            + "\(model.namedParameters.map { $0.1.value.count }.reduce(0, +)) parameters")
        announceTrainingFolder(folder, name: "seq2seq-numbers", outGiven: training.out != nil)
        _ = try trainAndSave(name: "seq2seq", folder: folder, folderName: "seq2seq-numbers",
                             usage: "lmlab seq2seq translate \"forty two\" --model \(folder.path)",
                             checkpoint: { try model.checkpoint(optimizer: optimizer) },
                             weightsOnly: { try model.checkpoint(optimizer: nil) }) { progress in
            try model.train(on: train.map { ($0.english, $0.chinese) }, options: options, optimizer: optimizer, progress: progress)
        }
        let (exact, aligned) = model.evaluate(heldOut)
        print(String(format: "held-out: exact match %.1f%%, alignment argmax on the expected word %.1f%%", 100 * exact, 100 * aligned))
    }
}
