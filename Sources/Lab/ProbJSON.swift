// ProbJSON — `lmlab prob --json`: the machine-readable ledger, beside ProbReport, which prints it (docs/ERNIE.md).
// A contract scripts depend on: keys may be added, never renamed or removed.
//
//   {"model": "...", "bos": "<the convention used>", "precision": "as-stored|bf16|f32|int8",
//    "tokens": [{"id": 1, "piece": "<s>", "logprob": null}, {"id": 18830, "piece": "hello", "logprob": -9.0}, …],
//    "total_logprob": -23.4, "perplexity": 348.2,
//    "compare": {"model", "precision", "tokens", "total_logprob", "perplexity"}}      only with a second model
// logprob is the natural log of P(token | tokens before it); null for the first token (nothing predicts it).
// perplexity is null when no token was scored.

import Decoding

/// The JSON value of one score (and optionally a second model's score of the same ids): the first model's fields at
/// the top level beside "bos", the second's under "compare".
public struct SentenceScoreJSON: Encodable {
    public struct Token: Encodable, Equatable {
        public let id: Int
        public let piece: String
        /// An explicit null for the unscored first token.
        @ExplicitNull public var logprob: Float?
    }

    /// One model's score of the ids.
    public struct Scored: Encodable {
        public let model: String
        /// The weight precision the model was loaded in (ERNIE/WeightPrecision.swift); nil when not given.
        public let precision: String?
        public let tokens: [Token]
        public let total_logprob: Double
        /// nil (an explicit null) when no token was scored.
        @ExplicitNull public var perplexity: Double?

        init(_ s: SentenceScore, precision: String?) {
            model = s.model
            self.precision = precision
            tokens = s.entries.map { Token(id: $0.id, piece: $0.piece, logprob: $0.logProb.map(Float.init)) }
            total_logprob = s.totalLogProb
            perplexity = s.scoredCount == 0 ? nil : s.perplexity
        }
    }

    public let scored: Scored
    /// The BOS convention, in words.
    public let bos: String
    public let compare: Scored?

    public init(_ score: SentenceScore, compare other: SentenceScore? = nil, bos: String,
         precision: String? = nil, comparePrecision: String? = nil) {
        scored = Scored(score, precision: precision)
        self.bos = bos
        compare = other.map { Scored($0, precision: comparePrecision) }
    }

    public func encode(to encoder: Encoder) throws {
        try scored.encode(to: encoder)                              // model, precision, tokens, total_logprob, perplexity
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(bos, forKey: .bos)
        try c.encodeIfPresent(compare, forKey: .compare)
    }
    enum CodingKeys: String, CodingKey { case bos, compare }
}
