// The int4 format (groups of 32, each group's scale an int8 step j of its row's scale s) in its tiled layout, and its
// decode kernel: quantising keeps every weight within half a step inside the codes' range (the clamped ends within
// the test's bounds); the tiles hold each code, step and row scale where the layout says (hand-checked offsets, zero
// padding); the fast matvec equals its naive twin over odd row counts, long rows and 1–3 threads; unpacking is exact
// for every byte.
import Testing
@testable import LabCore

/// Quantises `w` (a multiple of 32 long), returning (ok, packed, steps, row scale).
private func quantize(_ w: [Float]) -> (Bool, [UInt8], [Int8], Float) {
    var packed = [UInt8](repeating: 0, count: w.count / 2)
    var steps = [Int8](repeating: 0, count: w.count / 32), rowScale: Float = -1
    let ok = quantizeRowInt4(w, count: w.count, packed: &packed, scales: &steps, rowScale: &rowScale)
    return (ok, packed, steps, rowScale)
}

/// W [rows, cols] (cols a multiple of 32) quantised row by row into the tiled int4 layout, in owned memory
/// (`offset` bytes past a 64-byte boundary, to show the kernels need no alignment).
final class Int4TestMatrix {
    let rows: Int, cols: Int
    private let memory: UnsafeMutableRawPointer
    let tiles: UnsafeMutableRawPointer

    init(_ w: [Float], rows: Int, cols: Int, offset: Int = 0) {
        self.rows = rows; self.cols = cols
        let bytes = int4TiledByteCount(rows: rows, cols: cols)
        memory = UnsafeMutableRawPointer.allocate(byteCount: bytes + offset, alignment: 64)
        tiles = memory + offset
        tiles.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        var packed = [UInt8](repeating: 0, count: cols / 2), steps = [Int8](repeating: 0, count: cols / 32)
        var rowScale: Float = 0
        for r in 0..<rows {
            let ok = w.withUnsafeBufferPointer { quantizeRowInt4($0.baseAddress! + r * cols, count: cols, packed: &packed,
                                                                 scales: &steps, rowScale: &rowScale) }
            precondition(ok, "test matrix row \(r) does not quantise")
            storeRowInt4(r, cols: cols, packed: packed, scales: steps, rowScale: rowScale, into: tiles)
        }
    }

    deinit { memory.deallocate() }
}

/// Σ (w − d·q)² of one group of 32 quantised with step d (codes clamp(round(w / d), −8, 7)), in Double.
private func groupError(_ group: ArraySlice<Float>, step d: Float) -> Double {
    group.reduce(0.0) { sum, w in
        let q = d == 0 ? 0 : max(-8, min(7, (Double(w) / Double(d)).rounded(.toNearestOrEven)))
        return sum + (Double(w) - Double(d) * q) * (Double(w) - Double(d) * q)
    }
}

@Test func int4RoundTripStaysWithinHalfAStep() {
    var worst: Float = 0, chosen = 0.0, absmax = 0.0
    for seed in 1...20 {
        let w = randomFloats(32 * 12, seed: UInt64(seed)).enumerated().map { $0.element * (1 + Float($0.offset % 5)) }
        let (ok, _, steps, s) = quantize(w)
        #expect(ok)
        let big = w.map(abs).max()!
        #expect(s == big / 1016, "the row scale is M / (8 · 127)")
        let tiled = Int4TestMatrix(w, rows: 1, cols: w.count)
        var back = [Float](repeating: 0, count: w.count)
        dequantizeRowInt4(tiled.tiles, cols: w.count, row: 0, count: w.count, into: &back)
        for g in 0..<(w.count / 32) {
            let group = w[(g * 32)..<(g * 32 + 32)]
            let m = group.max { abs($0) < abs($1) }!
            let j = steps[g], d = Float(j) * s, j0 = (m * (-127 / big)).rounded(.toNearestOrEven)
            #expect(abs(Float(j)) >= abs(j0) * 0.875 - 1 && abs(Float(j)) <= min(127, abs(j0) * 1.125 + 1),
                    "j \(j) is one of the tried steps around absmax's \(j0)")
            #expect(int4Scale(tiled.tiles, cols: w.count, 0, group: g) == d)
            #expect(int4RowScale(tiled.tiles, cols: w.count, 0) == s)
            let error = groupError(group, step: d), errorAbsmax = groupError(group, step: j0 * s)
            #expect(error <= errorAbsmax * (1 + 1e-5), "group \(g): the kept step rebuilds it no worse than absmax's")
            chosen += error; absmax += errorAbsmax
            for i in 0..<32 {
                let err = abs(back[g * 32 + i] - group[g * 32 + i])
                let clamped = group[g * 32 + i] / d > 7.5 || group[g * 32 + i] / d < -8.5    // beyond the codes' ends
                #expect(err <= (clamped ? abs(m) / 4 : abs(d) * 0.5 * (1 + 1e-5)),
                        "group \(g) weight \(i): \(group[g * 32 + i]) → \(back[g * 32 + i]) (j \(j))")
                if !clamped { worst = max(worst, err / abs(d)) }
            }
        }
    }
    #expect(chosen < absmax, "the search lowers the squared error")
    print("int4 round trip: max |w − d·q| / |d| = \(worst) (bound 0.5 where not clamped); squared error of the kept "
          + "steps / absmax's \(chosen / absmax)")
}

