// NGramModel — an n-gram language model: counts + a smoothing rule + a vocabulary, speaking `LanguageModel`.
//
// P(w₁ … w_T) = Π_t P(w_t | w_{t−n+1} … w_{t−1}), the history cut to the last n−1 tokens (the Markov assumption)
// and padded on the left with <s>. The sentence also predicts its own end: P(</s> | last n−1 tokens).
// Decoders see it like any other model (DESIGN.md, "The one protocol"): the state is the token history, and
// `append` returns log P(· | last n−1 tokens) over the whole vocabulary.
import Foundation
import LabCore
import Tokenizers

/// An n-gram language model over a `TokenVocabulary`.
public final class NGramModel: LanguageModel {
    public typealias State = [Int]

    public let counts: NGramCounts
    public let smoothing: NGramSmoothing
    public let tokens: TokenVocabulary
    public let name: String

    public var vocabulary: any Vocabulary { tokens }
    public var order: Int { counts.order }
    public var startToken: Int? { tokens.beginId }
    public var endTokens: Set<Int> { [tokens.endId] }

    public init(counts: NGramCounts, smoothing: NGramSmoothing, vocabulary: TokenVocabulary, name: String? = nil) {
        precondition(counts.vocabularySize == vocabulary.count,
                     "NGramModel: counts over \(counts.vocabularySize) ids, vocabulary of \(vocabulary.count)")
        self.counts = counts
        self.smoothing = smoothing
        self.tokens = vocabulary
        self.name = name ?? "\(counts.order)-gram \(smoothing)"
    }

    /// Counts `sentences` (already tokenized into strings; tokens outside `vocabulary` count as <unk>).
    public convenience init(order: Int, smoothing: NGramSmoothing, vocabulary: TokenVocabulary,
                            sentences: [[String]], padding: NGramPadding = .single, name: String? = nil) {
        let ids = sentences.map { $0.map(vocabulary.idOrUnknown) }
        let counts = NGramCounts(order: order, vocabularySize: vocabulary.count, beginId: vocabulary.beginId,
                                 endId: vocabulary.endId, padding: padding, sentences: ids)
        self.init(counts: counts, smoothing: smoothing, vocabulary: vocabulary, name: name)
    }

    /// P(word | context) (the context is padded with <s> on the left to n−1 tokens, then cut to the last n−1).
    public func probability(of word: Int, after context: [Int]) -> Double {
        counts.probability(of: word, after: paddedContext(context), smoothing: smoothing)
    }

    /// The last n−1 tokens of `history`, left-padded with <s> when shorter (as the training sentences were).
    public func paddedContext(_ history: [Int]) -> [Int] {
        let need = order - 1
        let tail = Array(history.suffix(need))
        return tail.count == need ? tail : Array(repeating: tokens.beginId, count: need - tail.count) + tail
    }

    /// P(· | history) over the whole vocabulary [V], in Double.
    public func distribution(after history: [Int]) -> [Double] {
        let h = paddedContext(history)
        return (0..<tokens.count).map { counts.probability(of: $0, after: h, smoothing: smoothing) }
    }

    // MARK: - LanguageModel

    public func makeState() throws -> [Int] { [] }

    public func append(_ newTokens: [Int], to state: inout [Int]) throws -> [Float] {
        state += newTokens
        if state.count > order - 1 { state.removeFirst(state.count - (order - 1)) }
        return distribution(after: state).map { Float($0 > 0 ? log($0) : -Double.infinity) }
    }
}
