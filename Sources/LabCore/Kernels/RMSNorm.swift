// RMSNorm — root-mean-square layer normalisation (Zhang & Sennrich 2019, https://arxiv.org/abs/1910.07467).
//
//   y = x / √(mean(x²) + ε) ⊙ g
// Unlike LayerNorm there is no mean subtraction and no bias: each row is rescaled to unit RMS, then every
// channel is multiplied by its learned gain g. ERNIE 4.5 applies it before attention, before the MLP and at the
// end (ε = 1e-5, read from config.json's `rms_norm_eps`); statistics are computed in float32 as in transformers.
// Shapes: x, y [rows, cols] (y may be x); g [cols].

/// Reference RMSNorm per row, computed in Double.
public func rmsNormNaive(rows: Int, cols: Int, x: UnsafePointer<Float>, gain g: UnsafePointer<Float>, epsilon: Float,
                         y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        var sumSquares = 0.0
        for i in 0..<cols { sumSquares += Double(row[i]) * Double(row[i]) }
        let inverseRMS = 1 / (sumSquares / Double(cols) + Double(epsilon)).squareRoot()
        for i in 0..<cols { out[i] = Float(Double(row[i]) * inverseRMS * Double(g[i])) }
    }
}

/// Fast RMSNorm (contract of `rmsNormNaive`): one SIMD pass for Σx², one for x · (1/rms) · g.
public func rmsNorm(rows: Int, cols: Int, x: UnsafePointer<Float>, gain g: UnsafePointer<Float>, epsilon: Float,
                    y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        var sumSquares = LaneSum()
        forEachBlock(cols) { i, n in
            let v = loadPadded(row + i, n, pad: 0)
            sumSquares.add(v * v)
        }
        let inverseRMS = Float(1 / (sumSquares.total / Double(cols) + Double(epsilon)).squareRoot())
        forEachBlock(cols) { i, n in
            storePartial(loadPadded(row + i, n, pad: 0) * inverseRMS * loadPadded(g + i, n, pad: 0), out + i, n)
        }
    }
}
