// WeightQuantizationInt4 — 4-bit weights in groups of 32 (LabCore's MatVecInt4.swift has the format): quantising a
// matrix at load, and applying it.
//
// Applying W to N rows of x:
//   N = 1   `matvecInt4` (decode): 5 bits a weight streamed, unpacked and scaled in registers;
//   N > 1   blocks of rows dequantised to f32 into ≤ 4 MB of scratch and multiplied by gemm (prefill, beams): W is
//           read once per call for all N rows. (A batched int4 matvec for beams, as int8 has, is not written yet.)

import LabCore

/// A matrix the int4 format cannot hold.
public struct Int4QuantizationError: Error, CustomStringConvertible {
    public let matrix: String
    public let reason: String
    public var description: String { "\(matrix): \(reason). HINT: load it with --precision int8 or as-stored." }
}

extension WeightMatrix {
    /// W in int4 with one scale per group of 32, rows in parallel.
    ///
    /// - Throws: `Int4QuantizationError` when the rows are not whole groups of 32, or a row holds NaN or ±∞.
    func quantizedInt4() throws -> WeightMatrix {
        guard cols % int4GroupSize == 0 else {
            throw Int4QuantizationError(matrix: name, reason: "has \(cols) columns, not a multiple of \(int4GroupSize), "
                                        + "so its rows do not cut into int4 groups")
        }
        let groups = cols / int4GroupSize
        let packedBytes = (rows * cols / 2 + 63) / 64 * 64                // scales start 64-byte aligned
        let buffer = WeightBuffer(byteCount: packedBytes + 4 * rows * groups)
        let packed = buffer.bytes.bindMemory(to: UInt8.self, capacity: rows * cols / 2)
        let scales = (buffer.bytes + packedBytes).bindMemory(to: Float.self, capacity: rows * groups)
        let bad = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        bad.initialize(to: Int.max)
        defer { bad.deallocate() }
        parallelFor(rows, minChunk: max(1, 65_536 / max(cols, 1))) { block in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: cols)
            defer { row.deallocate() }
            for r in block {
                widenRow(r, into: row)
                if !quantizeRowInt4(row, count: cols, packed: packed + r * cols / 2, scales: scales + r * groups) {
                    scales[r * groups] = .nan                              // NaN marks a bad row, read after the join
                }
            }
        }
        if let r = (0..<rows).first(where: { scales[$0 * groups].isNaN }) {
            throw Int4QuantizationError(matrix: name, reason: "row \(r) holds a non-finite weight (NaN or ±∞), which int4 cannot scale")
        }
        return WeightMatrix(name: name, rows: rows, cols: cols, storage: .int4, base: UnsafeRawPointer(packed),
                            scales: UnsafePointer(scales), owner: buffer)
    }

    /// Y = X·Wᵀ for an int4 W: x [count, cols], y [count, rows].
    func applyInt4(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        let packed = base.assumingMemoryBound(to: UInt8.self)
        if count == 1 { matvecInt4(rows: rows, cols: cols, packed: packed, scales: scales!, x: x, y: y); return }
        applyWidened(x, count: count, y)                               // dequantised blocks + gemm (WeightMatrix)
    }
}
