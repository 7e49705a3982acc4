// NGramEvaluation — an n-gram model counted from a corpus, and what lesson 4 measures on it: the size of the
// model (distinct k-grams and k-gram windows per order), held-out perplexity, and perplexity as the order grows.
//
//   let (model, seconds) = NGramModel.counted(corpus, vocabulary: vocab, order: 3, smoothing: .kneserNey(discount: 0.75))
//   NGramSummary(model, corpus: corpus, countSeconds: seconds)      // what `lmlab ngram train` shows
//   NGramModel.perplexities(corpus, vocabulary: vocab, orders: 1...5, smoothing: .mle)   // `ngram perplexity`

import Foundation
import Tokenizers

extension NGramModel {
    /// The model of `order` counted from `corpus`'s training sentences over `vocabulary`, with the counting time.
    public static func counted(_ corpus: Corpus, vocabulary: TokenVocabulary, order: Int, smoothing: NGramSmoothing)
        -> (model: NGramModel, seconds: Double) {
        let ids = corpus.ids(vocabulary).train
        let start = DispatchTime.now().uptimeNanoseconds
        let counts = NGramCounts(order: order, vocabularySize: vocabulary.count, beginId: vocabulary.beginId,
                                 endId: vocabulary.endId, sentences: ids)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (NGramModel(counts: counts, smoothing: smoothing, vocabulary: vocabulary), seconds)
    }

    /// Held-out perplexity of the models of each order in `orders`, all counted over the same vocabulary.
    public static func perplexities(_ corpus: Corpus, vocabulary: TokenVocabulary, orders: ClosedRange<Int>,
                                    smoothing: NGramSmoothing) -> [PerplexityReport] {
        let heldOut = corpus.ids(vocabulary).heldOut
        return orders.map { counted(corpus, vocabulary: vocabulary, order: $0, smoothing: smoothing).model.perplexity(heldOut) }
    }
}

/// The size of a counted model and its held-out perplexity (`lmlab ngram train --json`; the keys are a contract).
public struct NGramSummary: Encodable, Sendable {
    /// Distinct k-grams and k-gram windows (with <s> padding and </s>) of one order k.
    public struct Grams: Encodable, Sendable { public let order, types, windows: Int }
    public let corpus: String
    public let order: Int
    public let smoothing: NGramSmoothing
    public let vocabulary: Int
    public let sentences: Int
    public let tokens: Int
    public let countSeconds: Double
    public let grams: [Grams]
    /// nil when the corpus has no held-out file.
    public let heldOut: PerplexityReport?

    public init(_ m: NGramModel, corpus: Corpus, countSeconds: Double) {
        let held = corpus.ids(m.tokens).heldOut
        self.corpus = corpus.spec.name
        order = m.order
        smoothing = m.smoothing
        vocabulary = m.tokens.count
        sentences = m.counts.sentenceCount
        tokens = m.counts.tokenCount
        self.countSeconds = countSeconds
        grams = (1...m.order).map { Grams(order: $0, types: m.counts.typeCount(order: $0), windows: m.counts.windowCount(order: $0)) }
        heldOut = held.isEmpty ? nil : m.perplexity(held)
    }
}
