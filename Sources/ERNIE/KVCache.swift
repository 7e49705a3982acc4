// KVCache — the keys and values every past token left in every layer, so a new token costs one step, not T.
//
// Attention at position p needs k and v of positions 0…p. They depend only on the tokens up to there, so each
// is computed once, when its token is processed, and appended here. Decoding token T+1 then reads the cache
// instead of recomputing the whole prefix: O(T) work per token instead of O(T²).
// Layout per layer: keys and values [S, Hkv·Dh] (S = tokens so far), RoPE already applied to the keys.
// Memory for ERNIE-4.5-0.3B: 2 × 18 layers × 256 floats × 4 bytes = 36 KB per token.
//
// A value type: copying a cache forks the sequence (beam search keeps one per beam); the arrays are
// copy-on-write, so a fork costs nothing until one side appends.

/// Keys and values of every layer for one sequence.
public struct KVCache: Sendable {
    /// Per layer: keys [S, Hkv·Dh] (after RoPE), row-major.
    var keys: [[Float]]
    /// Per layer: values [S, Hkv·Dh].
    var values: [[Float]]
    /// Hkv·Dh: floats per token per layer.
    let rowWidth: Int

    /// S: tokens consumed so far (the position of the next token).
    public private(set) var count: Int = 0

    /// An empty cache for `layers` layers of `rowWidth` = Hkv·Dh floats per token.
    public init(layers: Int, rowWidth: Int) {
        keys = Array(repeating: [], count: layers)
        values = Array(repeating: [], count: layers)
        self.rowWidth = rowWidth
    }

    /// Appends one token's key and value [Hkv·Dh] to `layer`.
    mutating func append(layer: Int, key k: UnsafeBufferPointer<Float>, value v: UnsafeBufferPointer<Float>) {
        keys[layer].append(contentsOf: k)
        values[layer].append(contentsOf: v)
    }

    /// Records that `rows` tokens were appended to every layer.
    mutating func commit(rows: Int) {
        count += rows
        precondition(keys.allSatisfy { $0.count == count * rowWidth }, "KVCache: layers out of step")
    }
}
