// The int4 format (groups of 32, one scale each) and its decode kernel: quantising keeps every weight within half a
// step (a step within the one clamped end), the largest weight of a group exact; the fast matvec equals its naive twin
// over odd row counts, long rows and 1–3 threads; unpacking is exact for every byte.
import Testing
@testable import LabCore

/// Quantises `w` (a multiple of 32 long), returning (ok, packed, scales).
private func quantize(_ w: [Float]) -> (Bool, [UInt8], [Float]) {
    var packed = [UInt8](repeating: 0, count: w.count / 2)
    var scales = [Float](repeating: 0, count: w.count / 32)
    let ok = quantizeRowInt4(w, count: w.count, packed: &packed, scales: &scales)
    return (ok, packed, scales)
}

@Test func int4RoundTripStaysWithinHalfAStep() {
    var worst: Float = 0
    for seed in 1...20 {
        let w = randomFloats(32 * 12, seed: UInt64(seed)).enumerated().map { $0.element * (1 + Float($0.offset % 5)) }
        let (ok, packed, scales) = quantize(w)
        #expect(ok)
        var back = [Float](repeating: 0, count: w.count)
        dequantizeRowInt4(packed: packed, scales: scales, count: w.count, into: &back)
        for g in 0..<(w.count / 32) {
            let group = Array(w[(g * 32)..<(g * 32 + 32)])
            let m = group.max { abs($0) < abs($1) }!
            let d = scales[g]
            #expect(d == m / -8)
            #expect(back[g * 32 + group.firstIndex(of: m)!] == m, "the largest weight maps to −8 exactly")
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
    for bad in [Float.nan, .infinity, -.infinity] {
        var row = [Float](repeating: 1, count: 64)
        row[40] = bad
        #expect(!quantize(row).0, "\(bad)")
    }
}

@Test func matvecInt4EqualsNaive() {
    var worst: Float = 0
    for (rows, cols) in [(1, 32), (3, 64), (17, 96), (9, 1024), (33, 3072), (130, 160), (257, 1024)] {
        let w = randomFloats(rows * cols, seed: UInt64(rows * 7 + cols))
        var packed = [UInt8](repeating: 0, count: rows * cols / 2)
        var scales = [Float](repeating: 0, count: rows * cols / 32)
        for r in 0..<rows {
            w.withUnsafeBufferPointer { wp in
                _ = quantizeRowInt4(wp.baseAddress! + r * cols, count: cols, packed: &packed[r * cols / 2],
                                    scales: &scales[r * cols / 32])
            }
        }
        let x = randomFloats(cols, seed: 5)
        var ref = [Float](repeating: 0, count: rows)
        matvecInt4Naive(rows: rows, cols: cols, packed: packed, scales: scales, x: x, y: &ref)
        for threads in [1, 2, 3] {
            var y = [Float](repeating: .nan, count: rows)
            matvecInt4(rows: rows, cols: cols, packed: packed, scales: scales, x: x, y: &y, threads: threads)
            let d = relDiff(y, ref)
            #expect(d <= 1e-5, "rows \(rows) cols \(cols) threads \(threads)")
            worst = max(worst, d)
        }
    }
    print("matvec int4: max relative diff \(worst)")
}
