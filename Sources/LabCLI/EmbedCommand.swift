// `lmlab embed`: word2vec on a lesson corpus — train it, then ask for nearest neighbours, analogies and a 2-D map
// (what they print: Lab/EmbeddingReport.swift).
//
// Every subcommand trains (a few seconds on stories-en) unless --model names a file written by `embed train --save`,
// so a query never reads a stale model by accident (Lab/Word2VecRun.swift).
import ArgumentParser
import ClassicLMs
import Foundation
import Lab
import LabCore
import TerminalUI

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "word2vec: train word vectors on a lesson corpus; neighbours, analogies and a 2-D PCA map.",
        discussion: CommandHelp.embed,
        subcommands: [Train.self, Neighbors.self, Analogy.self, Map.self])

    /// How to get a model: train one with these settings, or read --model.
    struct ModelOptions: ParsableArguments {
        @Option(name: .long, help: "Read vectors instead of training: a file written by `embed train --save`, its folder, or a name under Models/ (word2vec-stories-en).")
        var model: String?
        @OptionGroup var corpus: CorpusName
        @Option(name: .long, help: "skipgram | cbow.")
        var arch = "skipgram"
        @Option(name: .long, parsing: .unconditional, help: "Vector dimension D (1…4096).")
        var dim = 100
        @Option(name: .long, parsing: .unconditional, help: "Largest context distance (each centre word draws 1…window; at most 1000).")
        var window = 10
        @Option(name: .long, parsing: .unconditional, help: "Negative samples per positive pair (1…64).")
        var negative = 5
        @Option(name: .long, parsing: .unconditional, help: "Passes over the corpus (1…10000).")
        var epochs = 20
        @Option(name: .customLong("min-count"), parsing: .unconditional,
                help: "Words seen fewer times are dropped (at least 1; at least two words must stay).")
        var minCount = 5
        @Option(name: .long, parsing: .unconditional, help: "Subsampling threshold (gensim's sample; 0 = off; below 1).")
        var sample = 1e-3
        @Option(name: .long, parsing: .unconditional, help: "Learning rate at the start (above 0, at most 1).")
        var alpha = 0.025
        @Option(name: .customLong("min-alpha"), parsing: .unconditional, help: "Learning rate at the end (linear decay; 0…alpha).")
        var minAlpha = 0.0001
        @Option(name: .long, parsing: .unconditional, help: "Training threads (1…256).")
        var threads = 2
        @Option(name: .long, parsing: .unconditional, help: "Random seed (1 thread: the same seed gives the same vectors).")
        var seed: UInt64 = 1
        @Flag(name: .long, help: "No progress line on stderr.")
        var quiet = false

        func validate() throws { if model == nil { _ = try config() } }

        func config() throws -> Word2VecConfig {
            try usage {
                try Word2VecConfig(architecture: arch, dimension: dim, window: window, negative: negative,
                                   epochs: epochs, minCount: minCount, sample: sample, alpha: alpha,
                                   minAlpha: minAlpha, threads: threads, seed: seed)
            }
        }

        func obtain() throws -> (Word2VecModel, language: String, report: Word2VecTrainingReport?) {
            try Word2VecRun.obtain(file: model, corpus: corpus.load, config: config, quiet: quiet)
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train word vectors; report speed, loss and analogy accuracy; optionally save them.",
            discussion: CommandHelp.embedTrain)
        @OptionGroup var options: ModelOptions
        @Option(name: .long, help: "Write the vectors (safetensors with the vocabulary in its metadata).")
        var save: String?
        @Option(name: .long, help: "Analogy questions (default: Lessons/data/analogies.<language>.txt when present).")
        var analogies: String?
        @OptionGroup var output: JSONOutput

        func run() throws {
            guard options.model == nil else {
                throw ValidationError(OptionConflict.embedTrainWithModel)
            }
            let summary = try Word2VecRun.trainingSummary(try options.corpus.load(), config: try options.config(),
                                                          quiet: options.quiet, save: save, analogies: analogies)
            if output.json { return print(try jsonString(summary)) }
            OutputPrinter.print(EmbeddingReport.training(summary))
        }
    }

    struct Neighbors: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "neighbors", abstract: "The words whose vectors are closest (cosine) to each given word.",
            discussion: CommandHelp.embedNeighbors)
        @Argument(help: "One or more words (English is lowercased).")
        var words: [String]
        @Option(name: .customShort("k"), parsing: .unconditional, help: "Neighbours per word (1…1000).")
        var k = 8
        @OptionGroup var options: ModelOptions
        @OptionGroup var output: JSONOutput

        func validate() throws { try checkRange("-k", k, 1...1000) }

        func run() throws {
            let (model, _, _) = try options.obtain()
            let e = Word2VecEmbeddings(model)
            let found = try words.map { try e.neighbors(of: model.normalised($0), k: k) }
            if output.json {
                let rows = Dictionary(zip(words, found.map(Word2VecRun.rows)), uniquingKeysWith: { $1 })
                return print(try jsonString(rows))
            }
            OutputPrinter.print(.group(OutputGroup(zip(words, found).map { EmbeddingReport.neighbors(of: $0, $1) })))
        }
    }

    struct Analogy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analogy",
            abstract: "a : b :: c : ?  — the words closest to b − a + c (3CosAdd), the three inputs excluded.",
            discussion: CommandHelp.embedAnalogy)
        @Argument(help: "The word a of a : b :: c : ? (with b and c; none of them: score --analogies).") var a: String?
        @Argument(help: "The word b of a : b :: c : ?.") var b: String?
        @Argument(help: "The word c of a : b :: c : ?.") var c: String?
        @Option(name: .customShort("k"), parsing: .unconditional, help: "Answers to show (1…1000).")
        var k = 5
        @Option(name: .long, help: "Analogy questions to score when a, b, c are not given.")
        var analogies: String?
        @OptionGroup var options: ModelOptions
        @OptionGroup var output: JSONOutput

        func validate() throws {
            try checkRange("-k", k, 1...1000)
            try usage { try Word2VecRun.checkAnalogyWords([a, b, c]) }
        }

        func run() throws {
            let (model, language, _) = try options.obtain()
            let e = Word2VecEmbeddings(model)
            guard let a, let b, let c else {
                let report = e.evaluate(try Word2VecRun.requiredAnalogyQuestions(file: analogies, language: language))
                if output.json { return print(try jsonString(report)) }
                return OutputPrinter.print(EmbeddingReport.analogies(report))
            }
            let answers = try e.analogy(model.normalised(a), model.normalised(b), model.normalised(c), k: k)
            if output.json { return print(try jsonString(Word2VecRun.rows(answers))) }
            OutputPrinter.print(EmbeddingReport.analogy(a, b, c, answers))
        }
    }

    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map", abstract: "A 2-D PCA map of chosen words' vectors, as a text scatter plot.",
            discussion: CommandHelp.embedMap)
        @Option(name: .long, help: "Comma-separated words (default: animals, countries, capitals and foods).")
        var words: String?
        @Option(name: .long, parsing: .unconditional, help: "Plot width in columns (20…1000; default: the output's).")
        var width: Int?
        @Option(name: .long, parsing: .unconditional, help: "Plot height in rows (5…1000).")
        var height = 22
        @OptionGroup var options: ModelOptions
        @Flag(name: .long, help: "Open the map full screen (it fills the terminal).")
        var explore = false
        @OptionGroup var output: JSONOutput

        func validate() throws {
            if let width { try checkRange("--width", width, 20...1000) }
            try checkRange("--height", height, 5...1000)
        }

        func run() throws {
            let (model, language, _) = try options.obtain()
            let list = try Word2VecRun.mapWords(words, model: model, language: language)
            let points = try Word2VecEmbeddings(model).map(list)
            if output.json { return print(try jsonString(points)) }
            let map = EmbeddingReport.map(points)
            if explore { return try ExplorerLauncher.open(OutputPage(title: Learner.text("Embedding map", "词向量地图") + " · " + (options.model ?? "word2vec-stories-\(language)")) { map }) }
            if let width { return print(PlainRenderer.render(map, width: width, height: height)) }
            OutputPrinter.print(map, height: height)          // at the output's width: a cell's, the terminal's
        }
    }
}
