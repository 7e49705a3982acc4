// MatVecInt8 — matrix–vector product with int8 weights and one scale per row: the int8 decode kernel.
//
// Symmetric per-row quantisation stores W [rows, cols] as q [rows, cols] (Int8) and s [rows] (Float) with
// W[r, c] ≈ s[r] · q[r, c]. Since the scale is constant along a row it factors out of the dot product:
//   y[r] = Σ_c W[r, c] · x[c] ≈ s[r] · Σ_c q[r, c] · x[c]
// so the kernel multiplies once per row, not once per weight. Weights take 1 byte instead of bf16's 2, so a
// decode step (bandwidth-bound: every weight read once) streams half the bytes.
//
// Widening int8 to float in registers. Swift SIMD's conversions between lane widths (Int8 → Int32) and from
// integer to float lanes compile to out-of-line calls (shared/PLATFORM.md), so the kernel uses only same-width
// bit operations and one float subtraction. One unaligned 64-byte load brings 64 weights as 16 UInt32 lanes;
// lane l holds columns 4l … 4l+3, byte k = column 4l+k. Then, per byte k:
//   u = lane ⊕ 0x80808080                          each byte b becomes b + 128 ∈ [0, 255] (offset binary)
//   f = bitcast((u >> 8k) & 0xFF | 0x4B000000)     the float 2²³ + (b + 128), exact: 0x4B000000 is 2²³
//   f − (2²³ + 128) = b                            exactly, as a float
// and x is pre-split per 64-column step into four groups xₖ[l] = x[4l + k] to meet byte k.
// Blocking as in `matvecBF16`: rows split into one contiguous slab per thread (`parallelFor`), 8 rows per pass
// (8 memory streams and 8 independent FMA chains), one accumulator per row; a scalar tail for cols % 64.
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
/// Blocking: rows split over threads; 8 rows per pass; 64 columns (one 64-byte load per row) per step.
public func matvecInt8(rows: Int, cols: Int, w: UnsafePointer<Int8>, scales: UnsafePointer<Float>,
                       x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    typealias V = SIMD16<Float>
    let steps = cols / 64, vecCols = steps * 64
    // x split per 64-column step: [step][x₀ 16 | x₁ 16 | x₂ 16 | x₃ 16] with xₖ[l] = x[64·step + 4l + k].
    let xBytes = UnsafeMutableRawPointer.allocate(byteCount: 4 * max(64, vecCols), alignment: 64)
    defer { xBytes.deallocate() }
    let xSplit = xBytes.bindMemory(to: Float.self, capacity: max(64, vecCols))
    for s in 0..<steps {
        for l in 0..<16 {
            for k in 0..<4 { xSplit[s * 64 + 16 * k + l] = x[s * 64 + 4 * l + k] }
        }
    }
    let xs = UnsafeRawPointer(xSplit)
    let wb = UnsafeRawPointer(w)

    @inline(__always) func tail(_ r: Int) -> Float {
        var s: Float = 0
        for t in vecCols..<cols { s += Float(w[r * cols + t]) * x[t] }
        return s
    }

    parallelFor(rows, threads: threads, minChunk: max(8, 65_536 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 8 <= block.upperBound {                       // 8 rows per pass: 8 streams in flight
            let w0 = wb + r * cols
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
            for s in 0..<steps {
                let x0 = xs.loadUnaligned(fromByteOffset: s * 256, as: V.self)
                let x1 = xs.loadUnaligned(fromByteOffset: s * 256 + 64, as: V.self)
                let x2 = xs.loadUnaligned(fromByteOffset: s * 256 + 128, as: V.self)
                let x3 = xs.loadUnaligned(fromByteOffset: s * 256 + 192, as: V.self)
                // Row k's 64 weights of this step, widened byte group by byte group, into one accumulator.
                @inline(__always) func step(_ k: Int, _ acc: inout V) {
                    let (b0, b1, b2, b3) = int8LanesToFloat((w0 + k * cols).loadUnaligned(fromByteOffset: s * 64, as: SIMD16<UInt32>.self))
                    acc.addProduct(b0, x0); acc.addProduct(b1, x1)
                    acc.addProduct(b2, x2); acc.addProduct(b3, x3)
                }
                step(0, &a0); step(1, &a1); step(2, &a2); step(3, &a3)
                step(4, &a4); step(5, &a5); step(6, &a6); step(7, &a7)
            }
            y[r] = scales[r] * (a0.sum() + tail(r)); y[r + 1] = scales[r + 1] * (a1.sum() + tail(r + 1))
            y[r + 2] = scales[r + 2] * (a2.sum() + tail(r + 2)); y[r + 3] = scales[r + 3] * (a3.sum() + tail(r + 3))
            y[r + 4] = scales[r + 4] * (a4.sum() + tail(r + 4)); y[r + 5] = scales[r + 5] * (a5.sum() + tail(r + 5))
            y[r + 6] = scales[r + 6] * (a6.sum() + tail(r + 6)); y[r + 7] = scales[r + 7] * (a7.sum() + tail(r + 7))
            r += 8
        }
        while r < block.upperBound {                            // leftover rows, one at a time
            let wr = wb + r * cols
            var a = V(), b = V()
            for s in 0..<steps {
                let (b0, b1, b2, b3) = int8LanesToFloat(wr.loadUnaligned(fromByteOffset: s * 64, as: SIMD16<UInt32>.self))
                a.addProduct(b0, xs.loadUnaligned(fromByteOffset: s * 256, as: V.self))
                b.addProduct(b1, xs.loadUnaligned(fromByteOffset: s * 256 + 64, as: V.self))
                a.addProduct(b2, xs.loadUnaligned(fromByteOffset: s * 256 + 128, as: V.self))
                b.addProduct(b3, xs.loadUnaligned(fromByteOffset: s * 256 + 192, as: V.self))
            }
            y[r] = scales[r] * ((a + b).sum() + tail(r))
            r += 1
        }
    }
}

/// 64 int8 values packed as 16 UInt32 lanes (lane l = bytes 4l … 4l+3, little-endian) → four SIMD16<Float>,
/// group k holding byte k of every lane. Exact: see the file comment for the 2²³ trick.
@inline(__always)
func int8LanesToFloat(_ lanes: SIMD16<UInt32>) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
    let u = lanes ^ SIMD16<UInt32>(repeating: 0x8080_8080)          // two's complement → offset binary (b + 128)
    let low = SIMD16<UInt32>(repeating: 0xFF)
    let magic = SIMD16<UInt32>(repeating: 0x4B00_0000)               // the float 2²³
    let bias = SIMD16<Float>(repeating: 8_388_736)                    // 2²³ + 128
    @inline(__always) func f(_ bits: SIMD16<UInt32>) -> SIMD16<Float> { unsafeBitCast(bits | magic, to: SIMD16<Float>.self) - bias }
    return (f(u & low), f((u &>> 8) & low), f((u &>> 16) & low), f(u &>> 24))
}
