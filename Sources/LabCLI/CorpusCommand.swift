// `lmlab corpus`: the corpora of the classic lessons — list them, and their statistics with a text Zipf plot.
//
//   $ lmlab corpus stats stories-en --top 3
//   sentences                        36444
//   tokens                           357779
//   types (vocabulary)               393
//   …
//   rank  token  count  share
//      1  .      36444  10.2%
//      2  the    25353   7.1%
//   Zipf's law: frequency ≈ C / rank^1.29   (then a log–log plot of frequency against rank)
import ArgumentParser
import ClassicLMs
import Foundation
import Lab
import TerminalUI

struct CorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "The corpora of the classic lessons: list them, or show sizes, vocabulary, top words and Zipf's law.",
        subcommands: [List.self, Stats.self],
        defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the corpora under Lessons/data.")
        @Flag(name: .long, help: "Print JSON: [{name, language, train, heldout, tokenization}].")
        var json = false

        func run() throws {
            struct Row: Encodable { let name, language, train: String; let heldout: String?; let tokenization: String }
            if !json { return OutputPrinter.print(CorpusReport.list()) }
            print(try jsonString(CorpusSpec.all.map { Row(name: $0.name, language: $0.language, train: $0.trainFile,
                                                          heldout: $0.heldOutFile, tokenization: $0.tokenization.rawValue) }))
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stats",
            abstract: "Sizes, vocabulary, the most frequent tokens and a Zipf plot of a corpus.",
            discussion: CommandHelp.corpusStats)
        @Argument(help: "Corpus name (lmlab corpus list).")
        var name: String
        @Option(name: .long, parsing: .unconditional, help: "How many of the most frequent tokens to show (1…1000).")
        var top = 15

        func validate() throws { try checkRange("--top", top, 1...1000) }
        @Flag(name: .long, help: "Print JSON (CorpusStatistics; frequencies by rank included).")
        var json = false

        func run() throws {
            let corpus = try loadCorpus(name)
            let s = CorpusStatistics(corpus, top: top)
            if json { print(try jsonString(s)); return }
            OutputPrinter.print(CorpusReport.statistics(s, spec: corpus.spec))
        }
    }
}

/// The project folder, or a usage error that says how to point at it.
func projectRootOrHint() throws -> URL {
    guard let root = ProjectPaths.root() else {
        throw ValidationError("cannot find the project folder (Lessons/course.json). HINT: run lmlab from the LMLab "
            + "project folder, or set LMLAB_HOME to it.")
    }
    return root
}

/// Loads a named corpus from the project's Lessons/data.
func loadCorpus(_ name: String) throws -> Corpus {
    let spec = try CorpusSpec.named(name)
    return try Corpus(spec, dataDirectory: projectRootOrHint().appendingPathComponent("Lessons/data"))
}
