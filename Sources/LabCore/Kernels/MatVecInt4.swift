// MatVecInt4 — 4-bit weights in groups of 32 with one scale per group: the format, and its decode kernel.
//
// Format (the layout of llama.cpp's Q4_0, our own code; scales kept as Float rather than f16):
//   W [rows, cols], cols a multiple of 32, is cut along each row into groups of 32 weights. For a group,
//   m = the weight of largest magnitude (with its sign), d = m / −8, and q[c] = clamp(round(w[c] / d), −8, 7), so the
//   largest weight lands on −8 exactly and the 16 codes −8…7 are all used. W[r, c] ≈ d[r, g] · q[r, c].
//   Error: |w − d·q| ≤ |d| / 2 for every weight but those near −m, which clamp at 7 (error up to |d|).
//   Storage: packed [rows, cols / 2] bytes — byte j of a group holds q[j] + 8 in its low nibble and q[j + 16] + 8 in
//   its high nibble — then d [rows, cols / 32] Float. 4 bits + 32 bits / 32 = 5 bits a weight: 0.3B's matrices take
//   225 MB (int8: 361 MB, bf16: 722 MB).
// Why groups: with one scale per row (int8's choice) one outlier stretches the grid for 1024 weights; 4 bits leave
// only 16 levels, so the grid has to follow the weights more closely — 32 per scale is the usual trade (the scale
// costs 1 bit a weight; 64 per scale would halve that and double the span an outlier spoils).
//
// Decode: y[r] = Σ_g d[r, g] · Σ_{c ∈ g} q[r, c] · x[c]. Per group: 16 bytes loaded, their low and high nibbles
// widened to floats lane by lane (LLVM's SLP vectoriser makes that a few AVX-512 instructions, as int8x16ToFloat),
// minus 8, dotted with x's 32 values, then scaled by d into the row's accumulator. 8 rows per pass share x's loads.
// The naive twin is the definition, accumulated in Double; tests hold the fast kernel to it. On a CPU with AVX-512
// VNNI the engine takes MatVecInt4VNNI.swift's kernels instead (x rounded to int8, integer dots): this one is their
// fallback (no VNNI, LMLAB_NO_VNNI=1, a non-finite x).

/// Weights per scale in the int4 format.
public let int4GroupSize = 32

/// Quantises one row of `count` weights (a multiple of `int4GroupSize`) into `packed` [count / 2] and
/// `scales` [count / 32]. Returns false when the row holds a non-finite weight (the output is then unspecified).
/// `scaleSpan` 64 (an experiment: docs/PERFORMANCE.md, "why groups of 32") takes each scale from 64 weights and
/// stores it for both of their groups of 32, so the kernels run unchanged on what a 64-weight format would hold.
public func quantizeRowInt4(_ w: UnsafePointer<Float>, count: Int, packed: UnsafeMutablePointer<UInt8>,
                            scales: UnsafeMutablePointer<Float>, scaleSpan: Int = int4GroupSize) -> Bool {
    precondition(count % int4GroupSize == 0, "int4 rows are whole groups of \(int4GroupSize)")
    precondition(scaleSpan == 32 || scaleSpan == 64, "int4 scale span \(scaleSpan): 32 or 64")
    for g in 0..<(count / int4GroupSize) {
        let group = w + g * int4GroupSize
        let start = g * int4GroupSize / scaleSpan * scaleSpan          // the span this group's scale comes from
        var m: Float = 0
        for j in start..<min(start + scaleSpan, count) {               // an odd last group: a span of its own 32
            guard w[j].isFinite else { return false }
            if abs(w[j]) > abs(m) { m = w[j] }
        }
        let d = m / -8
        scales[g] = d
        let inverse: Float = d == 0 ? 0 : 1 / d
        @inline(__always) func code(_ v: Float) -> UInt8 {
            UInt8(max(-8, min(7, (v * inverse).rounded(.toNearestOrEven))) + 8)
        }
        for j in 0..<16 {
            packed[g * 16 + j] = code(group[j]) | (code(group[j + 16]) << 4)
        }
    }
    return true
}

