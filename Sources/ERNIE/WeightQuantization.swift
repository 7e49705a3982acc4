// WeightQuantization — int8 weights with one scale per row: quantising a matrix at load, and applying it.
//
// Symmetric ("absmax") quantisation of each row r of W [rows, cols]:
//   s[r] = max_c |W[r, c]| / 127          q[r, c] = round(W[r, c] / s[r]) ∈ [−127, 127]   (ties to even)
//   W[r, c] ≈ s[r] · q[r, c],             |W[r, c] − s[r] · q[r, c]| ≤ s[r] / 2
// A row of zeros gets s = 0 and q = 0. The largest |W| of a row maps to ±127 exactly, so one outlier stretches
// the grid for its whole row — the weakness per-block scales (llama.cpp's Q8_0: 32 weights per scale) reduce.
// Per-row scales factor out of a dot product (y[r] = s[r] · Σ_c q[r, c] x[c]), which keeps the decode kernel
// (LabCore `matvecInt8`) a plain int8 stream. LLM.int8() (Dettmers et al., 2022, https://arxiv.org/abs/2208.07339)
// calls this vector-wise quantisation.
//
// Storage: one owned buffer per matrix, q [rows, cols] (Int8, row-major) followed by s [rows] (Float, 64-byte aligned).
// Applying W to N rows of x:
//   N = 1      `matvecInt8` (WeightMatrix.matvec);
//   N ≤ 16     `matvecInt8Batch`: each weight loaded once and dotted with all N rows (beams, short prompts);
//   N > 16     blocks of rows dequantised to f32 (s[r] · q[r, c]) into ≤ 4 MB of scratch and multiplied by gemm,
//              as the 16-bit path does; W is read once per call for all N rows.

import LabCore

/// A weight that int8 quantisation cannot represent.
public struct WeightQuantizationError: Error, CustomStringConvertible {
    public let matrix: String
    public let row: Int
    public var description: String {
        "\(matrix): row \(row) holds a non-finite weight (NaN or ±∞), which int8 and int4 cannot scale. "
            + "HINT: check the checkpoint, or load it with --precision as-stored."
    }
}

/// The naive twin of `quantizeRowInt8`: the same contract, one element at a time (tests hold the two equal).
public func quantizeRowInt8Naive(_ w: UnsafePointer<Float>, count: Int, into q: UnsafeMutablePointer<Int8>) -> Float? {
    var m: Float = 0
    for c in 0..<count {
        guard w[c].isFinite else { return nil }
        m = max(m, abs(w[c]))
    }
    let s = m / 127
    for c in 0..<count {
        q[c] = s == 0 ? 0 : Int8(max(-127, min(127, (w[c] / s).rounded(.toNearestOrEven))))
    }
    return s
}

