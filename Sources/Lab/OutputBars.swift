// ProbabilityBars — the next-token distribution before and after the processors, side by side.
//
// The model gives p_raw = softmax(z); temperature, top-k, top-p and min-p turn it into p_processed = softmax(z′),
// the distribution a token is actually drawn from (Decoding/ProcessorChain.swift). Each row is one candidate token
// with both probabilities; the rows a processor removed have p_processed = 0 and fall below the cut line.
// `lmlab sample --show-dist` and the sampling explorer show this.

import LabCore

public struct BarRow: Codable, Sendable, Equatable {
    /// The token as shown (control characters already escaped).
    public var token: String
    /// P under the model, before processing.
    public var raw: Double
    /// P after processing; 0 when removed. Nil when only one distribution is shown.
    public var processed: Double?
    /// The token that was chosen (sampled or greedy).
    public var chosen: Bool
    /// How many of `BarRow`s' samples drew this token (the explorer's `r` histogram); nil when no samples were drawn.
    public var drawn: Int?

    public init(token: String, raw: Double, processed: Double? = nil, chosen: Bool = false, drawn: Int? = nil) {
        self.token = token
        self.raw = raw
        self.processed = processed
        self.chosen = chosen
        self.drawn = drawn
    }
}

public struct ProbabilityBars: Codable, Sendable, Equatable {
    public var title: String?
    /// Column headings, e.g. "raw" and "T 0.7 · top-p 0.9".
    public var rawLabel: String
    public var processedLabel: String
    /// Most likely first.
    public var rows: [BarRow]
    /// The nucleus cut: rows after index `cutAfter` were removed by the processors (a line is drawn below it).
    public var cutAfter: Int?
    /// Total samples behind the `drawn` counts (nil: no histogram).
    public var samples: Int?
    /// A line under the bars (entropy, survivors, seed).
    public var note: String?
    /// What the rows are, over their names: nil is "token" / 词元 (the router's bars are experts).
    public var rowHeading: String?

    /// The column labels default to "raw" and "processed" in the learner's language (`sample --show-dist` in a zh
    /// lesson reads 原始 / 处理后, as the sampling explorer does).
    public init(title: String? = nil, rawLabel: String = Learner.text("raw", "原始"),
                processedLabel: String = Learner.text("processed", "处理后"), rows: [BarRow],
                cutAfter: Int? = nil, samples: Int? = nil, note: String? = nil, rowHeading: String? = nil) {
        self.title = title
        self.rawLabel = rawLabel
        self.processedLabel = processedLabel
        self.rows = rows
        self.cutAfter = cutAfter
        self.samples = samples
        self.note = note
        self.rowHeading = rowHeading
    }

    /// True when the rows carry a processed probability (two bar columns).
    public var sideBySide: Bool { rows.contains { $0.processed != nil } }
}
