// Softmax and log-softmax over the last axis, computed stably (the row maximum is subtracted first).
//
//   yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m),  m = maxⱼ xⱼ        ∂L/∂xᵢ = yᵢ·(gᵢ − Σⱼ gⱼyⱼ)
//   ℓᵢ = xᵢ − m − ln Σⱼ e^(xⱼ − m)                       ∂L/∂xᵢ = gᵢ − softmax(x)ᵢ·Σⱼ gⱼ
//
// A −∞ entry (a masked position, Attention.swift) gets probability exactly 0 and no gradient; every row needs at
// least one finite entry.

import Foundation
import LabCore

/// Softmax of every row (last axis) into `dst`; also stores ln Σⱼ e^(xⱼ − m) + m per row when asked.
func softmaxRows(_ src: UnsafeBufferPointer<Float>, _ dst: UnsafeMutableBufferPointer<Float>, cols: Int,
                 logSumExp: UnsafeMutablePointer<Double>? = nil) {
    let rows = cols == 0 ? 0 : src.count / cols
    for r in 0..<rows {
        let base = r * cols
        var m = -Float.infinity
        for j in 0..<cols { m = max(m, src[base + j]) }
        var s = 0.0
        for j in 0..<cols {
            let e = Foundation.exp(src[base + j] - m)
            dst[base + j] = e
            s += Double(e)
        }
        let inv = Float(1 / s)
        for j in 0..<cols { dst[base + j] *= inv }
        logSumExp?[r] = Double(m) + Foundation.log(s)
    }
}

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
    var y = [Float](repeating: 0, count: x.value.count)
    x.value.data.withUnsafeBufferPointer { src in
        y.withUnsafeMutableBufferPointer { softmaxRows(src, $0, cols: cols) }
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

/// Log-softmax over the last axis: ℓ = x − logsumexp(x). ∂L/∂x = g − softmax(x)·Σg per row.
public func logSoftmax(_ x: Variable) -> Variable {
    let cols = x.shape.last ?? 1
    let rows = cols == 0 ? 0 : x.value.count / cols
    var p = [Float](repeating: 0, count: x.value.count)
    var lse = [Double](repeating: 0, count: rows)
    x.value.data.withUnsafeBufferPointer { src in
        p.withUnsafeMutableBufferPointer { dst in
            lse.withUnsafeMutableBufferPointer { softmaxRows(src, dst, cols: cols, logSumExp: $0.baseAddress) }
        }
    }
    var out = x.value
    for r in 0..<rows { for j in 0..<cols { out.data[r * cols + j] = Float(Double(out.data[r * cols + j]) - lse[r]) } }
    return makeNode(out, op: "logSoftmax", parents: [x]) { g in
        g.data.withUnsafeBufferPointer { pg in
            x.withGradBuffer { gx in
                for r in 0..<rows {
                    var s = 0.0
                    for j in 0..<cols { s += Double(pg[r * cols + j]) }
                    for j in 0..<cols { gx[r * cols + j] += pg[r * cols + j] - p[r * cols + j] * Float(s) }
                }
            }
        }
    }
}
