// BatchLayout — which sequence, and which position in it, each row of a forward pass belongs to.
//
// One forward pass handles N token rows at once so that every weight matrix is streamed once for all of them:
//   prefill         N = T tokens of ONE sequence at positions S, S+1, …, S+T−1   (S = tokens already cached)
//   batched decode  N = B tokens, one per sequence (beam), each at its own sequence's next position
// The matrix multiplies do not care where a row comes from; only attention (which cache, which causal range)
// and RoPE (which angle) read this layout.

/// For each row of a forward batch: its sequence (an index into the caches) and its position there.
struct BatchLayout {
    /// sequence[r]: index of the KV cache row r reads and appends to.
    let sequence: [Int]
    /// position[r]: the row's position in its sequence (0-based), which sets its RoPE angle and causal range.
    let position: [Int]

    var rows: Int { sequence.count }

    /// T consecutive tokens of sequence 0, the first at `start`.
    static func prefill(count: Int, start: Int) -> BatchLayout {
        BatchLayout(sequence: Array(repeating: 0, count: count), position: Array(start..<(start + count)))
    }

    /// One token for each sequence, each at its sequence's next position.
    static func decode(lengths: [Int]) -> BatchLayout {
        BatchLayout(sequence: Array(lengths.indices), position: lengths)
    }
}
