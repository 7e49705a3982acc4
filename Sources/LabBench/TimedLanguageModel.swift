// TimedLanguageModel — a LanguageModel that forwards to another and records how long each model call took, so
// `bench beam` can report the median single-token step and the median batched beam step apart from the ranking
// and tree bookkeeping around them.
import LabCore

/// A `LanguageModel` that forwards to another and times its single-token and batched calls.
public final class TimedLanguageModel<M: LanguageModel>: LanguageModel {
    public typealias State = M.State
    public let inner: M
    /// Seconds of each `append` of one token (a greedy step).
    public private(set) var stepSeconds: [Double] = []
    /// Seconds of each `appendBatch` (a beam step).
    public private(set) var batchSeconds: [Double] = []

    public init(_ inner: M) { self.inner = inner }

    public func reset() { stepSeconds = []; batchSeconds = [] }

    public var name: String { inner.name }
    public var vocabulary: any Vocabulary { inner.vocabulary }
    public var startToken: Int? { inner.startToken }
    public var endTokens: Set<Int> { inner.endTokens }
    public var topOnly: Int? { inner.topOnly }

    public func makeState() throws -> M.State { try inner.makeState() }

    public func append(_ tokens: [Int], to state: inout M.State) throws -> [Float] {
        let t = BenchClock.now()
        let out = try inner.append(tokens, to: &state)
        if tokens.count == 1 { stepSeconds.append(BenchClock.seconds(since: t)) }
        return out
    }

    public func scoreAll(_ tokens: [Int], from state: inout M.State) throws -> [[Float]] {
        try inner.scoreAll(tokens, from: &state)
    }

    public func appendBatch(_ tokens: [Int], to states: inout [M.State]) throws -> [[Float]] {
        let t = BenchClock.now()
        let out = try inner.appendBatch(tokens, to: &states)
        batchSeconds.append(BenchClock.seconds(since: t))
        return out
    }
}
