// NGramLedger — P(sentence) under an n-gram model as a product of next-token probabilities, one row per token.
//
//   log P(w₁ … w_T </s>) = Σ_t log P(w_t | h_t),   h_t = the n−1 tokens before w_t (padded with <s>)
// The ledger shows every factor so the learner sees where a sentence loses its probability: an unseen trigram
// under MLE is a 0 that wipes out the whole product; smoothing turns it into a small number. The ledger is
// Decoding's `SentenceScore`, the same one `lmlab prob` fills for ERNIE, with the history and the counts kept.
import Decoding
import Foundation

extension NGramModel {
    /// The ledger of `sentence` (token ids, no padding): each token, then `</s>` × the training end padding.
    /// Every row is scored (the history is padded with <s>), so nothing is left as context only.
    public func ledger(_ sentence: [Int]) -> SentenceScore {
        var history: [Int] = []
        var rows: [(id: Int, piece: String, logProb: Double?, context: [String]?, counts: SentenceScore.Counts?)] = []
        let targets = sentence + Array(repeating: tokens.endId, count: counts.padding.endCount)
        for w in targets {
            let h = paddedContext(history)
            let p = probability(of: w, after: h)
            let hh = h.suffix(order - 1)
            let c = counts.index(of: hh)
            let total = c.map { counts.levels[hh.count].contextTotal[$0] } ?? 0
            let cw = c.map { counts.followCount(context: $0, order: hh.count + 1, word: w) } ?? 0
            rows.append((w, tokens.piece(w), p > 0 ? Foundation.log(p) : -.infinity, h.map(tokens.piece),
                         SentenceScore.Counts(word: cw, context: total)))
            history.append(w)
        }
        return SentenceScore(model: name, tokens: rows)
    }
}
