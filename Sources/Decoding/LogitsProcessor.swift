// LogitsProcessor — one step of reshaping the next-token scores before a token is chosen.
//
// A decoder turns the model's scores z [V] into a distribution p = softmax(z′), where z′ is z after a chain of
// processors. A LanguageModel gives log-probabilities, which are the logits shifted by one constant (log Σ e^z);
// temperature, top-k, top-p and min-p give the same result either way, the repetition penalty does not (see
// RepetitionPenalty.swift): here it always acts on log-probabilities, as in transformers' beam search. Each processor is a small value type in its own file, mirroring the ones
// transformers applies in `generate` (generation/logits_process.py), and it is tested against them
// (Tests/DecodingTests/ProcessorParityTests.swift, fixtures from scripts/make_decoding_fixtures.py).
// A token a processor removes gets the score −∞ (probability 0).

import LabCore

/// Reshapes next-token scores in place. `description` is English (`sample --json` writes it); `learnerDescription`
/// is what a header shows, in the learner's language (the names of the options themselves, top-k, top-p, min-p, stay).
public protocol LogitsProcessor: CustomStringConvertible, Sendable {
    var learnerDescription: String { get }
    /// - Parameters:
    ///   - scores: the scores of every token [V]; removed tokens become −∞.
    ///   - history: every id of the sequence so far (prompt and generated), oldest first.
    func process(_ scores: inout [Float], history: [Int])
}

/// Errors in decoding settings; the message names the setting and the fix.
public struct DecodingError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension DecodingError {
    /// Checks what every probability cut takes (top-p, min-p): a threshold between 0 and 1, and at least one token
    /// kept whatever the threshold. `name` is the setting as the learner types it ("top-p"); `note` says what the
    /// ends of the range mean.
    static func checkCut(_ name: String, _ value: Float, note: String = "", minTokensToKeep: Int) throws {
        guard value >= 0, value <= 1 else {
            throw DecodingError(Learner.text("\(name) \(value): must be between 0 and 1\(note)",
                                             "\(name) \(value)：必须在 0 到 1 之间\(note)。"))
        }
        guard minTokensToKeep >= 1 else {
            throw DecodingError(Learner.text("\(name) minTokensToKeep \(minTokensToKeep): must be ≥ 1",
                                             "\(name) minTokensToKeep \(minTokensToKeep)：必须 ≥ 1。"))
        }
    }
}

extension LogitsProcessor {
    public var learnerDescription: String { description }
}
