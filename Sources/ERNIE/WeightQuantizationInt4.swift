// WeightQuantizationInt4 — 4-bit weights in groups of 32, each group's scale an int8 step of its row's scale, tiled
// 8 rows × 128 columns (LabCore's MatVecInt4.swift has the format and the layout): quantising a matrix at load, and
// applying it.
//
// Applying W to N rows of x:
//   N = 1      `matvecInt4VNNI` (decode) where the CPU has AVX-512 VNNI: x quantised to int8 per group of 32, nibbles
//              dotted in integers (LabCore's MatVecInt4VNNI.swift); elsewhere `matvecInt4`, nibbles widened to floats;
//   N ≤ 16     `matvecInt4BatchVNNI` (beams, short prompts): each weight read once for all N rows;
//   otherwise  blocks of rows dequantised to f32 into ≤ 4 MB of scratch and multiplied by gemm (prefill): W is read
//              once per call for all N rows.

import LabCore

/// How int4 quantisation picks its scales.
public enum Int4Quantization {
    /// Weights per scale: 32, the format; 64 only for the measurement of what groups of 64 would cost (tests set
    /// it for one task: docs/PERFORMANCE.md, "why groups of 32").
    @TaskLocal public static var scaleSpan = int4GroupSize
}

extension WeightMatrix {
    /// W in int4 with one int8 step per group of 32 and one scale per row, rows in parallel; a row that does not cut into whole groups is
    /// padded with zeros to `int4Cols`.
    ///
    /// - Throws: `WeightQuantizationError` when a row holds NaN or ±∞.
    func quantizedInt4(in arena: WeightArena? = nil) throws -> WeightMatrix {
        let width = int4Cols, groups = width / int4GroupSize, span = Int4Quantization.scaleSpan
        let byteCount = int4TiledByteCount(rows: rows, cols: width), unit = 1 << 16
        let buffer = WeightBuffer(byteCount: byteCount, in: arena)
        // Zeroed by both threads, half each: the first touch of a fresh page (the kernel clearing it) is the largest
        // part of an int4 load after the AVX-512 quantiser, and on the calling thread alone it was serial.
        parallelFor((byteCount + unit - 1) / unit) { units in
            let start = units.lowerBound * unit, end = min(byteCount, units.upperBound * unit)
            (buffer.bytes + start).initializeMemory(as: UInt8.self, repeating: 0, count: end - start)
        }
        let failed = UnsafeMutablePointer<Bool>.allocate(capacity: rows)      // rows a thread could not quantise
        defer { failed.deallocate() }
        forRowBlocks { block in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: width)                 // one row: W, then
            let packed = UnsafeMutablePointer<UInt8>.allocate(capacity: width / 2)         // its codes and scales
            let scales = UnsafeMutablePointer<Int8>.allocate(capacity: groups)
            defer { row.deallocate(); packed.deallocate(); scales.deallocate() }
            (row + cols).initialize(repeating: 0, count: width - cols)
            var rowScale: Float = 0
            for r in block {
                widenRow(r, into: row)
                failed[r] = !quantizeRowInt4(row, count: width, packed: packed, scales: scales, rowScale: &rowScale,
                                             scaleSpan: span)
                if !failed[r] {
                    storeRowInt4(r, cols: width, packed: packed, scales: scales, rowScale: rowScale, into: buffer.bytes)
                }
            }
        }
        if let r = (0..<rows).first(where: { failed[$0] }) {
            throw WeightQuantizationError(matrix: name, row: r)
        }
        return WeightMatrix(name: name, rows: rows, cols: cols, storage: .int4, base: UnsafeRawPointer(buffer.bytes),
                            scales: nil, owner: buffer)
    }

    /// Y = X·Wᵀ for an int4 W: x [count, cols], y [count, rows].
    func applyInt4(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        guard count == 1 || (count <= Self.batchedMatvecMaxRows && int4VNNIEnabled) else {
            applyWidened(x, count: count, y)                           // dequantised blocks + gemm (WeightMatrix)
            return
        }
        let width = int4Cols
        if width == cols { int4Matvecs(x, count: count, y); return }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: count * width) { padded in   // padded rows: pad x too
            let p = padded.baseAddress!
            p.initialize(repeating: 0, count: count * width)
            for i in 0..<count { (p + i * width).update(from: x + i * cols, count: cols) }
            int4Matvecs(p, count: count, y)
        }
    }

    /// The matvecs of `applyInt4` on x [count, int4Cols]: VNNI where it runs, else (no VNNI, or a non-finite x)
    /// the Swift kernel one vector at a time.
    private func int4Matvecs(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        let width = int4Cols
        if count == 1 {
            if matvecInt4VNNI(rows: rows, cols: width, tiles: base, x: x, y: y) { return }
        } else if matvecInt4BatchVNNI(rows: rows, cols: width, batch: count, tiles: base, x: x, y: y) {
            return
        }
        for i in 0..<count { matvecInt4(rows: rows, cols: width, tiles: base, x: x + i * width, y: y + i * rows) }
    }
}
