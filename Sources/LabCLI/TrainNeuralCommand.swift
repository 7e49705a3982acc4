// `lmlab train nnlm | rnn | gru | seq2seq`: the neural models of lessons 5–6 (Sources/NeuralLMs), trained with live
// progress, Ctrl-C (or SIGTERM) that stops after a whole step and saves what was trained, and --resume
// (TrainCommand.swift shows the progress line).
//
// Each run writes <out>/model.safetensors (the weights, what the query commands load) and
// <out>/checkpoint.safetensors (weights + AdamW moments + step, what --resume reads). Default <out>: the learner's
// <state>/models/<name>, e.g. ~/.local/state/lmlab/models/nnlm-stories-en (the shipped Models/<name> stays as it is).
import ArgumentParser
import Foundation
import Lab
import LabCore
import NeuralLMs

typealias NeuralTrainingOptions = TrainingRunOptions<NeuralRuns>

extension TrainingRunOptions where Family == NeuralRuns {
    /// The run of the model `kind` in its folder (Lab's NeuralTraining does the work).
    func lab(_ kind: String) -> NeuralTraining {
        NeuralTraining(folder: folder(kind), name: modelName(kind), outGiven: out != nil, resume: resume, seed: seed,
                       steps: steps, batch: batch, lr: lr)
    }
}

struct TrainNNLMCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nnlm",
        abstract: "Train Bengio's neural n-gram LM (NNLM) on a story corpus, with the n-gram lesson's vocabulary.",
        discussion: CommandHelp.trainNNLM)

    @OptionGroup var training: NeuralTrainingOptions
    @OptionGroup var corpus: CorpusName
    @Option(name: .long, parsing: .unconditional, help: "Context words N = n − 1 (\(NNLMConfig.contextRange.lowerBound)…\(NNLMConfig.contextRange.upperBound)).")
    var context = NNLMConfig().contextSize
    @Option(name: .long, parsing: .unconditional, help: "Word vector size m (1…\(NNLMConfig.embeddingRange.upperBound)).")
    var embedding = NNLMConfig().embeddingSize
    @Option(name: .long, parsing: .unconditional, help: "Hidden units (1…\(NNLMConfig.hiddenRange.upperBound)).")
    var hidden = NNLMConfig().hiddenSize
    @Flag(name: .customLong("no-direct"), help: "Leave out the direct connections from the word vectors to the output.")
    var noDirect = false

    var config: NNLMConfig {
        NNLMConfig(contextSize: context, embeddingSize: embedding, hiddenSize: hidden, directConnections: !noDirect)
    }

    /// The sizes checked against the same ranges a checkpoint is held to.
    func validate() throws { try usage { try config.validate() } }

    func run() throws {
        if try training.watched(Learner.text("Training the NNLM on \(corpus)", "在 \(corpus) 上训练 NNLM"), { try self.run() }) { return }
        print(try training.lab("nnlm-\(corpus)").nnlm(try corpus.load(), config: config))
    }
}

/// `train rnn` and `train gru`: one command, the cell its type parameter.
struct TrainRecurrentCommand<Cell: RecurrentCellCommand>: ParsableCommand {
    static var configuration: CommandConfiguration { Cell.configuration }

    @OptionGroup var training: NeuralTrainingOptions
    @OptionGroup var corpus: CorpusName
    @Option(name: .long, parsing: .unconditional, help: "Word vector size E (1…\(RecurrentLMConfig.embeddingRange.upperBound)).")
    var embedding = 48
    @Option(name: .long, parsing: .unconditional, help: "Hidden state size (1…\(RecurrentLMConfig.hiddenRange.upperBound)).")
    var hidden = 128
    @Option(name: .long, parsing: .unconditional, help: "Truncated BPTT window (time steps, 1…\(RecurrentLMConfig.bpttRange.upperBound)).")
    var bptt = 32

    /// The model's folder name, e.g. gru-stories-en.
    var name: String { "\(Cell.kind.rawValue)-\(corpus)" }

    var config: RecurrentLMConfig {
        RecurrentLMConfig(cell: Cell.kind, embeddingSize: embedding, hiddenSize: hidden, bptt: bptt)
    }

    func validate() throws {
        try usage { try config.validate() }
        // One step keeps B × T states of each width for backpropagation through time.
        try usage { try OptionCheck.product([("--batch", training.batch ?? RecurrentLM.defaultTraining.batchSize),
            ("--bptt", bptt), ("--hidden", max(hidden, embedding))], limit: 1 << 26, what: Learner.text("floats per step's state tensor", "每步状态张量的浮点数")) }
    }

    func run() throws {
        let cell = Cell.kind == .gru ? "GRU" : "Elman RNN"
        if try training.watched(Learner.text("Training the \(cell) language model", "训练 \(cell) 语言模型"), { try self.run() }) { return }
        print(try training.lab(name).recurrent(Cell.kind, try corpus.load(), config: config))
    }
}

/// A recurrent cell as a `train` subcommand: its kind and its name and help.
protocol RecurrentCellCommand {
    static var kind: RecurrentCellKind { get }
    static var configuration: CommandConfiguration { get }
}

enum ElmanCellCommand: RecurrentCellCommand {
    static let kind = RecurrentCellKind.elman
    static let configuration = CommandConfiguration(
        commandName: "rnn", abstract: "Train an Elman RNN language model (truncated BPTT) on a story corpus.",
        discussion: CommandHelp.trainRNN)
}

enum GRUCellCommand: RecurrentCellCommand {
    static let kind = RecurrentCellKind.gru
    static let configuration = CommandConfiguration(
        commandName: "gru", abstract: "Train a GRU language model (truncated BPTT) on a story corpus.",
        discussion: CommandHelp.trainGRU)
}

struct TrainSeq2SeqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Train the GRU encoder–decoder with Bahdanau attention on English → Chinese numbers (1 … 9999).",
        discussion: CommandHelp.trainSeq2Seq)

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

    func validate() throws { try usage { try config.validate() } }

    func run() throws {
        if try training.watched(Learner.text("Training the seq2seq translator", "训练 seq2seq 翻译器"), { try self.run() }) { return }
        let name = noAttention ? "seq2seq-numbers-plain" : "seq2seq-numbers"
        print(try training.lab(name).seq2seq(config: config))
    }
}
