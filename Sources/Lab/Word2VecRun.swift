// Word2VecRun — what `lmlab embed` does around ClassicLMs' word2vec: train on a lesson corpus with the lab's
// progress line (Ctrl-C keeps the vectors trained so far), find the analogy questions of the corpus's language, and
// choose the words of the 2-D map.
import ClassicLMs
import Foundation
import LabCore

public enum Word2VecRun {
    /// Trains word vectors on `corpus` (progress on stderr unless `quiet`; Ctrl-C keeps what was trained), with the
    /// corpus's language.
    /// - Throws: `OptionValueError` when --min-count keeps fewer than two words.
    public static func train(_ corpus: Corpus, config: Word2VecConfig, quiet: Bool) throws
        -> (Word2VecModel, Word2VecTrainingReport, language: String) {
        // At least two words must reach --min-count (a vocabulary needs one; training, a pair).
        let largest = corpus.largestMinCount(keeping: 2)
        guard config.minCount <= largest else {
            throw OptionValueError(Learner.text(
                "--min-count \(config.minCount) keeps fewer than two words of \(corpus.spec.name), "
                    + "so there is nothing to train. HINT: use a --min-count of at most \(largest) (5 is usual).",
                "--min-count \(config.minCount) 只留下 \(corpus.spec.name) 里不到两个词，没有可训练的东西。"
                    + "HINT：用不超过 \(largest) 的 --min-count（常用 5）。"))
        }
        // No reset here: a Ctrl-C pressed while the corpus or model loaded stops the run at its first check (the
        // session, the REPL and the process each start a command with none pending).
        Cancellation.installInterruptHandler()
        let progress = TrainingProgressLine(every: nil, prefix: "embed train  ")
        let (model, report) = try Word2VecModel.train(on: corpus, config: config,
                                                      progress: quiet ? nil : progress.show)
        progress.finish()
        if report.cancelled {
            progress.line.emit(Learner.text(
                "embed train: cancelled after \(String(format: "%.2f", report.epochs)) epochs; keeping the vectors trained so far.",
                "embed train：训练 \(String(format: "%.2f", report.epochs)) 轮后中断；保留已训练的向量。"))
        }
        return (model, report, corpus.spec.language)
    }

    /// The vectors of `file` (written by `embed train --save`), or else vectors trained now on `corpus` with
    /// `config` (so a query never reads a stale model by accident), with the corpus's language.
    public static func obtain(file: String?, corpus: () throws -> Corpus, config: () throws -> Word2VecConfig,
                              quiet: Bool)
        throws -> (Word2VecModel, language: String, report: Word2VecTrainingReport?) {
        if let file {
            let m = try Word2VecModel.load(from: vectorsFile(file))
            return (m, m.language, nil)
        }
        let corpus = try corpus()
        if !quiet {                    // a query that trains first takes seconds, every time: say why and the way round
            let shipped = corpus.spec.name.hasPrefix("stories-zh") ? "word2vec-stories-zh" : "word2vec-stories-en"
            ProgressLine().emit(Learner.text(
                "No --model: training word2vec on \(corpus.spec.name) first (each time); --model \(shipped) reads the lab's vectors at once.",
                "没有 --model：先在 \(corpus.spec.name) 上训练 word2vec（每次都要）；--model \(shipped) 直接读实验室自带的向量。"))
        }
        let (m, report, language) = try train(corpus, config: try config(), quiet: quiet)
        return (m, language, report)
    }

