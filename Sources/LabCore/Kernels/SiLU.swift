// SiLU — the sigmoid-weighted linear unit (Elfwing et al. 2017, https://arxiv.org/abs/1702.03118), a.k.a. Swish.
//
//   silu(x) = x · σ(x) = x / (1 + e⁻ˣ)
// It is the gate of SwiGLU, the MLP of ERNIE 4.5 and Llama: mlp(x) = down(silu(gate(x)) ⊙ up(x))
// (Shazeer 2020, https://arxiv.org/abs/2002.05202). Shapes: x, y [count] (y may be x).

/// Reference SiLU, computed in Double.
public func siluNaive(count: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for i in 0..<count {
        let v = Double(x[i])
        y[i] = Float(v / (1 + _exp(-v)))
    }
}

/// Fast SiLU (contract of `siluNaive`), 16 lanes at a time with `vectorExp`.
public func silu(count: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    forEachBlock(count) { i, n in
        let v = loadPadded(x + i, n, pad: 0)
        storePartial(v / (1 + vectorExp(-v)), y + i, n)
    }
}
