// `lmlab corpus`: the corpora of the classic lessons — list them, and their statistics with a text Zipf plot (what
// they print: Lab/CorpusReport.swift).
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
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the corpora under Lessons/data.",
                                                        discussion: CommandHelp.corpusList)
        @OptionGroup var output: JSONOutput

        func run() throws {
            if !output.json { return OutputPrinter.print(CorpusReport.list()) }
            print(try jsonString(Corpus.listRows))
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
        @OptionGroup var output: JSONOutput

        func run() throws {
            let corpus = try Corpus.lesson(name)
            let s = CorpusStatistics(corpus, top: top)
            if output.json { print(try jsonString(s)); return }
            OutputPrinter.print(CorpusReport.statistics(s, spec: corpus.spec))
        }
    }
}
