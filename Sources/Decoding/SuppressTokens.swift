// SuppressTokens — tokens a model must never produce get the score −∞ (transformers' SuppressTokensLogitsProcessor).
//
// An n-gram model gives <unk> and <s> probability like any word, but a sentence it writes should contain neither:
// <unk> stands for every rare word at once, and <s> only pads the history. Removing them before the softmax
// renormalises the rest, exactly as dividing P(w | h) by 1 − P(<unk> | h) − P(<s> | h) would.

import LabCore
public struct SuppressTokens: LogitsProcessor {
    public let ids: Set<Int>

    public init(_ ids: Set<Int>) { self.ids = ids }

    public func process(_ scores: inout [Float], history: [Int]) {
        // 1. z_i ← −∞ for every suppressed id (ids outside the vocabulary are ignored).
        for i in ids where scores.indices.contains(i) { scores[i] = -.infinity }
    }

    public var description: String { "suppress \(ids.sorted().map(String.init).joined(separator: ", "))" }
    public var learnerDescription: String { Learner.text(description, "屏蔽 \(ids.sorted().map(String.init).joined(separator: ", "))") }
}
