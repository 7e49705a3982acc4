// ExplorerModel — any LanguageModel behind one concrete type, reading one sequence forward: what the sampling
// explorer needs (log P(next | context), then append the chosen token), without making every explorer generic
// over the model's `State` type. It counts model calls, so a test can prove that a slider change calls none.

import LabCore

public final class ExplorerModel {
    public let name: String
    public let vocabulary: any Vocabulary
    public let endTokens: Set<Int>
    /// N when the model only gives its top N log-probs (a remote API); the explorer says so.
    public let topOnly: Int?
    /// Model calls made so far (reading the context counts one, each appended token one).
    public private(set) var calls = 0

    private let readContext: ([Int]) throws -> [Float]
    private let appendToken: (Int) throws -> [Float]

    /// Wraps `model`; nothing is read until `read(_:)`.
    public init<M: LanguageModel>(_ model: M) {
        name = model.name
        vocabulary = model.vocabulary
        endTokens = model.endTokens
        topOnly = model.topOnly
        // The sequence's state lives in a box both closures share.
        let box = StateBox<M.State>()
        readContext = { tokens in
            var s = try model.makeState()
            let row = try model.append(tokens, to: &s)
            box.state = s
            return row
        }
        appendToken = { token in
            guard var s = box.state else { preconditionFailure("ExplorerModel: read(_:) the context before appending") }
            let row = try model.append([token], to: &s)
            box.state = s
            return row
        }
    }

    /// Starts a sequence: reads `context` and returns log P(next | context) [V] (one model call).
    public func read(_ context: [Int]) throws -> [Float] {
        calls += 1
        return try readContext(context)
    }

    /// Appends one token and returns log P(next | context + token) [V] (one model call).
    public func append(_ token: Int) throws -> [Float] {
        calls += 1
        return try appendToken(token)
    }
}

/// The state of the one sequence an `ExplorerModel` reads, shared by its closures.
private final class StateBox<State> { var state: State? }
