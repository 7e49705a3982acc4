// The int4 kernels on AVX-512 VNNI (CKernels' matvec_int4_vnni.c): equal to their naive twin (x quantised to int8
// per group, then exact) to float rounding, within the bound of x's rounding from the definition (`matvecInt4Naive`),
// over odd row counts, whole and partial blocks of 4 groups, 1–3 threads and batches of 1–16; the fused multi-matrix
// version equal to one matrix at a time bit for bit; x prepared byte for byte as its naive quantisation; a non-finite
// x, or a CPU without VNNI, leaves the Swift path.
import Testing
import CKernels
@testable import LabCore

/// A random [rows, cols] matrix in the tiled int4 format; rows scaled differently so scales vary. `offset` bytes
/// past a 64-byte boundary.
private func int4Matrix(rows: Int, cols: Int, seed: UInt64, offset: Int = 0) -> Int4TestMatrix {
    let w = randomFloats(rows * cols, seed: seed)
    return Int4TestMatrix((0..<(rows * cols)).map { w[$0] * Float(1 + $0 / cols % 7) }, rows: rows, cols: cols, offset: offset)
}

/// Σ_g |d[r, g]| · dx[g] / 2 · Σ_j |q[r, g, j]| for each row: how far x's int8 rounding may move y[r].
private func roundingBound(_ m: Int4TestMatrix, x: [Float]) -> [Float] {
    let dx = x.withUnsafeBufferPointer { quantizeGroupsInt8Naive($0.baseAddress!, cols: m.cols)!.dx }
    return (0..<m.rows).map { r in
        var bound = 0.0
        for g in 0..<(m.cols / 32) {
            let q = (g * 32..<(g * 32 + 32)).reduce(0) { $0 + abs(int4Code(m.tiles, cols: m.cols, r, $1)) }
            bound += Double(abs(int4Scale(m.tiles, cols: m.cols, r, group: g))) * Double(dx[g]) / 2 * Double(q)
        }
        return Float(bound)
    }
}

private let shapes = [(1, 32), (3, 64), (17, 96), (5, 224), (9, 1024), (33, 3072), (130, 160), (257, 1024)]

@Test func matvecInt4VNNIEqualsItsNaiveTwin() {
    guard int4VNNIEnabled else {
        var y: [Float] = [0]
        let m = int4Matrix(rows: 1, cols: 32, seed: 1)
        #expect(!matvecInt4VNNI(rows: 1, cols: 32, tiles: m.tiles, x: [Float](repeating: 1, count: 32), y: &y))
        print("matvec int4 VNNI: this CPU has no AVX-512 VNNI; the Swift path runs (checked that the kernel declines)")
        return
    }
    var worstTwin: Float = 0, worstBound: Float = 0
    for (rows, cols) in shapes {
        let m = int4Matrix(rows: rows, cols: cols, seed: UInt64(rows * 13 + cols), offset: 4 * (rows % 5))
        let x = randomFloats(cols, seed: UInt64(cols))
        var twin = [Float](repeating: 0, count: rows), exact = [Float](repeating: 0, count: rows)
        #expect(matvecInt4Q8Naive(rows: rows, cols: cols, tiles: m.tiles, x: x, y: &twin))
        matvecInt4Naive(rows: rows, cols: cols, tiles: m.tiles, x: x, y: &exact)
        let bound = roundingBound(m, x: x)
        for threads in [1, 2, 3] {
            var y = [Float](repeating: .nan, count: rows)
            #expect(matvecInt4VNNI(rows: rows, cols: cols, tiles: m.tiles, x: x, y: &y, threads: threads))
            let d = relDiff(y, twin)
            #expect(d <= 1e-5, "rows \(rows) cols \(cols) threads \(threads): \(d) from the twin")
            worstTwin = max(worstTwin, d)
            for r in 0..<rows {
                let slack = abs(y[r] - exact[r]) - bound[r] * (1 + 1e-4) - 1e-5 * abs(exact[r])
                #expect(slack <= 0, "rows \(rows) cols \(cols) row \(r): |Δ| \(abs(y[r] - exact[r])) > bound \(bound[r])")
                worstBound = max(worstBound, abs(y[r] - exact[r]) / max(bound[r], .leastNormalMagnitude))
            }
        }
    }
    print("matvec int4 VNNI: max relative diff from its twin \(worstTwin); from the exact matvec at most "
          + "\(worstBound) of x's rounding bound")
}

