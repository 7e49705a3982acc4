// ProbJSON — `lmlab prob --json`: the machine-readable ledger, beside the command that prints it (docs/ERNIE.md).
// A contract scripts depend on: keys may be added, never renamed or removed.
//
//   {"model": "...", "bos": "<the convention used>", "precision": "as-stored|bf16|f32|int8",
//    "tokens": [{"id": 1, "piece": "<s>", "logprob": null}, {"id": 18830, "piece": "hello", "logprob": -9.0}, …],
//    "total_logprob": -23.4, "perplexity": 348.2,
//    "compare": {"model", "precision", "tokens", "total_logprob", "perplexity"}}      only with a second model
// logprob is the natural log of P(token | tokens before it); null for the first token (nothing predicts it).
// perplexity is null when no token was scored.

import Decoding

/// The JSON value of one score (and optionally a second model's score of the same ids).
struct SentenceScoreJSON: Encodable {
    public struct Token: Encodable, Equatable {
        public let id: Int
        public let piece: String
        public let logprob: Float?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(id, forKey: .id)
            try c.encode(piece, forKey: .piece)
            try c.encode(logprob, forKey: .logprob)               // an explicit null for the unscored first token
        }
        enum CodingKeys: String, CodingKey { case id, piece, logprob }
    }

    /// A second model's score of the same ids.
    public struct Compared: Encodable {
        public let model: String
        public let precision: String?
        public let tokens: [Token]
        public let total_logprob: Double
        public let perplexity: Double?

        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encodeIfPresent(precision, forKey: .precision)
            try c.encode(tokens, forKey: .tokens)
            try c.encode(total_logprob, forKey: .total_logprob)
            try c.encode(perplexity, forKey: .perplexity)
        }
        enum CodingKeys: String, CodingKey { case model, precision, tokens, total_logprob, perplexity }
    }

    public let model: String
    /// The BOS convention, in words.
    public let bos: String
    /// The weight precision the model was loaded in (ERNIE/WeightPrecision.swift); nil when not given.
    public let precision: String?
    public let tokens: [Token]
    public let total_logprob: Double
    public let perplexity: Double?
    public let compare: Compared?

    public init(_ score: SentenceScore, compare other: SentenceScore? = nil, bos: String,
                precision: String? = nil, comparePrecision: String? = nil) {
        func tokens(_ s: SentenceScore) -> [Token] {
            s.entries.map { Token(id: $0.id, piece: $0.piece, logprob: $0.logProb.map(Float.init)) }
        }
        func perplexity(_ s: SentenceScore) -> Double? { s.scoredCount == 0 ? nil : s.perplexity }
        model = score.model
        self.bos = bos
        self.precision = precision
        self.tokens = tokens(score)
        total_logprob = score.totalLogProb
        self.perplexity = perplexity(score)
        compare = other.map { Compared(model: $0.model, precision: comparePrecision, tokens: tokens($0), total_logprob: $0.totalLogProb,
                                       perplexity: perplexity($0)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(model, forKey: .model)
        try c.encode(bos, forKey: .bos)
        try c.encodeIfPresent(precision, forKey: .precision)
        try c.encode(tokens, forKey: .tokens)
        try c.encode(total_logprob, forKey: .total_logprob)
        try c.encode(perplexity, forKey: .perplexity)
        try c.encodeIfPresent(compare, forKey: .compare)
    }
    enum CodingKeys: String, CodingKey { case model, bos, precision, tokens, total_logprob, perplexity, compare }
}
