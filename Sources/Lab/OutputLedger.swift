// Ledger and TrainingProgress — P(sentence) factor by factor, and a training run as it goes.
//
//   log P(w₁ … w_T) = Σ_t log P(w_t | w_<t),   perplexity = exp(−(1/T) Σ_t log P(w_t | w_<t))
// A ledger row per token shows where the sentence loses its probability (lesson 1, lesson 4); a zero probability
// (an unseen n-gram under MLE) makes the log −∞, which JSON cannot hold, so log values are optional: nil is −∞.

import Decoding
import Foundation
import LabCore

public struct LedgerEntry: Codable, Sendable, Equatable {
    /// What the model looked at (may be empty).
    public var context: String
    public var token: String
    public var probability: Double
    /// ln P; nil when P = 0 (−∞).
    public var logProb: Double?
    /// Σ ln P up to and including this token; nil once a factor was 0.
    public var running: Double?

    public init(context: String = "", token: String, probability: Double, logProb: Double?, running: Double?) {
        (self.context, self.token, self.probability, self.logProb, self.running) = (context, token, probability, logProb, running)
    }
}

public struct Ledger: Codable, Sendable, Equatable {
    public var title: String?
    public var entries: [LedgerEntry]

    public init(title: String? = nil, entries: [LedgerEntry]) { self.title = title; self.entries = entries }

    /// Builds the entries from per-token probabilities, summing the logs.
    public init(title: String? = nil, tokens: [(context: String, token: String, probability: Double)]) {
        var sum: Double? = 0
        var rows: [LedgerEntry] = []
        for t in tokens {
            let lp = t.probability > 0 ? Foundation.log(t.probability) : nil
            sum = zip2(sum, lp).map { $0 + $1 }
            rows.append(LedgerEntry(context: t.context, token: t.token, probability: t.probability, logProb: lp,
                                    running: sum))
        }
        self.init(title: title, entries: rows)
    }

    /// Σ ln P; nil when a factor is 0.
    public var total: Double? { entries.isEmpty ? 0 : entries.last!.running }
    /// exp(−total / T); nil when a factor is 0 or there are no entries.
    public var perplexity: Double? {
        guard let total, !entries.isEmpty else { return nil }
        return Foundation.exp(-total / Double(entries.count))
    }
}

extension Ledger {
    /// A scored sentence (Decoding's SentenceScore, from any model) as the ledger to show: one row per scored token,
    /// pieces escaped, titled with the model; an unscored first token (context only) is left out.
    public init(_ score: SentenceScore) {
        self.init(title: score.model, entries: score.entries.compactMap { e in
            e.logProb.map { lp in
                LedgerEntry(context: (e.context ?? []).map { VisibleText.escapingControls($0) }.joined(separator: " "),
                            token: VisibleText.escapingControls(e.piece), probability: Foundation.exp(lp),
                            logProb: lp.isFinite ? lp : nil, running: e.runningLogProb.isFinite ? e.runningLogProb : nil)
            }
        })
    }
}

private func zip2(_ a: Double?, _ b: Double?) -> (Double, Double)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// A training run: its samples so far (loss, smoothed loss, tok/s, ETA) and how many steps are planned.
public struct TrainingProgress: Codable, Sendable, Equatable {
    public var title: String?
    /// 0 when unknown.
    public var totalSteps: Int
    public var samples: [TrainingSample]

    public init(title: String? = nil, totalSteps: Int, samples: [TrainingSample]) {
        self.title = title
        self.totalSteps = totalSteps
        self.samples = samples
    }

    /// The meter's samples (LabCore).
    public init(title: String? = nil, meter: TrainingMeter) {
        self.init(title: title, totalSteps: meter.totalSteps, samples: meter.samples)
    }
}