/// Quantises one row: returns s = max|w| / 127 and writes q[c] = round(w[c] / s) (ties to even) into `q`.
/// A row of zeros gives s = 0 and q = 0; a non-finite weight gives nil (and `q` is left unspecified).
/// Both loops run 16 columns at a time (SIMD16), then one column at a time for the rest; every element gets the
/// same operations either way (|w|, max; w / s, round, clamp), so the result does not depend on the split.
///
/// - Parameters: w [count], q [count].
public func quantizeRowInt8(_ w: UnsafePointer<Float>, count: Int, into q: UnsafeMutablePointer<Int8>) -> Float? {
    typealias V = SIMD16<Float>
    typealias U = SIMD16<UInt32>
    let raw = UnsafeRawPointer(w)
    let vecCount = count / 16 * 16
    // For floats without their sign bit, ordering the bit patterns as integers orders the values, and ±∞ and NaN
    // are exactly the patterns ≥ 0x7F80_0000: one integer max finds both the largest |w| and any non-finite w.
    var mb = U()
    for c in stride(from: 0, to: vecCount, by: 16) {
        mb = pointwiseMax(mb, raw.loadUnaligned(fromByteOffset: 4 * c, as: U.self) & 0x7FFF_FFFF)
    }
    let m8 = pointwiseMax(mb.lowHalf, mb.highHalf), m4 = pointwiseMax(m8.lowHalf, m8.highHalf)
    let m2 = pointwiseMax(m4.lowHalf, m4.highHalf)
    let maxBits = max(m2.x, m2.y)
    var nonFinite = maxBits >= 0x7F80_0000
    var m = nonFinite ? 0 : Float(bitPattern: maxBits)
    for c in vecCount..<count {
        m = max(m, abs(w[c]))                              // max() alone would skip a NaN silently
        nonFinite = nonFinite || !w[c].isFinite
    }
    guard !nonFinite else { return nil }
    let s = m / 127
    if s == 0 {                                            // all zeros (or so tiny that s underflows)
        q.initialize(repeating: 0, count: count)
        return 0
    }
    // |w| ≤ m ⇒ |w / s| ≤ 127 up to the rounding of m / 127; the clamp covers that. Rounding: adding 1.5·2²³
    // to a float of magnitude < 2²² leaves round-to-nearest-even(v) in the low bits of the sum (the addition
    // itself rounds, ties to even), read back as an integer by subtracting the sum's bits for v = 0. The
    // standard library's SIMD `rounded` and Float→Int conversions are generic, element-by-element calls here.
    let sv = V(repeating: s), low = V(repeating: -127), high = V(repeating: 127)
    let magic = V(repeating: 12_582_912), magicBits = SIMD16<Int32>(repeating: 0x4B40_0000)
    for c in stride(from: 0, to: vecCount, by: 16) {
        let v = pointwiseMin(pointwiseMax(raw.loadUnaligned(fromByteOffset: 4 * c, as: V.self) / sv, low), high)
        let i = unsafeBitCast(v + magic, to: SIMD16<Int32>.self) &- magicBits
        for l in 0..<16 { q[c + l] = Int8(truncatingIfNeeded: i[l]) }
    }
    for c in vecCount..<count {
        let v = (w[c] / s).rounded(.toNearestOrEven)
        q[c] = Int8(max(-127, min(127, v)))
    }
    return s
}

extension WeightMatrix {
    /// The per-row scales s [rows] of an int8 matrix (nil for the other storages).
    public var int8Scales: UnsafePointer<Float>? { scales }

    /// W quantised to int8 with per-row scales, rows in parallel (each thread widens one row at a time).
    ///
    /// - Throws: `WeightQuantizationError` for a row with a non-finite weight.
    func quantizedInt8(in arena: WeightArena? = nil) throws -> WeightMatrix {
        let qBytes = (rows * cols + 63) / 64 * 64                      // scales start 64-byte aligned
        let buffer = WeightBuffer(byteCount: qBytes + 4 * rows, in: arena)
        let q = buffer.bytes.bindMemory(to: Int8.self, capacity: rows * cols)
        let s = (buffer.bytes + qBytes).bindMemory(to: Float.self, capacity: rows)
        forRowBlocks { block in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: cols)
            defer { row.deallocate() }
            for r in block {
                widenRow(r, into: row)
                s[r] = quantizeRowInt8(row, count: cols, into: q + r * cols) ?? .nan     // NaN marks a bad row
            }
        }
        if let bad = (0..<rows).first(where: { s[$0].isNaN }) { throw WeightQuantizationError(matrix: name, row: bad) }
        return WeightMatrix(name: name, rows: rows, cols: cols, storage: .int8, base: UnsafeRawPointer(q),
                            scales: UnsafePointer(s), owner: buffer)
    }

    /// Y = X·Wᵀ for an int8 W: x [count, cols], y [count, rows].
    func applyInt8(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        let scales = scales!
        let q = base.assumingMemoryBound(to: Int8.self)
        if count == 1 { matvecInt8(rows: rows, cols: cols, w: q, scales: scales, x: x, y: y); return }
        if count <= Self.batchedMatvecMaxRows {
            matvecInt8Batch(rows: rows, cols: cols, batch: count, w: q, scales: scales, x: x, y: y)
            return
        }
        applyWidened(x, count: count, y)                               // dequantised blocks + gemm (WeightMatrix)
    }
}
