// MatVecInt8 — matrix–vector product with int8 weights and one scale per row: the int8 decode kernel.
//
// Symmetric per-row quantisation stores W [rows, cols] as q [rows, cols] (Int8) and s [rows] (Float) with
// W[r, c] ≈ s[r] · q[r, c]. Since the scale is constant along a row it factors out of the dot product:
//   y[r] = Σ_c W[r, c] · x[c] ≈ s[r] · Σ_c q[r, c] · x[c]
// so the kernel multiplies once per row, not once per weight. Weights take 1 byte instead of bf16's 2, so a
// decode step (bandwidth-bound: every weight read once) streams half the bytes.
//
// Widening int8 to float in registers: 16 weights at a time, `vpmovsxbd` (sign-extend 16 bytes to 16 Int32, the
// load folded in) then `vcvtdq2ps`, then one FMA against x — 3 instructions per 16 weights (`int8x16ToFloat`).
// Blocking as in `matvecBF16`: rows split into one contiguous slab per thread (`parallelFor`), 8 rows per pass
// (8 memory streams and 8 independent FMA chains), one accumulator per row; a scalar tail for cols % 64. While a
// group is summed the next one is prefetched, as matvecBF16 does (off with `EngineOptions.matvecPrefetch`).
// The naive twin is the definition, accumulated in Double; tests hold the fast kernel to it.

/// Reference int8 matvec: y[r] = s[r] · Σ_c q[r, c] · x[c], accumulated in Double.
///
/// - Parameters: w the int8 weights q [rows, cols] row-major (any alignment), scales s [rows], x [cols], y [rows].
public func matvecInt8Naive(rows: Int, cols: Int, w: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
                            x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        var s = 0.0
        for c in 0..<cols { s += Double(w[r * cols + c]) * Double(x[c]) }
        y[r] = Float(Double(scales[r]) * s)
    }
}

/// Fast int8 matvec with the contract of `matvecInt8Naive` (float32 accumulation).
///
/// Blocking: rows split over threads; 8 rows per pass; 64 columns (four 16-byte loads per row) per step.
public func matvecInt8(rows: Int, cols: Int, w: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
                       x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    typealias V = SIMD16<Float>
    let steps = cols / 64, vecCols = steps * 64
    let xs = UnsafeRawPointer(x)
    let wb = UnsafeRawPointer(w)

    @inline(__always) func tail(_ r: Int) -> Float {
        var s: Float = 0
        for t in vecCols..<cols { s += Float(w[r * cols + t]) * x[t] }
        return s
    }

    let prefetch = EngineOptions.current.matvecPrefetch
    parallelFor(rows, threads: threads, minChunk: max(8, 65_536 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 8 <= block.upperBound {                       // 8 rows per pass: 8 streams in flight
            let w0 = wb + r * cols
            let next = w0 + 8 * cols                            // the next group: 8 rows = 8·cols bytes = 512 per step
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
            for s in 0..<steps {
                if prefetch {                                   // as in matvecBF16Rows: keep the next group coming
                    prefetch512(next + s * 512)
                }
                let x0 = xs.loadUnaligned(fromByteOffset: s * 256, as: V.self)
                let x1 = xs.loadUnaligned(fromByteOffset: s * 256 + 64, as: V.self)
                let x2 = xs.loadUnaligned(fromByteOffset: s * 256 + 128, as: V.self)
                let x3 = xs.loadUnaligned(fromByteOffset: s * 256 + 192, as: V.self)
                // Row k's 64 weights of this step, 16 at a time widened to float, into one accumulator.
                @inline(__always) func step(_ k: Int, _ acc: inout V) {
                    let p = w0 + k * cols + s * 64
                    acc.addProduct(int8x16ToFloat(p), x0); acc.addProduct(int8x16ToFloat(p + 16), x1)
                    acc.addProduct(int8x16ToFloat(p + 32), x2); acc.addProduct(int8x16ToFloat(p + 48), x3)
                }
                step(0, &a0); step(1, &a1); step(2, &a2); step(3, &a3)
                step(4, &a4); step(5, &a5); step(6, &a6); step(7, &a7)
            }
            y[r] = scales[r] * (laneSum(a0) + tail(r)); y[r + 1] = scales[r + 1] * (laneSum(a1) + tail(r + 1))
            y[r + 2] = scales[r + 2] * (laneSum(a2) + tail(r + 2)); y[r + 3] = scales[r + 3] * (laneSum(a3) + tail(r + 3))
            y[r + 4] = scales[r + 4] * (laneSum(a4) + tail(r + 4)); y[r + 5] = scales[r + 5] * (laneSum(a5) + tail(r + 5))
            y[r + 6] = scales[r + 6] * (laneSum(a6) + tail(r + 6)); y[r + 7] = scales[r + 7] * (laneSum(a7) + tail(r + 7))
            r += 8
        }
        while r < block.upperBound {                            // leftover rows, one at a time
            let wr = wb + r * cols
            var a = V(), b = V()
            for s in 0..<steps {
                let p = wr + s * 64, o = s * 256
                a.addProduct(int8x16ToFloat(p), xs.loadUnaligned(fromByteOffset: o, as: V.self))
                b.addProduct(int8x16ToFloat(p + 16), xs.loadUnaligned(fromByteOffset: o + 64, as: V.self))
                a.addProduct(int8x16ToFloat(p + 32), xs.loadUnaligned(fromByteOffset: o + 128, as: V.self))
                b.addProduct(int8x16ToFloat(p + 48), xs.loadUnaligned(fromByteOffset: o + 192, as: V.self))
            }
            y[r] = scales[r] * (laneSum(a + b) + tail(r))
            r += 1
        }
    }
}

/// 16 int8 values at `p` (any alignment) widened to SIMD16<Float>. Written lane by lane on purpose: LLVM's
/// SLP vectoriser turns this into one `vpmovsxbd` (sign-extend 16 bytes, load folded in) and one `vcvtdq2ps`,
/// whereas Swift SIMD's own conversions (`SIMD16<Int32>(truncatingIfNeeded:)`, `SIMD16<Float>(_:)`) compile
/// to out-of-line calls per use (shared/PLATFORM.md).
@inline(__always)
func int8x16ToFloat(_ p: UnsafeRawPointer) -> SIMD16<Float> {
    let q = p.loadUnaligned(as: SIMD16<Int8>.self)
    var f = SIMD16<Float>()
    for i in 0..<16 { f[i] = Float(q[i]) }
    return f
}
