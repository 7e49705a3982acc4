// RoPE — rotary position embedding (Su et al. 2021, https://arxiv.org/abs/2104.09864), interleaved-pair form.
//
// Each head vector of a query or key is cut into Dh/2 pairs and pair i is rotated by an angle that grows with
// the token's position p:
//   inv_freq[i] = θ^(−2i/Dh)            (θ = rope_theta, 500 000 for ERNIE 4.5)
//   angle       = p · inv_freq[i]
//   out[2i]     = x[2i]·cos(angle) − x[2i+1]·sin(angle)
//   out[2i+1]   = x[2i+1]·cos(angle) + x[2i]·sin(angle)
// so the dot product q·k depends on the positions only through their offset m − n (sign included; lesson 8's
// `lmlab layer rope` shows it). ERNIE 4.5 pairs ADJACENT
// elements (2i, 2i+1) — the GPT-J / "interleaved" layout — not the halves (i, i + Dh/2) of Llama's
// rotate_half; mixing the two up gives a model that runs but writes nonsense (shared/ERNIE45.md §3).
// Everything is float32, as in transformers: inv_freq, the angle and its cos/sin.
// Shapes: x [T, H, Dh] rotated in place; token t sits at position startPosition + t.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// inv_freq[i] = 1 / θ^(2i/Dh) for i in 0..<Dh/2, in float32 (transformers' default rope init).
public func ropeInverseFrequencies(headDim: Int, theta: Float) -> [Float] {
    precondition(headDim > 0 && headDim % 2 == 0, "RoPE: head dim \(headDim) must be even")
    return (0..<(headDim / 2)).map { i in 1 / powf(theta, Float(2 * i) / Float(headDim)) }
}

/// Reference interleaved RoPE, one pair at a time, straight from the equations above.
public func ropeInterleavedNaive(_ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int, headDim: Int,
                                 startPosition: Int, theta: Float) {
    precondition(headDim % 2 == 0, "RoPE: head dim \(headDim) must be even")
    for t in 0..<tokens {
        let position = Float(startPosition + t)
        for h in 0..<heads {
            let v = x + (t * heads + h) * headDim
            for i in 0..<(headDim / 2) {
                let invFreq = 1 / powf(theta, Float(2 * i) / Float(headDim))
                let angle = position * invFreq
                let (c, s) = (cosf(angle), sinf(angle))
                let (a, b) = (v[2 * i], v[2 * i + 1])
                v[2 * i] = a * c - b * s
                v[2 * i + 1] = b * c + a * s
            }
        }
    }
}

/// Fast interleaved RoPE (contract of `ropeInterleavedNaive`).
///
/// cos/sin are computed once per token (not per head) into two [Dh] rows laid out to match x:
/// cosRow = [c₀, c₀, c₁, c₁, …] and sinRow = [−s₀, +s₀, −s₁, +s₁, …]; then for each head, 16 lanes at a time,
///   out = x ⊙ cosRow + swapPairs(x) ⊙ sinRow,   swapPairs([a, b, …]) = [b, a, …]
/// which is the pair rotation above written as vectors.
public func ropeInterleaved(_ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int, headDim: Int,
                            startPosition: Int, theta: Float) {
    let invFreq = ropeInverseFrequencies(headDim: headDim, theta: theta)
    var cosRow = [Float](repeating: 0, count: headDim), sinRow = cosRow
    for t in 0..<tokens {
        let position = Float(startPosition + t)
        for i in 0..<(headDim / 2) {
            let angle = position * invFreq[i]
            let (c, s) = (cosf(angle), sinf(angle))
            cosRow[2 * i] = c; cosRow[2 * i + 1] = c
            sinRow[2 * i] = -s; sinRow[2 * i + 1] = s
        }
        cosRow.withUnsafeBufferPointer { cp in
            sinRow.withUnsafeBufferPointer { sp in
                let cb = cp.baseAddress!, sb = sp.baseAddress!
                for h in 0..<heads {
                    let v = x + (t * heads + h) * headDim
                    forEachBlock(headDim) { i, n in
                        let xv = loadPadded(v + i, n, pad: 0)
                        let out = xv * loadPadded(cb + i, n, pad: 0) + swapPairs(xv) * loadPadded(sb + i, n, pad: 0)
                        storePartial(out, v + i, n)
                    }
                }
            }
        }
    }
}

/// [a, b, c, d, …] → [b, a, d, c, …]: each 64-bit lane holds one pair, so rotating it by 32 bits swaps the pair.
@inline(__always)
func swapPairs(_ v: SIMD16<Float>) -> SIMD16<Float> {
    let pairs = unsafeBitCast(v, to: SIMD8<UInt64>.self)
    return unsafeBitCast((pairs &<< 32) | (pairs &>> 32), to: SIMD16<Float>.self)
}
