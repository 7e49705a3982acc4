// ErnieRecorder — an optional window into one forward pass: the residual stream after every layer, every
// head's attention weights and every MoE layer's routing, for the explorers of lesson 8 (attention heatmaps, how the hidden state evolves).
//
// The forward pass takes one `recorder: ErnieRecorder?` parameter. When it is nil nothing is recorded or
// allocated; the math never branches on it except to hand over arrays it already computed.

/// Attention probabilities of one layer: for each row (query token) and head, a distribution over the keys.
public struct AttentionWeights: Sendable {
    /// N: query rows in the forward pass.
    public let rows: Int
    /// H: query heads.
    public let heads: Int
    /// Keys per (row, head) slot: the longest context any row saw. Row r uses the first `position[r] + 1`;
    /// the rest are 0 (masked: the future).
    public let keys: Int
    /// [N, H, keys], row-major.
    public let data: [Float]

    /// P(key s | row, head) for s in 0..<keys.
    public subscript(row: Int, head: Int) -> ArraySlice<Float> {
        let start = (row * heads + head) * keys
        return data[start..<(start + keys)]
    }
}

/// Collects the inside of the most recent forward pass it was given to.
public final class ErnieRecorder {
    /// Entry 0: the embeddings [N, D]; entry l+1: the residual stream after layer l [N, D] (before the final norm).
    public internal(set) var hiddenStates: [[Float]] = []
    /// Per layer: the attention probabilities.
    public internal(set) var attention: [AttentionWeights] = []
    /// Per layer: which experts each row chose and with what weight (MoE layers), nil for dense layers.
    public internal(set) var routing: [ExpertRouting?] = []

    public init() {}

    /// Clears what a previous pass left.
    func begin() {
        hiddenStates.removeAll()
        attention.removeAll()
        routing.removeAll()
    }
}