@Test func int4HandCheckedAndEdgeRows() {
    // M = 15.875 → s = 15.875 / 1016 = 1/64 exactly, −127 / M = −8, so group 0 (m = −15.875) has absmax's j = 127 and
    // step d = 127/64 = 1.984375; its weights sit exactly on that grid (−8d, 3d, −2d, 7d), so no other step is
    // strictly better and j stays 127. Group 1's largest weight 0.05 is below M / 254: every tried j rounds to 0
    // and the group reads as zeros.
    let d: Float = 127.0 / 64
    var w = [Float](repeating: 0, count: 64)
    w[0] = -8 * d; w[1] = 3 * d; w[2] = -2 * d; w[17] = 7 * d; w[32] = 0.05; w[40] = -0.03
    let (ok, packed, steps, s) = quantize(w)
    #expect(ok && s == 1.0 / 64 && steps == [127, 0])
    #expect(packed[0] == UInt8(-8 + 8) | UInt8(0 + 8) << 4)          // w[0] and w[16]
    #expect(packed[1] == UInt8(3 + 8) | UInt8(7 + 8) << 4)           // w[1] and w[17]
    #expect(packed[2] == UInt8(-2 + 8) | UInt8(0 + 8) << 4)
    #expect(packed[16...].allSatisfy { $0 == 0x88 }, "the zero-step group's codes are all 0")
    // A group the search improves: one weight at −8 and 31 at 1.6. absmax's step (j 127, d 1) leaves each 1.6 0.4
    // from code 2 (error 31 · 0.16 = 4.96); smaller steps bring code 2 down towards 1.6 at the cost of clamping −8
    // (j 111, d ≈ 0.874: 31 · 0.022 + 1.02 ≈ 1.70), so a step below 1 is kept.
    var lifted = [Float](repeating: 1.6, count: 32)
    lifted[0] = -8
    let (ok2, packed2, steps2, s2) = quantize(lifted)
    #expect(ok2 && s2 == 8.0 / 1016)
    #expect(Float(steps2[0]) * s2 < 1, "a step below absmax's 1 is kept (j \(steps2[0]))")
    #expect(groupError(lifted[...], step: Float(steps2[0]) * s2) < groupError(lifted[...], step: 127 * s2))
    #expect(packed2[0] & 0x0F == 0, "−8 still takes the lowest code")
    let zeros = quantize([Float](repeating: 0, count: 64))
    #expect(zeros.0 && zeros.2 == [0, 0] && zeros.3 == 0 && zeros.1.allSatisfy { $0 == 0x88 })
    let tiny = quantize((0..<64).map { Float($0) * 1e-37 })                       // M / 1016 is not a normal float
    #expect(tiny.0 && tiny.3 == 0 && tiny.2 == [0, 0] && tiny.1.allSatisfy { $0 == 0x88 })
    let huge = quantize((0..<64).map { $0 == 5 ? -3e38 : Float($0) * 1e36 })      // no half-float limit any more
    #expect(huge.0 && huge.3 == 3e38 / 1016)
    for bad in [Float.nan, .infinity, -.infinity] {
        var row = [Float](repeating: 1, count: 64)
        row[40] = bad
        #expect(!quantize(row).0, "\(bad)")
    }
}

