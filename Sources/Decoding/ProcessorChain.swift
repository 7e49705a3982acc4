// ProcessorChain — the processors of one decoding run, in the order they apply, and the distribution they give.
//
// The order is transformers' `generate` order (GenerationMixin._get_logits_processor): repetition penalty,
// temperature, top-k, top-p, min-p. Order matters: top-p after temperature measures mass in the sharpened (or
// flattened) distribution; top-k before top-p means the nucleus is taken among k tokens only.
// `description` displays the chain, e.g. "repetition penalty 1.2 → temperature 0.8 → top-k 40 → top-p 0.9".

import Foundation
import LabCore

/// The processors of a run, applied first to last.
/// JSON writes a chain as its English `description` ("temperature 0.7 → top-k 50", "no processing").
public struct ProcessorChain: CustomStringConvertible, Sendable, Encodable {
    public let processors: [any LogitsProcessor]

    public init(_ processors: [any LogitsProcessor]) { self.processors = processors }

    /// The chain for the usual sampling settings, in transformers' order; nil settings are left out, and settings
    /// that change nothing (T = 1, top-p = 1, min-p = 0, penalty = 1) are left out too, as transformers does.
    /// - Throws: `DecodingError` for a value out of range (T ≤ 0, k < 1, p outside [0, 1], θ ≤ 0).
    public init(repetitionPenalty: Float? = nil, temperature: Float? = nil, topK: Int? = nil, topP: Float? = nil,
                minP: Float? = nil) throws {
        // Every given value is validated (a bad one throws), then left out when it changes nothing.
        var list: [any LogitsProcessor] = []
        if let r = try repetitionPenalty.map(RepetitionPenalty.init), r.penalty != 1 { list.append(r) }
        if let t = try temperature.map(Temperature.init), t.value != 1 { list.append(t) }
        if let k = try topK.map(TopK.init) { list.append(k) }
        if let p = try topP.map({ try TopP($0) }), p.p < 1 { list.append(p) }
        if let m = try minP.map({ try MinP($0) }), m.minP > 0 { list.append(m) }
        self.init(list)
    }

    /// The processed scores: every processor in turn.
    public func apply(_ scores: [Float], history: [Int]) -> [Float] {
        var z = scores
        for p in processors { p.process(&z, history: history) }
        return z
    }

    /// The model's distribution and the one a token is drawn from.
    public func distributions(_ scores: [Float], history: [Int]) -> NextTokenDistribution {
        let processed = apply(scores, history: history)
        return NextTokenDistribution(raw: probabilities(scores), processed: probabilities(processed),
                                     processedScores: processed)
    }

    /// The chain in English, the same in every language: `sample --json` writes it.
    public var description: String {
        processors.isEmpty ? Self.noProcessing : processors.map(\.description).joined(separator: " → ")
    }

    /// What `description` says of a chain without processors.
    public static let noProcessing = "no processing"

    /// The chain as a header shows it, in the learner's language.
    public var learnerDescription: String {
        processors.isEmpty ? Learner.text(Self.noProcessing, "不做处理") : processors.map(\.learnerDescription).joined(separator: " → ")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Both distributions of one step, for display ("the model said … ; after top-p we draw from …").
public struct NextTokenDistribution: Sendable {
    /// softmax of the model's scores [V].
    public let raw: [Float]
    /// softmax of the processed scores [V]; removed tokens have probability 0.
    public let processed: [Float]
    /// The processed scores [V] (−∞ for removed tokens).
    public let processedScores: [Float]
}

/// softmax(z) = exp(z_i − max z) / Σ_j exp(z_j − max z) (LabCore's kernel); −∞ gives 0, and so does every token
/// when all scores are −∞ (nothing can be drawn).
public func probabilities(_ scores: [Float]) -> [Float] {
    var p = [Float](repeating: 0, count: scores.count)
    guard scores.contains(where: { $0 > -.infinity }) else { return p }
    scores.withUnsafeBufferPointer { z in
        p.withUnsafeMutableBufferPointer { softmax(rows: 1, cols: z.count, x: z.baseAddress!, y: $0.baseAddress!) }
    }
    return p
}