    /// The vectors file `given` names: a session name (`load`), a file, a folder holding vectors.safetensors, or a
    /// name under the project's Models/ (`word2vec-stories-en`). A relative path not found from here is looked for
    /// in the project folder, as the lessons write it (`Models/word2vec-stories-en/vectors.safetensors`): a lab
    /// started in another folder with LMLAB_HOME failed lesson 5's cells. When nothing is found, the path as given
    /// (the error names it).
    public static func vectorsFile(_ given: String) -> URL {
        let path = SessionModels.shared.resolve(given)
        var candidates = [ProjectPaths.fileURL(path)]
        if let root = ProjectPaths.root(), let models = ProjectPaths.shippedModels(), !path.hasPrefix("/"), !path.hasPrefix("~") {
            candidates += [root.appendingPathComponent(path), models.appendingPathComponent(path)]
        }
        for url in candidates {
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &folder) else { continue }
            return folder.boolValue ? url.appendingPathComponent("vectors.safetensors") : url
        }
        return candidates[0]
    }

    /// `embed train`: the vectors trained on `corpus`, written to `save` when given, and scored on the analogy
    /// questions (`analogies`, or the corpus language's own file).
    public static func trainingSummary(_ corpus: Corpus, config: Word2VecConfig, quiet: Bool, save: String?,
                                       analogies: String?) throws -> EmbeddingReport.Summary {
        let (model, report, language) = try train(corpus, config: config, quiet: quiet)
        if let path = save { try model.save(to: ProjectPaths.fileURL(path)) }
        let questions = try analogyQuestions(file: analogies, language: language)
        return EmbeddingReport.Summary(corpus: corpus.spec.name, model: model, training: report,
                                       analogies: questions.map { Word2VecEmbeddings(model).evaluate($0) }, saved: save)
    }

    /// The questions of `file`, or else Lessons/data/analogies.<language>.txt when the project has it.
    public static func analogyQuestions(file: String?, language: String) throws -> AnalogyQuestions? {
        if let path = file { return try AnalogyQuestions(contentsOf: URL(fileURLWithPath: path)) }
        return try ProjectPaths.root().flatMap { try AnalogyQuestions.lessonQuestions(root: $0, language: language) }
    }

    static let defaultEnglish = "cat,dog,cow,duck,horse,bird,france,japan,italy,china,spain,paris,tokyo,rome,beijing,madrid,apple,cake,egg,pear"
    static let defaultChinese = "猫,狗,牛,马,鸟,法,日,意,北,京,苹,果,蛋,糕"
    /// For vectors of Chinese words (stories-zh-words) rather than characters.
    static let defaultChineseWords = "猫,狗,牛,马,鸟,法国,日本,意大利,中国,西班牙,巴黎,东京,罗马,北京,马德里,苹果,蛋糕,鸡蛋,梨"

    /// The map's words: `words` (comma-separated) or the defaults of the model's language, normalised as the model
    /// reads them.
    /// - Throws: `OptionError` when fewer than two words are given.
    public static func mapWords(_ words: String?, model: Word2VecModel, language: String) throws -> [String] {
        let chinese = model.vocabulary.id(of: "法国") != nil ? defaultChineseWords : defaultChinese
        let list = (words ?? (language == "zh" ? chinese : defaultEnglish))
            .split(separator: ",").map { model.normalised(String($0).trimmingCharacters(in: .whitespaces)) }
        guard list.count >= 2 else { throw OptionError(Learner.text("--words needs at least two words.", "--words 至少要两个词。")) }
        return list
    }

    /// The questions `embed analogy` scores when it is given no words: --analogies, or the language's own file.
    /// - Throws: `OptionError` when there is neither.
    public static func requiredAnalogyQuestions(file: String?, language: String) throws -> AnalogyQuestions {
        guard let questions = try analogyQuestions(file: file, language: language) else {
            throw OptionError(Learner.text(
                "no analogy file for language \(language). HINT: pass --analogies FILE (one question "
                    + "a b c d per line, `: section` headers).",
                "语言 \(language) 没有类比题文件。HINT：给出 --analogies FILE（每行一道题 a b c d，用 `: section` 作小节标题）。"))
        }
        return questions
    }

    /// `embed analogy a b c`: all three words, or none (to score the analogy file).
    /// - Throws: `OptionError` for one or two.
    public static func checkAnalogyWords(_ words: [String?]) throws(OptionError) {
        let given = words.compactMap { $0 }.count
        guard given == 0 || given == 3 else {
            throw OptionError(Learner.text(
                "embed analogy takes three words a b c (a : b :: c : ?), or none to score the analogy "
                    + "file; got \(given). HINT: lmlab embed analogy king queen man",
                "embed analogy 要三个词 a b c（a : b :: c : ?），或者一个都不给，给类比题文件打分；"
                    + "这里给了 \(given) 个。HINT：lmlab embed analogy 狗 汪汪 猫 --model Models/word2vec-stories-zh/vectors.safetensors"))
        }
    }

    /// One `--json` row of a ranked word list: {word, cosine}.
    public struct RankedWord: Encodable {
        public let word: String
        public let cosine: Float
    }

    /// `words` as `--json` rows.
    public static func rows(_ words: [(word: String, cosine: Float)]) -> [RankedWord] {
        words.map { RankedWord(word: $0.word, cosine: $0.cosine) }
    }
}
