// The int4 format (groups of 32, one f16 scale each) in its tiled layout, and its decode kernel: quantising keeps
// every weight within half a step (a step within the one clamped end); the tiles hold each code and scale where the
// layout says (hand-checked offsets, zero padding); the fast matvec equals its naive twin over odd row counts, long
// rows and 1–3 threads; unpacking is exact for every byte.
import Testing
@testable import LabCore

/// Quantises `w` (a multiple of 32 long), returning (ok, packed, scales).
private func quantize(_ w: [Float]) -> (Bool, [UInt8], [Float]) {
    var packed = [UInt8](repeating: 0, count: w.count / 2)
    var scales = [Float](repeating: 0, count: w.count / 32)
    let ok = quantizeRowInt4(w, count: w.count, packed: &packed, scales: &scales)
    return (ok, packed, scales)
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
        var packed = [UInt8](repeating: 0, count: cols / 2), scales = [Float](repeating: 0, count: cols / 32)
        for r in 0..<rows {
            let ok = w.withUnsafeBufferPointer { quantizeRowInt4($0.baseAddress! + r * cols, count: cols, packed: &packed,
                                                                 scales: &scales) }
            precondition(ok, "test matrix row \(r) does not quantise")
            storeRowInt4(r, cols: cols, packed: packed, scales: scales, into: tiles)
        }
    }

    deinit { memory.deallocate() }
}

@Test func int4RoundTripStaysWithinHalfAStep() {
    var worst: Float = 0
    for seed in 1...20 {
        let w = randomFloats(32 * 12, seed: UInt64(seed)).enumerated().map { $0.element * (1 + Float($0.offset % 5)) }
        let (ok, _, scales) = quantize(w)
        #expect(ok)
        let tiled = Int4TestMatrix(w, rows: 1, cols: w.count)
        var back = [Float](repeating: 0, count: w.count)
        dequantizeRowInt4(tiled.tiles, cols: w.count, row: 0, count: w.count, into: &back)
        for g in 0..<(w.count / 32) {
            let group = Array(w[(g * 32)..<(g * 32 + 32)])
            let m = group.max { abs($0) < abs($1) }!
            let d = scales[g]
            #expect(d == float16BitsToFloat(floatToFloat16Bits(m / -8)), "the scale is m / −8 rounded to a half")
            #expect(int4Scale(tiled.tiles, cols: w.count, 0, group: g) == d)
            #expect(abs(back[g * 32 + group.firstIndex(of: m)!] - m) <= abs(m) / 1024, "the largest weight maps to −8")
            for j in 0..<32 {
                let err = abs(back[g * 32 + j] - group[j])
                let clamped = group[j] / d > 7.5                       // beyond code 7: only opposite to m
                #expect(err <= abs(d) * (clamped ? 1 : 0.5) * (1 + 1e-5), "group \(g) weight \(j): \(group[j]) → \(back[g * 32 + j])")
                worst = max(worst, err / abs(d))
            }
        }
    }
    print("int4 round trip: max |w − d·q| / |d| = \(worst) (bound 0.5, 1 at the clamped end)")
}

@Test func int4HandCheckedAndEdgeRows() {
    // m = −16 → d = 2: 5 → round(2.5) = 2 (ties to even), −3 → −2 (−1.5 rounds to −2), 15 → 7 (7.5 → 8, clamped).
    var w = [Float](repeating: 0, count: 32)
    w[0] = -16; w[1] = 5; w[2] = -3; w[17] = 15
    let (ok, packed, scales) = quantize(w)
    #expect(ok && scales == [2])
    #expect(packed[0] == UInt8(-8 + 8) | UInt8(0 + 8) << 4)          // w[0] and w[16]
    #expect(packed[1] == UInt8(2 + 8) | UInt8(7 + 8) << 4)           // w[1] and w[17]
    #expect(packed[2] == UInt8(-2 + 8) | UInt8(0 + 8) << 4)
    let zeros = quantize([Float](repeating: 0, count: 64))
    #expect(zeros.0 && zeros.2 == [0, 0] && zeros.1.allSatisfy { $0 == 0x88 })
    for bad in [Float.nan, .infinity, -.infinity, 600_000] {              // 600,000 / 8 is beyond a half's 65,504
        var row = [Float](repeating: 1, count: 64)
        row[40] = bad
        #expect(!quantize(row).0, "\(bad)")
    }
}

@Test func int4TilesHoldEachCodeAndScaleWhereTheLayoutSays() {
    // 9 rows × 160 columns: 2 tiles (the second holds 1 row and 7 padding rows) × 2 blocks (the second holds 1 group
    // and 3 padding groups), 576 bytes each.
    let rows = 9, cols = 160
    #expect(int4TiledByteCount(rows: rows, cols: cols) == 2 * 2 * 576)
    let w = randomFloats(rows * cols, seed: 77)
    let tiled = Int4TestMatrix(w, rows: rows, cols: cols)
    let raw = UnsafeRawPointer(tiled.tiles)
    for r in 0..<rows {
        let (_, packed, scales) = quantize(Array(w[(r * cols)..<(r * cols + cols)]))
        for c in 0..<cols {
            let b = packed[c / 32 * 16 + c % 16]
            #expect(int4Code(raw, cols: cols, r, c) == Int(c % 32 < 16 ? b & 0x0F : b >> 4) - 8, "row \(r) col \(c)")
        }
        for g in 0..<(cols / 32) { #expect(int4Scale(raw, cols: cols, r, group: g) == scales[g]) }
    }
    // Row 8, column 130 = tile 1, block 1, row 0 of the tile, group 0 of the block, byte 2 (low nibble): offset
    // (1·2 + 1)·576 + 64·0 + 16·0 + 2; its scale at (1·2 + 1)·576 + 512 + 8·0 + 2·0.
    let (_, packed8, scales8) = quantize(Array(w[(8 * cols)...]))
    #expect(raw.load(fromByteOffset: 3 * 576 + 2, as: UInt8.self) == packed8[4 * 16 + 2])
    #expect(raw.load(fromByteOffset: 3 * 576 + 512, as: UInt16.self) == floatToFloat16Bits(scales8[4]))
    // Row 3, column 40 = tile 0, block 0, row 3, group 1, byte 8: offset 64·3 + 16 + 8.
    let (_, packed3, _) = quantize(Array(w[(3 * cols)..<(4 * cols)]))
    #expect(raw.load(fromByteOffset: 64 * 3 + 16 + 8, as: UInt8.self) == packed3[16 + 8])
    // Padding: the second block's groups 1…3 and the second tile's rows 1…7 are zero, codes and scales.
    for k in 0..<8 {
        for j in 16..<64 { #expect(raw.load(fromByteOffset: 576 + 64 * k + j, as: UInt8.self) == 0) }
        for j in 2..<8 { #expect(raw.load(fromByteOffset: 576 + 512 + 8 * k + j, as: UInt8.self) == 0) }
    }
    for offset in stride(from: 2 * 576 + 64, to: 2 * 576 + 512, by: 1) { #expect(raw.load(fromByteOffset: offset, as: UInt8.self) == 0) }
    for offset in (2 * 576 + 512 + 8)..<(3 * 576) { #expect(raw.load(fromByteOffset: offset, as: UInt8.self) == 0) }
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
