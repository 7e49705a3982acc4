// TEMPORARY private kernels: the LabCore kernels this engine calls (matvec, matvecBF16, rmsNorm, silu, softmax,
// logSoftmax, ropeInterleaved) vanished from the working tree before they were committed. These plain versions
// have the same names and signatures; delete this file when LabCore's land (its declarations take over).

import Foundation
import LabCore

func matvec(rows: Int, cols: Int, w: UnsafePointer<Float>, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    parallelFor(rows, minChunk: max(1, 16_384 / max(cols, 1))) { block in
        for r in block { y[r] = dot(w + r * cols, x, cols) }
    }
}

func matvecBF16(rows: Int, cols: Int, w: UnsafeRawPointer, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    parallelFor(rows, minChunk: max(1, 32_768 / max(cols, 1))) { block in
        for r in block {
            var acc = SIMD16<Float>()
            var c = 0
            let row = w + 2 * r * cols
            let xr = UnsafeRawPointer(x)
            while c + 16 <= cols {
                let bits = row.loadUnaligned(fromByteOffset: 2 * c, as: SIMD16<UInt16>.self)
                var wide = SIMD16<UInt32>()
                for l in 0..<16 { wide[l] = UInt32(bits[l]) << 16 }
                acc.addProduct(unsafeBitCast(wide, to: SIMD16<Float>.self),
                               xr.loadUnaligned(fromByteOffset: 4 * c, as: SIMD16<Float>.self))
                c += 16
            }
            var s = acc.sum()
            while c < cols {
                s += Float(bitPattern: UInt32(row.loadUnaligned(fromByteOffset: 2 * c, as: UInt16.self)) << 16) * x[c]
                c += 1
            }
            y[r] = s
        }
    }
}

func rmsNorm(rows: Int, cols: Int, x: UnsafePointer<Float>, gain g: UnsafePointer<Float>, epsilon: Float,
             y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        let inverseRMS = 1 / (dot(row, row, cols) / Float(cols) + epsilon).squareRoot()
        for i in 0..<cols { out[i] = row[i] * inverseRMS * g[i] }
    }
}

func silu(count: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for i in 0..<count { y[i] = x[i] / (1 + expf(-x[i])) }
}

func softmax(rows: Int, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let a = x + r * cols, b = y + r * cols
        var m = -Float.infinity
        for i in 0..<cols { m = max(m, a[i]) }
        var s: Float = 0
        for i in 0..<cols { b[i] = expf(a[i] - m); s += b[i] }
        for i in 0..<cols { b[i] /= s }
    }
}

func logSoftmax(rows: Int, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let a = x + r * cols, b = y + r * cols
        var m = -Float.infinity
        for i in 0..<cols { m = max(m, a[i]) }
        var s: Float = 0
        for i in 0..<cols { s += expf(a[i] - m) }
        let lse = m + logf(s)
        for i in 0..<cols { b[i] = a[i] - lse }
    }
}

func ropeInterleaved(_ x: UnsafeMutablePointer<Float>, tokens: Int, heads: Int, headDim: Int,
                     startPosition: Int, theta: Float) {
    let invFreq = (0..<(headDim / 2)).map { i in 1 / powf(theta, Float(2 * i) / Float(headDim)) }
    for t in 0..<tokens {
        let position = Float(startPosition + t)
        for i in 0..<(headDim / 2) {
            let angle = position * invFreq[i]
            let (c, s) = (cosf(angle), sinf(angle))
            for h in 0..<heads {
                let v = x + (t * heads + h) * headDim
                let (a, b) = (v[2 * i], v[2 * i + 1])
                v[2 * i] = a * c - b * s
                v[2 * i + 1] = b * c + a * s
            }
        }
    }
}