@Test func int4TilesHoldEachCodeAndScaleWhereTheLayoutSays() {
    // 9 rows × 160 columns: 2 tiles (the second holds 1 row and 7 padding rows) of 2 blocks (the second holds 1 group
    // and 3 padding groups) of 544 bytes, then the tile's 8 row scales: 2 · 544 + 32 = 1120 bytes a tile.
    let rows = 9, cols = 160, tile = 2 * 544 + 32
    #expect(int4TiledByteCount(rows: rows, cols: cols) == 2 * tile)
    let w = randomFloats(rows * cols, seed: 77)
    let tiled = Int4TestMatrix(w, rows: rows, cols: cols)
    let raw = UnsafeRawPointer(tiled.tiles)
    for r in 0..<rows {
        let (_, packed, steps, s) = quantize(Array(w[(r * cols)..<(r * cols + cols)]))
        for c in 0..<cols {
            let b = packed[c / 32 * 16 + c % 16]
            #expect(int4Code(raw, cols: cols, r, c) == Int(c % 32 < 16 ? b & 0x0F : b >> 4) - 8, "row \(r) col \(c)")
        }
        for g in 0..<(cols / 32) {
            #expect(int4GroupStep(raw, cols: cols, r, group: g) == steps[g])
            #expect(int4Scale(raw, cols: cols, r, group: g) == Float(steps[g]) * s)
        }
        #expect(int4RowScale(raw, cols: cols, r) == s)
    }
    // Row 8, column 130 = tile 1, block 1, row 0 of the tile, group 0 of the block, byte 2 (low nibble): offset
    // 1120 + 544 + 64·0 + 16·0 + 2; its step at 1120 + 544 + 512 + 4·0 + 0; its row scale after tile 1's blocks.
    let (_, packed8, steps8, s8) = quantize(Array(w[(8 * cols)...]))
    #expect(raw.load(fromByteOffset: tile + 544 + 2, as: UInt8.self) == packed8[4 * 16 + 2])
    #expect(raw.load(fromByteOffset: tile + 544 + 512, as: Int8.self) == steps8[4])
    #expect(raw.loadUnaligned(fromByteOffset: tile + 2 * 544, as: Float.self) == s8)
    // Row 3, column 40 = tile 0, block 0, row 3, group 1, byte 8: offset 64·3 + 16 + 8; its step at 512 + 4·3 + 1.
    let (_, packed3, steps3, s3) = quantize(Array(w[(3 * cols)..<(4 * cols)]))
    #expect(raw.load(fromByteOffset: 64 * 3 + 16 + 8, as: UInt8.self) == packed3[16 + 8])
    #expect(raw.load(fromByteOffset: 512 + 4 * 3 + 1, as: Int8.self) == steps3[1])
    #expect(raw.loadUnaligned(fromByteOffset: 2 * 544 + 4 * 3, as: Float.self) == s3)
    // Padding: the second block's groups 1…3 and the second tile's rows 1…7 are zero: codes, steps and row scales.
    for k in 0..<8 {
        for j in 16..<64 { #expect(raw.load(fromByteOffset: 544 + 64 * k + j, as: UInt8.self) == 0) }
        for j in 1..<4 { #expect(raw.load(fromByteOffset: 544 + 512 + 4 * k + j, as: UInt8.self) == 0) }
    }
    for block in 0..<2 {
        let base = tile + 544 * block
        for offset in (base + 64)..<(base + 512) { #expect(raw.load(fromByteOffset: offset, as: UInt8.self) == 0) }
        for offset in (base + 512 + 4)..<(base + 544) { #expect(raw.load(fromByteOffset: offset, as: UInt8.self) == 0) }
    }
    for offset in (tile + 2 * 544 + 4)..<(2 * tile) { #expect(raw.load(fromByteOffset: offset, as: UInt8.self) == 0) }
}

@Test func matvecInt4EqualsNaive() {
    var worst: Float = 0
    for (rows, cols) in [(1, 32), (3, 64), (17, 96), (9, 1024), (33, 3072), (130, 160), (257, 1024)] {
        let m = Int4TestMatrix(randomFloats(rows * cols, seed: UInt64(rows * 7 + cols)), rows: rows, cols: cols, offset: rows % 3)
        let x = randomFloats(cols, seed: 5)
        var ref = [Float](repeating: 0, count: rows)
        matvecInt4Naive(rows: rows, cols: cols, tiles: m.tiles, x: x, y: &ref)
        for threads in [1, 2, 3] {
            var y = [Float](repeating: .nan, count: rows)
            matvecInt4(rows: rows, cols: cols, tiles: m.tiles, x: x, y: &y, threads: threads)
            let d = relDiff(y, ref)
            #expect(d <= 1e-5, "rows \(rows) cols \(cols) threads \(threads)")
            worst = max(worst, d)
        }
    }
    print("matvec int4: max relative diff \(worst)")
}