/// W[r, c] for c < count in a row of int4 weights: `packed` and `scales` of that row (⌈count / 32⌉ groups; a row
/// padded to whole groups), widened into `out` [count].
public func dequantizeRowInt4(packed: UnsafePointer<UInt8>, scales: UnsafePointer<Float>, count: Int,
                              into out: UnsafeMutablePointer<Float>) {
    for g in 0..<((count + int4GroupSize - 1) / int4GroupSize) {
        let d = scales[g]
        for j in 0..<16 {
            let b = packed[g * 16 + j]
            if g * 32 + j < count { out[g * 32 + j] = d * Float(Int(b & 0x0F) - 8) }
            if g * 32 + j + 16 < count { out[g * 32 + j + 16] = d * Float(Int(b >> 4) - 8) }
        }
    }
}

/// Reference int4 matvec: y[r] = Σ_g d[r, g] · Σ_{c ∈ g} q[r, c] · x[c], accumulated in Double.
///
/// - Parameters: packed [rows, cols / 2], scales [rows, cols / 32], x [cols], y [rows]; cols a multiple of 32.
public func matvecInt4Naive(rows: Int, cols: Int, packed: UnsafePointer<UInt8>, scales: UnsafePointer<Float>,
                            x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    let groups = cols / int4GroupSize
    for r in 0..<rows {
        var sum = 0.0
        for g in 0..<groups {
            var s = 0.0
            for j in 0..<16 {
                let b = packed[(r * groups + g) * 16 + j]
                s += Double(Int(b & 0x0F) - 8) * Double(x[g * 32 + j])
                s += Double(Int(b >> 4) - 8) * Double(x[g * 32 + 16 + j])
            }
            sum += Double(scales[r * groups + g]) * s
        }
        y[r] = Float(sum)
    }
}

/// Fast int4 matvec with the contract of `matvecInt4Naive` (float32 accumulation).
///
/// Blocking: rows split over threads (`parallelFor`); 8 rows per pass sharing each group's 32 values of x.
public func matvecInt4(rows: Int, cols: Int, packed: UnsafePointer<UInt8>, scales: UnsafePointer<Float>,
                       x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    typealias V = SIMD16<Float>
    precondition(cols % int4GroupSize == 0, "int4 rows are whole groups of \(int4GroupSize)")
    let groups = cols / int4GroupSize, rowBytes = cols / 2
    let xs = UnsafeRawPointer(x), wb = UnsafeRawPointer(packed)
    let eight = V(repeating: 8)

    /// The group's 32 weights (before scaling) dotted with x0 (its first 16 columns) and x1 (the next 16).
    @inline(__always) func groupDot(_ p: UnsafeRawPointer, _ x0: V, _ x1: V) -> V {
        let b = p.loadUnaligned(as: SIMD16<UInt8>.self)
        var lo = V(), hi = V()
        for i in 0..<16 { lo[i] = Float(Int32(b[i] & 0x0F)); hi[i] = Float(Int32(b[i] >> 4)) }
        var t = (lo - eight) * x0
        t.addProduct(hi - eight, x1)
        return t
    }

    parallelFor(rows, threads: threads, minChunk: max(8, 131_072 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 8 <= block.upperBound {
            let w0 = wb + r * rowBytes, s0 = scales + r * groups
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
            for g in 0..<groups {
                let x0 = xs.loadUnaligned(fromByteOffset: g * 128, as: V.self)
                let x1 = xs.loadUnaligned(fromByteOffset: g * 128 + 64, as: V.self)
                @inline(__always) func step(_ k: Int, _ acc: inout V) {
                    acc.addProduct(groupDot(w0 + k * rowBytes + g * 16, x0, x1), V(repeating: s0[k * groups + g]))
                }
                step(0, &a0); step(1, &a1); step(2, &a2); step(3, &a3)
                step(4, &a4); step(5, &a5); step(6, &a6); step(7, &a7)
            }
            y[r] = laneSum(a0); y[r + 1] = laneSum(a1); y[r + 2] = laneSum(a2); y[r + 3] = laneSum(a3)
            y[r + 4] = laneSum(a4); y[r + 5] = laneSum(a5); y[r + 6] = laneSum(a6); y[r + 7] = laneSum(a7)
            r += 8
        }
        while r < block.upperBound {                            // leftover rows, one at a time
            let wr = wb + r * rowBytes, sr = scales + r * groups
            var a = V()
            for g in 0..<groups {
                let x0 = xs.loadUnaligned(fromByteOffset: g * 128, as: V.self)
                let x1 = xs.loadUnaligned(fromByteOffset: g * 128 + 64, as: V.self)
                a.addProduct(groupDot(wr + g * 16, x0, x1), V(repeating: sr[g]))
            }
            y[r] = laneSum(a)
            r += 1
        }
    }
}
