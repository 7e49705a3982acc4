// The int4 format (groups of 32, each group's scale an int8 step j of its row's scale s) in its tiled layout, and its
// decode kernel: quantising keeps every weight within half a step (a step within the one clamped end); the tiles hold
// each code, step and row scale where the layout says (hand-checked offsets, zero padding); the fast matvec equals
// its naive twin over odd row counts, long rows and 1–3 threads; unpacking is exact for every byte.
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

@Test func int4RoundTripStaysWithinHalfAStep() {
    var worst: Float = 0
    for seed in 1...20 {
        let w = randomFloats(32 * 12, seed: UInt64(seed)).enumerated().map { $0.element * (1 + Float($0.offset % 5)) }
        let (ok, _, steps, s) = quantize(w)
        #expect(ok)
        let big = w.map(abs).max()!
        #expect(s == big / 1016, "the row scale is M / (8 · 127)")
        let tiled = Int4TestMatrix(w, rows: 1, cols: w.count)
        var back = [Float](repeating: 0, count: w.count)
        dequantizeRowInt4(tiled.tiles, cols: w.count, row: 0, count: w.count, into: &back)
        #expect(abs(back[w.firstIndex { abs($0) == big }!]) >= big * (1 - 1.0 / 1024), "the largest weight maps to ±8 steps")
        for g in 0..<(w.count / 32) {
            let group = Array(w[(g * 32)..<(g * 32 + 32)])
            let m = group.max { abs($0) < abs($1) }!
            let j = steps[g], d = Float(j) * s
            #expect(Float(j) == max(-127, min(127, (m * (-127 / big)).rounded(.toNearestOrEven))), "j = round(−127 m / M)")
            #expect(int4Scale(tiled.tiles, cols: w.count, 0, group: g) == d)
            #expect(int4RowScale(tiled.tiles, cols: w.count, 0) == s)
            for i in 0..<32 {
                let err = abs(back[g * 32 + i] - group[i])
                let clamped = group[i] / d > 7.5 || group[i] / d < -8.5     // beyond the codes' ends
                let bound = abs(d) * (clamped ? 1 + 4 / Float(abs(Int(j))) : 0.5) * (1 + 1e-5)
                #expect(err <= bound, "group \(g) weight \(i): \(group[i]) → \(back[g * 32 + i]) (j \(j))")
                worst = max(worst, err / abs(d))
            }
        }
    }
    print("int4 round trip: max |w − d·q| / |d| = \(worst) (bound 0.5, a little over 1 at a clamped end)")
}

@Test func int4HandCheckedAndEdgeRows() {
    // M = 15.875 → s = 15.875 / 1016 = 1/64 exactly, −127 / M = −8, so group 0 (m = −15.875) has j = 127 and step
    // d = 127/64 = 1.984375: 5 → 2.52 → 3, −3 → −1.51 → −2, 15 → 7.56 → 8, clamped to 7. Group 1's largest weight
    // 0.05 is below M / 254: j = round(−0.4) = 0, and the group reads as zeros.
    var w = [Float](repeating: 0, count: 64)
    w[0] = -15.875; w[1] = 5; w[2] = -3; w[17] = 15; w[32] = 0.05; w[40] = -0.03
    let (ok, packed, steps, s) = quantize(w)
    #expect(ok && s == 1.0 / 64 && steps == [127, 0])
    #expect(packed[0] == UInt8(-8 + 8) | UInt8(0 + 8) << 4)          // w[0] and w[16]
    #expect(packed[1] == UInt8(3 + 8) | UInt8(7 + 8) << 4)           // w[1] and w[17]
    #expect(packed[2] == UInt8(-2 + 8) | UInt8(0 + 8) << 4)
    #expect(packed[16...].allSatisfy { $0 == 0x88 }, "the zero-step group's codes are all 0")
    let zeros = quantize([Float](repeating: 0, count: 64))
    #expect(zeros.0 && zeros.2 == [0, 0] && zeros.3 == 0 && zeros.1.allSatisfy { $0 == 0x88 })
    let tiny = quantize((0..<64).map { Float($0) * 1e-37 })                       // M / 1016 is not a normal float
    #expect(tiny.0 && tiny.3 == 0 && tiny.2 == [0, 0] && tiny.1.allSatisfy { $0 == 0x88 })
    let huge = quantize((0..<64).map { $0 == 5 ? -3e38 : Float($0) * 1e36 })      // no half-float limit any more
    #expect(huge.0 && huge.2[0] == 127 && huge.3 == 3e38 / 1016)
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
