// LogitsProcessor — one step of reshaping the next-token scores before a token is chosen.
//
// A decoder turns the model's scores z [V] (logits or log-probabilities: the processors below treat them alike,
// since log_softmax only shifts every score by the same constant) into a distribution p = softmax(z′), where
// z′ is z after a chain of processors. Each processor is a small value type in its own file, mirroring the ones
// transformers applies in `generate` (generation/logits_process.py), and it is tested against them
// (Tests/DecodingTests/ProcessorParityTests.swift, fixtures from scripts/make_decoding_fixtures.py).
// A token a processor removes gets the score −∞ (probability 0).

/// Reshapes next-token scores in place.
public protocol LogitsProcessor: CustomStringConvertible, Sendable {
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
