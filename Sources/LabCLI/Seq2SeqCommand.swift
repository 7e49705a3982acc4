// `lmlab seq2seq translate "…" --show-alignment`: the trained GRU encoder–decoder with Bahdanau attention
// (NeuralLMs/Seq2Seq.swift) translating English number words into Chinese numerals, with the attention weights αᵢⱼ
// of every output token as a heatmap; `lmlab seq2seq eval` scores the held-out numbers.
import ArgumentParser
import Foundation
import Lab
import LabCore
import NeuralLMs

struct Seq2SeqCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seq2seq",
        abstract: "Translate English number words into Chinese numerals with the attention translator.",
        subcommands: [Translate.self, Eval.self, Lengths.self])

    struct ModelOption: ParsableArguments {
        @Option(name: .long, help: "Model file or folder (default: Models/seq2seq-numbers, written by `lmlab train seq2seq`).")
        var model: String?
    }

    struct Translate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "translate",
            abstract: "Translate one number (1 … 9999, in English words) and show where the attention looked.",
            discussion: CommandHelp.seq2seqTranslate)
        @Argument(help: "English number words, e.g. \"forty two\".")
        var words: String
        @OptionGroup var model: ModelOption
        @Flag(name: .customLong("show-alignment"), help: "Print the attention weights (rows: output tokens, columns: source words).")
        var showAlignment = false
        @OptionGroup var output: JSONOutput

        func run() throws {
            let (translator, name) = try TrainedNeuralModels.seq2seq(model.model)
            let t = try TrainedNeuralModels.translate(words, with: translator, name: name, alignment: showAlignment)
            if output.json { print(try jsonString(TrainedNeuralModels.TranslationJSON(t))); return }
            OutputPrinter.print(SequenceReports.translation(t, alignment: showAlignment))
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Exact match and alignment accuracy on the 500 held-out numbers.")
        @OptionGroup var model: ModelOption

        func run() throws {
            let translator = try TrainedNeuralModels.seq2seq(model.model).translator
            OutputPrinter.print(SequenceReports.evaluation(translator, pairs: NumberTranslation.split().heldOut))
        }
    }

    struct Lengths: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lengths",
            abstract: "What attention adds: exact match by source length, with attention and without.",
            discussion: CommandHelp.seq2seqLengths)
        @Option(name: .long, help: "The translator with attention (default Models/seq2seq-numbers).")
        var model: String?
        @Option(name: .long, help: "The translator without attention (default Models/seq2seq-numbers-plain).")
        var plain: String?

        func run() throws {
            let attention = try TrainedNeuralModels.seq2seq(model).translator
            let plain = try TrainedNeuralModels.seq2seq(self.plain, defaultName: "seq2seq-numbers-plain",
                                                        trainCommand: "train seq2seq --no-attention").translator
            OutputPrinter.print(SequenceReports.lengths(attention: attention, plain: plain, pairs: NumberTranslation.split().heldOut))
        }
    }
}
