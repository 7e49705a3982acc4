// LanguageModel — the one protocol every model of the lab speaks (DESIGN.md, "The one protocol").
//
// A language model assigns P(next token | context). Every decoder (greedy, beam, sampling) and every explorer
// is written against this protocol only, so the learner can run the same beam search on a bigram model and on
// ERNIE-4.5. Neural models keep a cache per sequence (`State`) so each step costs one token, not the whole context.

/// How a model's vocabulary is presented to decoders and explorers.
public protocol Vocabulary {
    /// Number of token ids (0..<count).
    var count: Int { get }
    /// The text shown for an id (a piece, a word, a byte like `<0x0A>`); never traps on a bad id.
    func piece(_ id: Int) -> String
}

/// A model that gives next-token log-probabilities, incrementally.
public protocol LanguageModel: AnyObject {
    /// Per-sequence incremental state (KV cache, RNN hidden state, n-gram history…). A value: copying a state
    /// forks the sequence, as beam search needs.
    associatedtype State

    var name: String { get }
    var vocabulary: any Vocabulary { get }

    /// Id that starts a sequence when the model needs one (BOS, or an n-gram `<s>`); nil when the model has none.
    var startToken: Int? { get }
    /// Ids that end a sequence.
    var endTokens: Set<Int> { get }
    /// Nil when the model gives the full distribution; N when only the top N log-probs are known (remote APIs).
    var topOnly: Int? { get }

    /// A fresh state with nothing consumed.
    func makeState() throws -> State
    /// Consumes `tokens` in order and returns the log-probabilities of the token after the last one [V].
    func append(_ tokens: [Int], to state: inout State) throws -> [Float]
    /// Log-probabilities after every prefix of `tokens` ([tokens.count][V]); row i predicts tokens[i+1].
    func scoreAll(_ tokens: [Int], from state: inout State) throws -> [[Float]]
    /// One step over several sequences at once (beam search). Models without a batched path loop.
    func appendBatch(_ tokens: [Int], to states: inout [State]) throws -> [[Float]]
}

extension LanguageModel {
    public var topOnly: Int? { nil }

    public func scoreAll(_ tokens: [Int], from state: inout State) throws -> [[Float]] {
        var rows: [[Float]] = []
        rows.reserveCapacity(tokens.count)
        for t in tokens { rows.append(try append([t], to: &state)) }
        return rows
    }

    public func appendBatch(_ tokens: [Int], to states: inout [State]) throws -> [[Float]] {
        precondition(tokens.count == states.count, "appendBatch: \(tokens.count) tokens for \(states.count) states")
        var out: [[Float]] = []
        for i in tokens.indices { out.append(try append([tokens[i]], to: &states[i])) }
        return out
    }
}
