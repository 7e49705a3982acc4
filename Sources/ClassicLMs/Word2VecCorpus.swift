// Word2VecCorpus — word2vec on a lesson corpus, end to end: the vocabulary at min-count, the corpus as ids,
// training, the analogy questions of the corpus's language, and a 2-D PCA map of chosen words (lesson 5,
// `lmlab embed`).
//
//   let (model, report) = try Word2VecModel.train(on: corpus, config: config)
//   let map = try Word2VecEmbeddings(model).map(["cat", "dog", "paris", "france"])   // PC1, PC2 per word

import Foundation
import LabCore

extension Word2VecModel {
    /// Trains a model on `corpus`'s training sentences with `config`.
    /// - Parameter progress: after every round (see `train(on:progress:)`).
    /// - Throws: `Word2VecError.invalidSetting` when fewer than two words reach `config.minCount` (nothing to train).
    public static func train(on corpus: Corpus, config: Word2VecConfig,
                             progress: ((TrainingSample, TrainingMeter) -> Void)? = nil) throws -> (Word2VecModel, Word2VecTrainingReport) {
        let largest = corpus.largestMinCount(keeping: 2)
        guard config.minCount <= largest else {
            throw Word2VecError.invalidSetting(name: "min-count", value: "\(config.minCount)", hint: Learner.text(
                "it keeps fewer than two words of \(corpus.spec.name), so there is nothing to train; use a --min-count of at "
                    + "most \(largest) (5 is usual).",
                "它只留下 \(corpus.spec.name) 里不到两个词，没有可训练的东西；用不超过 \(largest) 的 --min-count（常用 5）。"))
        }
        let vocab = Word2VecVocabulary(sentences: corpus.train, minCount: config.minCount, sample: config.sample)
        let model = Word2VecModel(vocabulary: vocab, config: config)
        let report = model.train(on: vocab.encode(corpus.train), progress: progress)
        return (model, report)
    }

    /// "zh" when the vocabulary holds CJK characters, else "en": the language of a model read from a file.
    public var language: String {
        vocabulary.words.contains { $0.unicodeScalars.contains { $0.value >= 0x3400 } } ? "zh" : "en"
    }

    /// The word as the vocabulary spells it: English is lowercased like the corpus; Chinese is left alone.
    public func normalised(_ word: String) -> String {
        vocabulary.id(of: word) != nil ? word : word.lowercased()
    }
}

extension AnalogyQuestions {
    /// `<root>/Lessons/data/analogies.<language>.txt` when the project has it, else nil.
    public static func lessonQuestions(root: URL, language: String) throws -> AnalogyQuestions? {
        let url = root.appendingPathComponent("Lessons/data/analogies.\(language).txt")
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try AnalogyQuestions(contentsOf: url)
    }
}

/// Words placed on the plane of their vectors' first two principal components.
public struct Word2VecMap: Encodable, Sendable {
    public struct Point: Encodable, Sendable { public let word: String; public let x: Double; public let y: Double }
    /// Share of the variance PC1 and PC2 explain.
    public let explained: [Double]
    public let points: [Point]
}

extension Word2VecEmbeddings {
    /// PCA of the unit vectors of `words` (at least two; each must be in the vocabulary).
    /// - Throws: `Word2VecError.unknownWord` for a word the model does not have.
    public func map(_ words: [String]) throws -> Word2VecMap {
        let vectors = try words.map { w -> [Float] in
            guard let id = id(of: w) else { throw Word2VecError.unknownWord(w) }
            return Array(unitVector(id))
        }
        let pca = principalComponents(vectors, k: 2)
        return Word2VecMap(explained: pca.explained,
                           points: zip(words, pca.projections).map { .init(word: $0, x: $1[0], y: $1.count > 1 ? $1[1] : 0) })
    }
}
