// ContinuationScore — a task turned into text generation (lesson 2): every candidate is scored as a continuation
// of the same context, and the candidates are compared.
//
//   log P(y | x) = Σ_j log P(y_j | x, y_<j)                     (y = the candidate's tokens, x = the context)
//   share(y)     = exp(log P(y | x)) / Σ_y' exp(log P(y' | x))   (softmax over the candidates' totals)
// No classifier is trained: the language model already knows which continuation is likely. Two normalisations can
// disagree: the total favours short candidates (fewer factors below one), the mean per token does not.

import LabCore

/// One candidate continuation scored after a context.
public struct ContinuationScore: Sendable, Equatable {
    /// The candidate's tokens, as the model would write them after the context.
    public let ids: [Int]
    /// log P(ids | context), natural log.
    public let logProb: Double
    /// log P per token of the candidate.
    public var meanLogProb: Double { logProb / Double(max(ids.count, 1)) }

    public init(ids: [Int], logProb: Double) { self.ids = ids; self.logProb = logProb }

    /// Scores each candidate after `context` with one fresh pass of `model` over context + candidate (the same
    /// numbers `SentenceScore` gives for those rows).
    /// - Throws: whatever the model throws (an id outside its vocabulary), or `CancellationError` on Ctrl-C.
    public static func score<M: LanguageModel>(_ candidates: [[Int]], after context: [Int],
                                               with model: M) throws -> [ContinuationScore] {
        try candidates.map { ids in
            let ledger = try SentenceScore.score(context + ids, with: model, pieces: { _ in "" })
            try Cancellation.check()
            let tail = ledger.entries[(ledger.entries.count - ids.count)...]
            return ContinuationScore(ids: ids, logProb: tail.compactMap(\.logProb).reduce(0, +))
        }
    }

    /// P(candidate | context, "the answer is one of these"): softmax over the totals.
    public static func shares(_ scores: [ContinuationScore]) -> [Double] { softmax(scores.map(\.logProb)) }
}

/// One label of `lmlab classify` with its score (JSON keys as `classify --json` prints them).
public struct LabelScore: Codable, Sendable, Equatable {
    public let label: String
    public let ids: [Int]
    public let totalLogProb: Double
    public let meanLogProb: Double
    /// The label's softmax share among the labels given.
    public let share: Double

    public init(label: String, ids: [Int], totalLogProb: Double, meanLogProb: Double, share: Double) {
        (self.label, self.ids, self.totalLogProb, self.meanLogProb, self.share) = (label, ids, totalLogProb, meanLogProb, share)
    }

    /// Labels and their scores, in the order given, with their shares.
    public static func rows(_ labels: [String], _ scores: [ContinuationScore]) -> [LabelScore] {
        let shares = ContinuationScore.shares(scores)
        return zip(labels, zip(scores, shares)).map { label, s in
            LabelScore(label: label, ids: s.0.ids, totalLogProb: s.0.logProb, meanLogProb: s.0.meanLogProb, share: s.1)
        }
    }
}
