// RoPE — rotary position embedding with ERNIE 4.5's interleaved pairs (Su et al. 2021, https://arxiv.org/abs/2104.09864;
// /work/shared/ERNIE45.md §3). Each consecutive pair of features (2i, 2i+1) of a query or key at position p is
// rotated by the angle p·θ^(−2i/Dh):
//
//   ωᵢ = θ^(−2i/Dh),  αₚᵢ = p·ωᵢ
//   out[2i]   = x[2i]·cos αₚᵢ − x[2i+1]·sin αₚᵢ
//   out[2i+1] = x[2i+1]·cos αₚᵢ + x[2i]·sin αₚᵢ
//
// A rotation's inverse is its transpose, so the backward step rotates the gradient by −αₚᵢ:
//   ∂L/∂x[2i]   =  g[2i]·cos αₚᵢ + g[2i+1]·sin αₚᵢ
//   ∂L/∂x[2i+1] =  g[2i+1]·cos αₚᵢ − g[2i]·sin αₚᵢ
//
// This is the GPT-J pairing (vLLM `is_neox_style=False`, mlx `traditional=True`), NOT the rotate-half pairing
// (i, i + Dh/2) of Llama checkpoints in Hugging Face layout. Angles here are computed in Double and rounded once;
// transformers computes ω and α in fp32, which differs by < 1e-5 rad for positions below 200.

import Foundation
import LabCore

/// cos αₚᵢ and sin αₚᵢ for each position and pair, [T, Dh/2] each.
func ropeTables(positions: [Int], headDim: Int, theta: Double) -> (cos: [Float], sin: [Float]) {
    let half = headDim / 2
    var c = [Float](repeating: 0, count: positions.count * half)
    var s = c
    for (t, p) in positions.enumerated() {
        for i in 0..<half {
            let angle = Double(p) * Foundation.pow(theta, -Double(2 * i) / Double(headDim))
            c[t * half + i] = Float(Foundation.cos(angle))
            s[t * half + i] = Float(Foundation.sin(angle))
        }
    }
    return (c, s)
}

/// Rotates interleaved pairs of `x` [..., T, Dh] by position: row t of every leading slice (e.g. every head of
/// [H, T, Dh]) uses `positions[t]`.
/// - Parameters:
///   - positions: T absolute positions (0, 1, 2, … for a fresh sequence; offset by the cache length when decoding).
///   - theta: the RoPE base θ (`rope_theta` in config.json; 500000 for ERNIE 4.5, 10000 in the RoPE paper).
public func rope(_ x: Variable, positions: [Int], theta: Double = 10000) -> Variable {
    precondition(x.value.rank >= 2, "Autograd.rope: input must be [..., T, Dh], got \(x.shape)")
    let (t, dh) = (x.shape[x.value.rank - 2], x.shape[x.value.rank - 1])
    precondition(t == positions.count, "Autograd.rope: \(positions.count) positions for \(t) rows of \(x.shape)")
    precondition(dh % 2 == 0, "Autograd.rope: head dim \(dh) must be even (pairs 2i, 2i+1)")
    let (cosT, sinT) = ropeTables(positions: positions, headDim: dh, theta: theta)
    let half = dh / 2
    let slices = x.value.count / max(1, t * dh)

    /// dst = R(sign·α)·src for every pair (sign +1 forward, −1 for the backward step), stored or added.
    func rotate(_ src: UnsafeBufferPointer<Float>, _ dst: UnsafeMutableBufferPointer<Float>, sign: Float, add: Bool) {
        for s in 0..<slices {
            for row in 0..<t {
                let base = (s * t + row) * dh
                for i in 0..<half {
                    let (c, sn) = (cosT[row * half + i], sign * sinT[row * half + i])
                    let (a, b) = (src[base + 2 * i], src[base + 2 * i + 1])
                    let (o0, o1) = (a * c - b * sn, b * c + a * sn)
                    if add { dst[base + 2 * i] += o0; dst[base + 2 * i + 1] += o1 }
                    else { dst[base + 2 * i] = o0; dst[base + 2 * i + 1] = o1 }
                }
            }
        }
    }

    var out = [Float](repeating: 0, count: x.value.count)
    x.value.data.withUnsafeBufferPointer { src in out.withUnsafeMutableBufferPointer { rotate(src, $0, sign: 1, add: false) } }
    return makeNode(Tensor(shape: x.shape, data: out), op: "rope", parents: [x]) { g in
        g.data.withUnsafeBufferPointer { pg in x.withGradBuffer { rotate(pg, $0, sign: -1, add: true) } }
    }
}

/// cos αₚᵢ and sin αₚᵢ of positions 0..<T, computed once and shared by every RoPE call of a forward pass.
public struct RopeTable: Sendable {
    public let length: Int, headDim: Int
    let cos: [Float], sin: [Float]          // [T, Dh/2]

    public init(length: Int, headDim: Int, theta: Double) {
        precondition(headDim % 2 == 0, "RopeTable: head dim \(headDim) must be even (pairs 2i, 2i+1)")
        (cos, sin) = ropeTables(positions: Array(0..<length), headDim: headDim, theta: theta)
        self.length = length
        self.headDim = headDim
    }
}

/// RoPE on a projection's row layout: `x` [B·T, n·Dh] holds B sequences of T rows, each row n heads of Dh features;
/// row r sits at position r mod T. The same rotation as `rope` on [B·n, T, Dh] after a head split (its naive twin in
/// the tests), without the split: rows are rotated in place of the layout, in parallel.
public func ropeRows(_ x: Variable, table: RopeTable) -> Variable {
    let (t, dh) = (table.length, table.headDim)
    precondition(x.value.rank == 2 && x.shape[1] % dh == 0 && x.shape[0] % t == 0,
                 "Autograd.ropeRows: input \(x.shape) is not [B·T, n·Dh] with T = \(t), Dh = \(dh)")
    let (rows, width, half) = (x.shape[0], x.shape[1], dh / 2)

    /// dst = R(sign·α)·src, stored or added, rows spread over the threads.
    func rotate(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, sign: Float, add: Bool) {
        table.cos.withUnsafeBufferPointer { cosT in table.sin.withUnsafeBufferPointer { sinT in
            parallelFor(rows, minChunk: 64) { range in
                for r in range {
                    let (c, s) = (cosT.baseAddress! + (r % t) * half, sinT.baseAddress! + (r % t) * half)
                    for head in stride(from: 0, to: width, by: dh) {
                        let (x, y) = (src + r * width + head, dst + r * width + head)
                        for i in 0..<half {
                            let (ci, si) = (c[i], sign * s[i])
                            let (a, b) = (x[2 * i], x[2 * i + 1])
                            let (o0, o1) = (a * ci - b * si, b * ci + a * si)
                            if add { y[2 * i] += o0; y[2 * i + 1] += o1 } else { y[2 * i] = o0; y[2 * i + 1] = o1 }
                        }
                    }
                }
            }
        }}
    }

    var out = [Float](unsafeUninitializedCapacity: x.value.count) { _, n in n = x.value.count }
    x.value.data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { rotate(src.baseAddress!, $0.baseAddress!, sign: 1, add: false) }
    }
    return makeNode(Tensor(shape: x.shape, data: out), op: "ropeRows", parents: [x]) { g in
        g.data.withUnsafeBufferPointer { pg in x.withGradBuffer { rotate(pg.baseAddress!, $0.baseAddress!, sign: -1, add: true) } }
    }
}
