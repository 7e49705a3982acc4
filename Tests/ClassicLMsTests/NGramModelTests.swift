// The model on the generated story corpus: perplexity by order, sparsity, ledger ↔ LanguageModel, generation.
import Foundation
import Testing
import LabCore
@testable import ClassicLMs
import Decoding
import Tokenizers

func storiesEnglish() throws -> (Corpus, TokenVocabulary) {
    let corpus = try Corpus(CorpusSpec.named("stories-en"), dataDirectory: dataDirectory())
    return (corpus, corpus.vocabulary(minCount: 2))
}

@Test func heldOutPerplexityFallsFromUnigramToTrigram() throws {
    let (corpus, vocab) = try storiesEnglish()
    let held = corpus.heldOut.map { $0.map(vocab.idOrUnknown) }
    var ppl: [Double] = []
    for n in 1...5 {
        let m = NGramModel(order: n, smoothing: .kneserNey(discount: 0.75), vocabulary: vocab, sentences: corpus.train)
        let r = m.perplexity(held)
        print("KN d=0.75 n=\(n): held-out perplexity \(r.perplexity ?? .infinity) over \(r.tokens) tokens, \(r.zeroProbabilityTokens) zero")
        // Every held-out token (</s> and <unk> included) gets P > 0 at every order.
        #expect(r.zeroProbabilityTokens == 0)
        ppl.append(r.perplexity ?? .infinity)
    }
    #expect(ppl[0] > ppl[1] && ppl[1] > ppl[2], "perplexity by order: \(ppl)")
}

@Test func mleGivesZeroToUnseenTrigramsAndSparsityGrowsWithOrder() throws {
    let (corpus, vocab) = try storiesEnglish()
    let held = corpus.heldOut.map { $0.map(vocab.idOrUnknown) }
    let train = corpus.train.map { $0.map(vocab.idOrUnknown) }
    let counts = NGramCounts(order: 5, vocabularySize: vocab.count, beginId: vocab.beginId, endId: vocab.endId,
                             sentences: train)
    let rows = counts.sparsity(of: held)
    for r in rows { print("k=\(r.order): unseen \(r.unseenWindows)/\(r.windows) windows, \(r.unseenTypes)/\(r.types) types, unseen contexts \(r.unseenContexts)") }
    for k in 1..<rows.count { #expect(rows[k].unseenWindowShare >= rows[k - 1].unseenWindowShare) }
    // The MLE trigram model's zero-probability tokens are exactly the unseen held-out trigrams.
    let m3 = NGramModel(counts: NGramCounts(order: 3, vocabularySize: vocab.count, beginId: vocab.beginId,
                                             endId: vocab.endId, sentences: train),
                        smoothing: .mle, vocabulary: vocab)
    #expect(m3.perplexity(held).zeroProbabilityTokens == rows[2].unseenWindows)
}

@Test func ledgerAgreesWithLanguageModelAppend() throws {
    let (corpus, vocab) = try storiesEnglish()
    let m = NGramModel(order: 3, smoothing: .kneserNey(discount: 0.1), vocabulary: vocab,
                       sentences: Array(corpus.train.prefix(5000)))
    let sentence = WordTokenizer.split("Luna met a cat, who had come from Paris.", lowercase: true).map(vocab.idOrUnknown)
    let ledger = m.ledger(sentence)
    #expect(ledger.entries.count == sentence.count + 1)
    var state = try m.makeState()
    var logits = try m.append([vocab.beginId], to: &state)       // an explicit start token, as decoders send it
    var maxDiff = 0.0
    for (row, w) in zip(ledger.entries, sentence + [vocab.endId]) {
        maxDiff = max(maxDiff, abs(Double(logits[w]) - (row.logProb ?? .nan)))
        logits = try m.append([w], to: &state)
    }
    print("ledger vs append log-prob max abs diff \(maxDiff) (Float rounding), log P = \(ledger.totalLogProb)")
    #expect(maxDiff < 1e-5)
}

@Test func sampledTextUsesOnlySeenTrigramsAndRepeatsWithTheSeed() throws {
    let (corpus, vocab) = try storiesEnglish()
    let train = corpus.train.map { $0.map(vocab.idOrUnknown) }
    let counts = NGramCounts(order: 3, vocabularySize: vocab.count, beginId: vocab.beginId, endId: vocab.endId,
                             sentences: train)
    let m = NGramModel(counts: counts, smoothing: .mle, vocabulary: vocab)
    // The n-gram model writes through Decoding's Sampler, as `lmlab ngram generate` does.
    let sampler = Sampler(processors: ProcessorChain([SuppressTokens([vocab.unknownId, vocab.beginId])]),
                          choice: .sample(seed: 42))
    var rngA = SeededRNG(seed: 42), rngB = SeededRNG(seed: 42)
    let a = try sampler.sentence(m, prompt: [], maxTokens: 40, rng: &rngA)
    let b = try sampler.sentence(m, prompt: [], maxTokens: 40, rng: &rngB)
    print("sampled (seed 42): \(WordTokenizer.join(a.map(vocab.piece)))")
    #expect(a == b && !a.isEmpty)
    let padded = [vocab.beginId, vocab.beginId] + a
    for i in 2..<padded.count { #expect(counts.count(padded[(i - 2)...i]) > 0) }
}

@Test func aZeroFactorMakesTheLedgerMinusInfinity() throws {
    let sentences = [["the", "cat", "says", "meow", "."], ["the", "dog", "says", "woof", "."]]
    let vocab = TokenVocabulary.build(from: sentences)
    let m = NGramModel(order: 2, smoothing: .mle, vocabulary: vocab, sentences: sentences)
    // P(the | <s>) = 2/2, P(cat | the) = 1/2, P(woof | cat) = 0 (never seen): the product is 0.
    let ledger = m.ledger(["the", "cat", "woof", "."].map(vocab.idOrUnknown))
    #expect(ledger.entries.map(\.probability) == [1, 0.5, 0, 1, 1])
    #expect(ledger.entries.map { $0.counts?.word } == [2, 1, 0, 1, 2])
    #expect(ledger.entries.map { $0.context?.last } == ["<s>", "the", "cat", "woof", "."])
    #expect(ledger.entries[2].logProb == -.infinity && ledger.totalLogProb == -.infinity)
    #expect(abs(try #require(ledger.entries[1].logProb) - log(0.5)) < 1e-12)
    #expect(ledger.scoredCount == 5 && ledger.perplexity == .infinity)
}
