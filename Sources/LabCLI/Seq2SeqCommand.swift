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
        subcommands: [Translate.self, Eval.self])

    struct ModelOption: ParsableArguments {
        @Option(name: .long, help: "Model file or folder (default: Models/seq2seq-numbers, written by `lmlab train seq2seq`).")
        var model: String?
        func load() throws -> Seq2Seq {
            let file = try neuralModelFile(model, defaultName: "seq2seq-numbers", trainCommand: "train seq2seq")
            return try Seq2Seq(checkpoint: NeuralCheckpoint(contentsOf: file, kind: "seq2seq"))
        }
    }

    struct Translate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "translate",
            abstract: "Translate one number (1 … 9999, in English words) and show where the attention looked.",
            discussion: """
            Examples:
              lmlab seq2seq translate "three thousand four hundred five"
              lmlab seq2seq translate "two hundred seventeen" --show-alignment
            """)
        @Argument(help: "English number words, e.g. \"forty two\".")
        var words: String
        @OptionGroup var model: ModelOption
        @Flag(name: .customLong("show-alignment"), help: "Print the attention weights (rows: output tokens, columns: source words).")
        var showAlignment = false
        @Flag(name: .long, help: "Print JSON.")
        var json = false

        struct Report: Encodable { let source: [String]; let output: [String]; let alignment: [[Float]] }

        func run() throws {
            let translator = try model.load()
            let source = words.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).map(String.init)
            let unknown = source.filter { translator.sourceVocabulary.id(of: $0) == nil }
            guard unknown.isEmpty else {
                throw ValidationError("not number words: \(unknown.joined(separator: ", ")). HINT: write the number in words, e.g. \"three thousand four hundred five\".")
            }
            let t = translator.translate(source)
            if json { print(try jsonString(Report(source: t.source, output: t.output, alignment: t.alignment))); return }
            print("\(source.joined(separator: " ")) → \(t.output.joined())")
            guard showAlignment else { return }
            let shades = [" ", "░", "▒", "▓", "█"]
            let rows = zip(t.output + ["</s>"], t.alignment).map { token, row in
                [token] + row.map { a in shades[min(4, Int((a * 4).rounded()))] + String(format: " %.2f", a) }
            }
            OutputPrinter.print(.table(OutputTable(headers: ["αᵢⱼ"] + source, rows: rows)))
        }
    }

    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "eval",
            abstract: "Exact match and alignment accuracy on the 500 held-out numbers.")
        @OptionGroup var model: ModelOption

        func run() throws {
            let translator = try model.load()
            let heldOut = NumberTranslation.split().heldOut
            let (exact, aligned) = translator.evaluate(heldOut)
            print(Learner.text(String(format: "%d held-out numbers: exact match %.1f%%, alignment argmax on the expected source word %.1f%%",
                                      heldOut.count, 100 * exact, 100 * aligned),
                               String(format: "%d 个留出的数：完全正确 %.1f%%，注意力最大处落在应对齐的源词上 %.1f%%",
                                      heldOut.count, 100 * exact, 100 * aligned)))
        }
    }
}
