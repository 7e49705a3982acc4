// `lmlab embed`: word2vec on a lesson corpus — train it, then ask for nearest neighbours, analogies and a 2-D map.
//
// Every subcommand trains (a few seconds on stories-en) unless --model names a file written by `embed train --save`,
// so a query never reads a stale model by accident.
//
//   $ lmlab embed analogy dog woof cat -k 3
//   dog : woof :: cat : ?
//   rank  word    cosine
//   ────  ──────  ──────
//      1  meow     0.916
//      2  squeak   0.667
//      3  howl     0.667
//   $ lmlab embed neighbors cat
//   $ lmlab embed map --words cat,dog,cow,france,japan,paris,tokyo
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
        discussion: """
        Skip-gram or CBOW with negative sampling, frequent-word subsampling, a reduced window and a linearly \
        decaying learning rate, trained by hand-written SGD on 2 threads (Hogwild). Ctrl-C stops training and \
        keeps (and with --save, saves) what was trained so far.

        Examples:
          lmlab embed train --corpus stories-en --epochs 20 --save w2v.safetensors
          lmlab embed neighbors cat france --model w2v.safetensors
          lmlab embed analogy dog woof cat
          lmlab embed map --words cat,dog,cow,paris,rome,france,italy --json
        """,
        subcommands: [Train.self, Neighbors.self, Analogy.self, Map.self])

    /// How to get a model: train one with these settings, or read --model.
    struct ModelOptions: ParsableArguments {
        @Option(name: .long, help: "Read vectors written by `embed train --save` instead of training.")
        var model: String?
        @Option(name: .long, help: "Corpus name (lmlab corpus list).")
        var corpus = "stories-en"
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

        func validate() throws {
            if model == nil { _ = try config() }
        }

        func config() throws -> Word2VecConfig {
            var c = Word2VecConfig()
            guard let a = Word2VecConfig.Architecture(rawValue: arch) else {
                throw ValidationError("--arch '\(arch)' is not known. HINT: use skipgram or cbow.")
            }
            c.architecture = a
            // Word2VecConfig checks D, negatives, threads, sample and min-alpha; these bound what it leaves open.
            try checkRange("--window", window, 1...1000)
            try checkRange("--epochs", epochs, 1...10_000)
            guard minCount >= 1 else { throw ValidationError("--min-count \(minCount): must be at least 1. HINT: 5 is usual.") }
            try checkPositive("--alpha", alpha, maximum: 1, hint: "0.025 is usual.")
            c.dimension = dim; c.window = window; c.negative = negative; c.epochs = epochs; c.minCount = minCount
            c.sample = sample; c.alpha = alpha; c.minAlpha = minAlpha; c.threads = threads; c.seed = seed
            do { try c.validate() } catch let e as Word2VecError { throw ValidationError(e.description) }
            return c
        }

        /// The model from --model, or trained now (progress on stderr), with the corpus's language.
        func obtain() throws -> (Word2VecModel, language: String, report: Word2VecTrainingReport?) {
            if let path = model {
                let m = try Word2VecModel.load(from: URL(fileURLWithPath: path))
                return (m, m.vocabulary.words.contains { $0.unicodeScalars.contains { $0.value >= 0x3400 } } ? "zh" : "en", nil)
            }
            let (m, report, language) = try trainModel()
            return (m, language, report)
        }

        func trainModel() throws -> (Word2VecModel, Word2VecTrainingReport, language: String) {
            let config = try config()
            let corpus = try loadCorpus(corpus)
            // At least two words must reach --min-count (Word2VecVocabulary needs one; training, a pair).
            let largest = largestMinCount(keeping: 2, of: corpus.train)
            guard config.minCount <= largest else {
                throw OptionValueError("--min-count \(config.minCount) keeps fewer than two words of \(corpus.spec.name), "
                    + "so there is nothing to train. HINT: use a --min-count of at most \(largest) (5 is usual).")
            }
            let vocab = Word2VecVocabulary(sentences: corpus.train, minCount: config.minCount, sample: config.sample)
            let ids = vocab.encode(corpus.train)
            let model = Word2VecModel(vocabulary: vocab, config: config)
            let interactive = !quiet && isatty(STDERR_FILENO) == 1
            Cancellation.installInterruptHandler()
            Cancellation.reset()
            var lastShown = -1
            let report = model.train(on: ids) { sample, meter in
                guard !quiet else { return }
                let line = "embed train  " + meter.line
                if interactive {
                    FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
                } else if meter.totalSteps > 0, sample.step * 10 / meter.totalSteps != lastShown {
                    lastShown = sample.step * 10 / meter.totalSteps
                    FileHandleOutput.standardError(line)
                }
            }
            if interactive { FileHandle.standardError.write(Data("\n".utf8)) }
            if report.cancelled {
                FileHandleOutput.standardError("embed train: cancelled after \(String(format: "%.2f", report.epochs)) epochs; "
                                               + "keeping the vectors trained so far.")
            }
            return (model, report, corpus.spec.language)
        }
    }

    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "train",
            abstract: "Train word vectors; report speed, loss and analogy accuracy; optionally save them.")
        @OptionGroup var options: ModelOptions
        @Option(name: .long, help: "Write the vectors (safetensors with the vocabulary in its metadata).")
        var save: String?
        @Option(name: .long, help: "Analogy questions (default: Lessons/data/analogies.<language>.txt when present).")
        var analogies: String?
        @Flag(name: .long, help: "Print JSON: {config, vocabulary, training, analogies}.")
        var json = false

        func run() throws {
            guard options.model == nil else {
                throw ValidationError("embed train trains a new model; --model is for neighbors, analogy and map.")
            }
            let (model, report, language) = try options.trainModel()
            if let path = save { try model.save(to: URL(fileURLWithPath: path)) }
            let embeddings = Word2VecEmbeddings(model)
            let questions = try analogyQuestions(language: language)
            let accuracy = questions.map { embeddings.evaluate($0) }
            struct Summary: Encodable {
                let corpus: String; let config: Word2VecConfig; let vocabulary: Int; let training: Word2VecTrainingReport
                let analogies: AnalogyReport?; let accuracy: Double?; let saved: String?
            }
            if json {
                print(try jsonString(Summary(corpus: options.corpus, config: model.config, vocabulary: model.vocabulary.count,
                                             training: report, analogies: accuracy, accuracy: accuracy?.accuracy,
                                             saved: save)))
                return
            }
            let c = model.config
            print("word2vec \(c.architecture.rawValue) on \(options.corpus): vocabulary \(model.vocabulary.count), "
                  + "D = \(c.dimension), window \(c.window), \(c.negative) negatives, sample \(c.sample), \(c.threads) threads")
            print(String(format: "%.2f epochs of %d words in %.2f s (%.2f CPU s): %@ words/s; %d pairs; sampled loss %.3f%@",
                         report.epochs, report.wordsPerEpoch, report.seconds, report.cpuSeconds,
                         TrainingMeter.grouped(Int(report.wordsPerSecond.rounded())), report.pairs, report.finalLoss,
                         report.cancelled ? " (cancelled)" : ""))
            if let a = accuracy { print(analogyTable(a)) }
            if let path = save { print("saved \(path)") }
        }

        func analogyQuestions(language: String) throws -> AnalogyQuestions? {
            try EmbedCommand.analogyQuestions(file: analogies, language: language)
        }
    }

    /// The questions of `file`, or else Lessons/data/analogies.<language>.txt when the project has it.
    static func analogyQuestions(file: String?, language: String) throws -> AnalogyQuestions? {
        if let path = file { return try AnalogyQuestions(contentsOf: URL(fileURLWithPath: path)) }
        guard let root = ProjectPaths.root() else { return nil }
        let url = root.appendingPathComponent("Lessons/data/analogies.\(language).txt")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try AnalogyQuestions(contentsOf: url)
    }

    /// Accuracy per section of an analogy file, and overall.
    static func analogyTable(_ a: AnalogyReport) -> String {
        textTable(header: ["analogy section", "correct", "asked", "skipped", "accuracy"],
                  rows: a.sections.map { [$0.name, "\($0.correct)", "\($0.asked)", "\($0.skipped)", percent($0.accuracy)] }
                      + [["all", "\(a.correct)", "\(a.asked)", "", percent(a.accuracy)]],
                  rightAligned: [1, 2, 3, 4])
    }

    struct Neighbors: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "neighbors", abstract: "The words whose vectors are closest (cosine) to each given word.")
        @Argument(help: "One or more words (English is lowercased).")
        var words: [String]
        @Option(name: .customShort("k"), parsing: .unconditional, help: "Neighbours per word (1…1000).")
        var k = 8
        @OptionGroup var options: ModelOptions
        @Flag(name: .long, help: "Print JSON: {word: [{word, cosine}]}.")
        var json = false

        func validate() throws { try checkRange("-k", k, 1...1000) }

        func run() throws {
            let (model, _, _) = try options.obtain()
            let e = Word2VecEmbeddings(model)
            struct Row: Encodable { let word: String; let cosine: Float }
            var all: [String: [Row]] = [:]
            for w in words {
                let rows = try e.neighbors(of: normalised(w, model), k: k).map { Row(word: $0.word, cosine: $0.cosine) }
                all[w] = rows
                if !json {
                    print("neighbours of \(w)")
                    print(textTable(header: ["rank", "word", "cosine"],
                                    rows: rows.enumerated().map { ["\($0.offset + 1)", $0.element.word, String(format: "%.3f", $0.element.cosine)] },
                                    rightAligned: [0, 2]))
                }
            }
            if json { print(try jsonString(all)) }
        }
    }

    struct Analogy: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "analogy",
            abstract: "a : b :: c : ?  — the words closest to b − a + c (3CosAdd), the three inputs excluded.",
            discussion: "Without a, b, c: answers every question of the analogy file (--analogies, or Lessons/data/analogies.<language>.txt) and prints the accuracy per section.")
        @Argument(help: "a") var a: String?
        @Argument(help: "b") var b: String?
        @Argument(help: "c") var c: String?
        @Option(name: .customShort("k"), parsing: .unconditional, help: "Answers to show (1…1000).")
        var k = 5
        @Option(name: .long, help: "Analogy questions to score when a, b, c are not given.")
        var analogies: String?
        @OptionGroup var options: ModelOptions
        @Flag(name: .long, help: "Print JSON: [{word, cosine}], or the accuracy report without a, b, c.")
        var json = false

        func validate() throws {
            try checkRange("-k", k, 1...1000)
            let given = [a, b, c].compactMap { $0 }.count
            guard given == 0 || given == 3 else {
                throw ValidationError("embed analogy takes three words a b c (a : b :: c : ?), or none to score the analogy file; got \(given). HINT: lmlab embed analogy king queen man")
            }
        }

        func run() throws {
            let (model, language, _) = try options.obtain()
            let e = Word2VecEmbeddings(model)
            guard let a, let b, let c else {
                guard let questions = try EmbedCommand.analogyQuestions(file: analogies, language: language) else {
                    throw ValidationError("no analogy file for language \(language). HINT: pass --analogies FILE (one question a b c d per line, `: section` headers).")
                }
                let report = e.evaluate(questions)
                if json { print(try jsonString(report)); return }
                print(EmbedCommand.analogyTable(report))
                return
            }
            let answers = try e.analogy(normalised(a, model), normalised(b, model), normalised(c, model), k: k)
            struct Row: Encodable { let word: String; let cosine: Float }
            if json { print(try jsonString(answers.map { Row(word: $0.word, cosine: $0.cosine) })); return }
            print("\(a) : \(b) :: \(c) : ?")
            print(textTable(header: ["rank", "word", "cosine"],
                            rows: answers.enumerated().map { ["\($0.offset + 1)", $0.element.word, String(format: "%.3f", $0.element.cosine)] },
                            rightAligned: [0, 2]))
        }
    }

    struct Map: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map", abstract: "A 2-D PCA map of chosen words' vectors, as a text scatter plot.")
        @Option(name: .long, help: "Comma-separated words (default: animals, countries, capitals and foods).")
        var words: String?
        @Option(name: .long, parsing: .unconditional, help: "Plot width in columns (20…1000).")
        var width = 72
        @Option(name: .long, parsing: .unconditional, help: "Plot height in rows (5…1000).")
        var height = 22
        @OptionGroup var options: ModelOptions
        @Flag(name: .long, help: "Open the map full screen (it fills the terminal).")
        var explore = false
        @Flag(name: .long, help: "Print JSON: {explained, points: [{word, x, y}]}.")
        var json = false

        static let defaultEnglish = "cat,dog,cow,duck,horse,bird,france,japan,italy,china,spain,paris,tokyo,rome,beijing,madrid,apple,cake,egg,pear"
        static let defaultChinese = "猫,狗,牛,马,鸟,法,日,意,北,京,苹,果,蛋,糕"
        /// For vectors of Chinese words (stories-zh-words) rather than characters.
        static let defaultChineseWords = "猫,狗,牛,马,鸟,法国,日本,意大利,中国,西班牙,巴黎,东京,罗马,北京,马德里,苹果,蛋糕,鸡蛋,梨"

        func validate() throws {
            try checkRange("--width", width, 20...1000)
            try checkRange("--height", height, 5...1000)
        }

        func run() throws {
            let (model, language, _) = try options.obtain()
            let chinese = model.vocabulary.id(of: "法国") != nil ? Self.defaultChineseWords : Self.defaultChinese
            let list = (words ?? (language == "zh" ? chinese : Self.defaultEnglish))
                .split(separator: ",").map { normalised(String($0).trimmingCharacters(in: .whitespaces), model) }
            guard list.count >= 2 else { throw ValidationError("--words needs at least two words.") }
            let e = Word2VecEmbeddings(model)
            let vectors = try list.map { w -> [Float] in
                guard let id = e.id(of: w) else { throw Word2VecError.unknownWord(w) }
                return Array(e.unitVector(id))
            }
            let pca = principalComponents(vectors, k: 2)
            struct Point: Encodable { let word: String; let x: Double; let y: Double }
            struct MapJSON: Encodable { let explained: [Double]; let points: [Point] }
            let points = zip(list, pca.projections).map { Point(word: $0, x: $1[0], y: $1.count > 1 ? $1[1] : 0) }
            if json { print(try jsonString(MapJSON(explained: pca.explained, points: points))); return }
            let title = String(format: "PCA of %d unit word vectors: PC1 %.1f%%, PC2 %.1f%% of the variance",
                               list.count, 100 * pca.explained[0], 100 * (pca.explained.count > 1 ? pca.explained[1] : 0))
            let map = Output.scatter(Scatter(title: title, xLabel: "PC1", yLabel: "PC2",
                                             points: points.map { ScatterPoint($0.word, x: $0.x, y: $0.y) }))
            if explore { return try ExplorerLauncher.open(OutputPage(title: "Embedding map · " + (options.model ?? "word2vec-stories-\(language)")) { map }) }
            print(PlainRenderer.render(map, width: width, height: height))
        }
    }
}

/// English words are lowercased like the corpus; Chinese is left alone.
private func normalised(_ word: String, _ model: Word2VecModel) -> String {
    model.vocabulary.id(of: word) != nil ? word : word.lowercased()
}

