// Shared helpers of the NeuralLMs tests: the committed corpus and fixtures of this checkout (no network).
import Foundation
import ClassicLMs
import Tokenizers

/// Lessons/data/ of this checkout.
func dataDirectory() -> URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Lessons/data")
}

/// The English story corpus with the n-gram lesson's vocabulary (tokens seen < 2 times read as <unk>), as ids.
struct StoryData {
    let vocabulary: TokenVocabulary
    let train: [[Int]]
    let heldOut: [[Int]]

    static let english: StoryData = {
        let corpus = try! Corpus(CorpusSpec.named("stories-en"), dataDirectory: dataDirectory())
        let vocab = corpus.vocabulary(minCount: 2)
        return StoryData(vocabulary: vocab, train: corpus.train.map { $0.map(vocab.idOrUnknown) },
                         heldOut: corpus.heldOut.map { $0.map(vocab.idOrUnknown) })
    }()
}

/// A fixture file of Tests/NeuralLMsTests/Fixtures.
func fixtureURL(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)!
}
