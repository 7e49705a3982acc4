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
            throw OptionValueError("--min-count \(config.minCount) keeps fewer than two words of \(corpus.spec.name), "
                + "so there is nothing to train. HINT: use a --min-count of at most \(largest) (5 is usual).")
        }
        Cancellation.installInterruptHandler()
        Cancellation.reset()
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
    public static func mapWords(_ words: String?, model: Word2VecModel, language: String) -> [String] {
        let chinese = model.vocabulary.id(of: "法国") != nil ? defaultChineseWords : defaultChinese
        return (words ?? (language == "zh" ? chinese : defaultEnglish))
            .split(separator: ",").map { model.normalised(String($0).trimmingCharacters(in: .whitespaces)) }
    }
}