@Test func matvecInt4BatchVNNIEqualsItsNaiveTwin() {
    guard int4VNNIEnabled else {
        print("matvec int4 batch VNNI: this CPU has no AVX-512 VNNI; beams dequantise and use gemm")
        return
    }
    var worst: Float = 0
    for (rows, cols) in [(9, 96), (17, 224), (40, 1024), (33, 3072)] {
        let m = int4Matrix(rows: rows, cols: cols, seed: UInt64(rows + cols))
        for batch in [1, 2, 3, 4, 5, 8, 11, 16] {
            let x = randomFloats(batch * cols, seed: UInt64(batch * 31 + cols))
            var twin = [Float](repeating: 0, count: batch * rows)
            for b in 0..<batch {
                x.withUnsafeBufferPointer { xp in
                    twin.withUnsafeMutableBufferPointer { yp in
                        _ = matvecInt4Q8Naive(rows: rows, cols: cols, tiles: m.tiles,
                                              x: xp.baseAddress! + b * cols, y: yp.baseAddress! + b * rows)
                    }
                }
            }
            for threads in [1, 2] {
                var y = [Float](repeating: .nan, count: batch * rows)
                #expect(matvecInt4BatchVNNI(rows: rows, cols: cols, batch: batch, tiles: m.tiles,
                                            x: x, y: &y, threads: threads))
                let d = relDiff(y, twin)
                #expect(d <= 1e-5, "rows \(rows) cols \(cols) batch \(batch) threads \(threads): \(d)")
                worst = max(worst, d)
            }
        }
    }
    print("matvec int4 batch VNNI: max relative diff from its twin \(worst)")
}

@Test func matvecInt4MultiVNNIEqualsOneAtATime() {
    guard int4VNNIEnabled else { return }
    let cols = 1024, sizes = [2048, 256, 250, 13]
    let matrices = sizes.enumerated().map { int4Matrix(rows: $0.element, cols: cols, seed: UInt64($0.offset + 1)) }
    let x = randomFloats(cols, seed: 9)
    var alone = sizes.map { [Float](repeating: 0, count: $0) }
    for i in sizes.indices {
        #expect(matvecInt4VNNI(rows: sizes[i], cols: cols, tiles: matrices[i].tiles, x: x, y: &alone[i]))
    }
    let outputs = sizes.map { UnsafeMutablePointer<Float>.allocate(capacity: $0) }
    defer { outputs.forEach { $0.deallocate() } }
    let parts = sizes.indices.map { Int4MatVecPart(tiles: matrices[$0].tiles, rows: sizes[$0], y: outputs[$0]) }
    for threads in [1, 2, 3] {
        #expect(withExtendedLifetime(matrices) { matvecInt4MultiVNNI(parts, cols: cols, x: x, threads: threads) })
        for i in sizes.indices {
            #expect(Array(UnsafeBufferPointer(start: outputs[i], count: sizes[i])) == alone[i], "part \(i), \(threads) threads")
        }
    }
}

@Test func matvecInt4VNNIDeclinesNonFiniteInput() {
    let m = int4Matrix(rows: 8, cols: 160, seed: 3)
    for bad in [Float.nan, .infinity, -.infinity] {
        var x = randomFloats(160, seed: 4)
        x[137] = bad
        var y = [Float](repeating: 42, count: 8)
        #expect(!matvecInt4VNNI(rows: 8, cols: 160, tiles: m.tiles, x: x, y: &y), "\(bad)")
        #expect(y.allSatisfy { $0 == 42 }, "nothing written for \(bad)")
        #expect(!matvecInt4Q8Naive(rows: 8, cols: 160, tiles: m.tiles, x: x, y: &y))
        matvecInt4(rows: 8, cols: 160, tiles: m.tiles, x: x, y: &y)  // the Swift path propagates it
        #expect(y.contains { !$0.isFinite }, "the Swift path's y shows the \(bad)")
    }
}

@Test func preparedXEqualsTheNaiveQuantisationByteForByte() {
    // ck_int4_prepare_x (AVX-512) against `quantizeGroupsInt8Naive`: per block of 128 columns, xlo = each group's
    // first 16 qx, xhi = the last 16, the start values −8·Σ of the 8 qx a lane meets, dx per lane. Ties included:
    // x = k·dx/2 for odd k rounds to even.
    guard int4VNNIEnabled else { return }
    for cols in [32, 96, 128, 1024, 3072] {
        var x = randomFloats(cols, seed: UInt64(cols) + 11)
        x[0] = 127; for j in 1..<min(32, cols) { x[j] = Float(j) - 0.5 }   // group 0: dx = 1, halves are ties
        if cols >= 64 { for j in 32..<64 { x[j] = 0 } }                  // group 1: dx = 0
        let (qx, dx) = x.withUnsafeBufferPointer { quantizeGroupsInt8Naive($0.baseAddress!, cols: cols)! }
        let bytes = Int(ck_int4_prepared_bytes(Int32(cols)))
        let prepared = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        defer { prepared.deallocate() }
        #expect(ck_int4_prepare_x(x, Int32(cols), prepared))
        for g in 0..<(cols / 32) {
            let block = prepared + g / 4 * 256, k = g % 4
            for j in 0..<16 {
                #expect(block.load(fromByteOffset: 16 * k + j, as: Int8.self) == qx[32 * g + j], "cols \(cols) group \(g) x[\(j)]")
                #expect(block.load(fromByteOffset: 64 + 16 * k + j, as: Int8.self) == qx[32 * g + 16 + j])
            }
            for l in 0..<4 {
                let s = (0..<4).reduce(0) { $0 + Int(qx[32 * g + 4 * l + $1]) + Int(qx[32 * g + 16 + 4 * l + $1]) }
                #expect(block.load(fromByteOffset: 128 + 4 * (4 * k + l), as: Int32.self) == Int32(-8 * s))
                #expect(block.load(fromByteOffset: 192 + 4 * (4 * k + l), as: Float.self) == dx[g])
            }
        }
    }
}
