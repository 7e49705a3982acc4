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
        func load() throws -> Seq2Seq { try loadNamed().translator }

        /// The translator and the name it goes by in messages (--model as given, or the file read).
        func loadNamed() throws -> (translator: Seq2Seq, name: String) {
            let file = try TrainedModelFolder.checkpointFile(model, defaultName: "seq2seq-numbers", trainCommand: "train seq2seq")
            return (try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: file, kind: "seq2seq")), model ?? file.path)
        }
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
        @Flag(name: .long, help: "Print JSON.")
        var json = false

        struct Report: Encodable { let source: [String]; let output: [String]; let alignment: [[Float]] }

        func run() throws {
            let (translator, name) = try model.loadNamed()
            // Checked before anything is printed: the twin without attention has no weights to show.
            if showAlignment && translator.attention == nil {
                throw ValidationError(Learner.text(
                    "--show-alignment: \(name) is the translator without attention (its decoder reads only the encoder's final states), so it has no attention weights to show. HINT: leave out --show-alignment, or use --model Models/seq2seq-numbers.",
                    "--show-alignment：\(name) 是没有注意力的翻译器（解码器只读编码器的最终状态），没有注意力权重可显示。HINT：去掉 --show-alignment，或使用 --model Models/seq2seq-numbers。"))
            }
            let source = words.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
            let unknown = source.filter { translator.sourceVocabulary.id(of: $0) == nil }
            guard unknown.isEmpty else {
                throw ValidationError("not number words: \(unknown.joined(separator: ", ")). HINT: write the number in words, e.g. \"three thousand four hundred five\".")
            }
            let t = translator.translate(source)
            if json { print(try jsonString(Report(source: t.source, output: t.output, alignment: t.alignment))); return }
            OutputPrinter.print(SequenceReports.translation(t, alignment: showAlignment))
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Exact match and alignment accuracy on the 500 held-out numbers.")
        @OptionGroup var model: ModelOption

        func run() throws {
            OutputPrinter.print(SequenceReports.evaluation(try model.load(), pairs: NumberTranslation.split().heldOut))
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
            func load(_ option: String?, _ name: String, _ train: String) throws -> Seq2Seq {
                try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: TrainedModelFolder.checkpointFile(option, defaultName: name, trainCommand: train),
                                                         kind: "seq2seq"))
            }
            let attention = try load(model, "seq2seq-numbers", "train seq2seq")
            let plain = try load(self.plain, "seq2seq-numbers-plain", "train seq2seq --no-attention")
            OutputPrinter.print(SequenceReports.lengths(attention: attention, plain: plain, pairs: NumberTranslation.split().heldOut))
        }
    }
}
