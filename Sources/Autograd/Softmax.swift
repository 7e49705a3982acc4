// Softmax and log-softmax over the last axis, computed stably (the row maximum is subtracted first).
//
//   yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m),  m = maxⱼ xⱼ        ∂L/∂xᵢ = yᵢ·(gᵢ − Σⱼ gⱼyⱼ)
//   ℓᵢ = xᵢ − m − ln Σⱼ e^(xⱼ − m)                       ∂L/∂xᵢ = gᵢ − softmax(x)ᵢ·Σⱼ gⱼ
//
// A −∞ entry (a masked position, Attention.swift) gets probability exactly 0 and no gradient; every row needs at
// least one finite entry. The forward passes are LabCore's kernels (Kernels/Softmax.swift); the backward passes are
// written here.

import LabCore

/// Backward of softmax along rows: adds y ⊙ (g − Σ g⊙y) into `dx`.
func softmaxRowsBackward(y: UnsafeBufferPointer<Float>, g: UnsafeBufferPointer<Float>,
                         dx: UnsafeMutableBufferPointer<Float>, cols: Int) {
    let rows = cols == 0 ? 0 : y.count / cols
    for r in 0..<rows {
        let base = r * cols
        var dot = 0.0
        for j in 0..<cols { dot += Double(g[base + j]) * Double(y[base + j]) }
        let d = Float(dot)
        for j in 0..<cols { dx[base + j] += y[base + j] * (g[base + j] - d) }
    }
}

/// Softmax over the last axis. ∂L/∂x = y ⊙ (g − Σ g⊙y) per row.
public func softmax(_ x: Variable) -> Variable {
    let cols = x.shape.last ?? 1
    let rows = cols == 0 ? 0 : x.value.count / cols
    var y = [Float](repeating: 0, count: x.value.count)
    if rows > 0 {
        x.value.data.withUnsafeBufferPointer { src in
            y.withUnsafeMutableBufferPointer { LabCore.softmax(rows: rows, cols: cols, x: src.baseAddress!, y: $0.baseAddress!) }
        }
    }
    let out = Tensor(shape: x.shape, data: y)
    return makeNode(out, op: "softmax", parents: [x]) { g in
        out.data.withUnsafeBufferPointer { py in
            g.data.withUnsafeBufferPointer { pg in
                x.withGradBuffer { softmaxRowsBackward(y: py, g: pg, dx: $0, cols: cols) }
            }
        }
    }
}

/// Log-softmax over the last axis: ℓ = x − logsumexp(x). ∂L/∂x = g − softmax(x)·Σg per row, with softmax(x) = e^ℓ
/// recovered from the output (LabCore's `scaledSoftmax` with log-partition 0 adds −Σg·e^ℓ).
public func logSoftmax(_ x: Variable) -> Variable {
    let cols = x.shape.last ?? 1
    let rows = cols == 0 ? 0 : x.value.count / cols
    var out = x.value
    if rows > 0 {
        x.value.data.withUnsafeBufferPointer { src in
            out.data.withUnsafeMutableBufferPointer {
                LabCore.logSoftmax(rows: rows, cols: cols, x: src.baseAddress!, y: $0.baseAddress!)
            }
        }
    }
    let logP = out.data
    return makeNode(out, op: "logSoftmax", parents: [x]) { g in
        g.data.withUnsafeBufferPointer { pg in
            logP.withUnsafeBufferPointer { pl in
                x.withGradBuffer { gx in
                    for r in 0..<rows {
                        var s = 0.0
                        for j in 0..<cols { s += Double(pg[r * cols + j]) }
                        for j in 0..<cols { gx[r * cols + j] += pg[r * cols + j] }
                        scaledSoftmax(pl.baseAddress! + r * cols, count: cols, logSumExp: 0, scale: -Float(s),
                                      into: gx.baseAddress! + r * cols, accumulate: true)
                    }
                }
            }
        }
    }
}
