// The AVX-512 int4 quantiser (`quantizeRowInt4AVX512`, CKernels' `ck_int4_quantize_row`) against its scalar twin
// `quantizeRowInt4Naive`, byte for byte: random rows, rows whose weights sit exactly halfway between two codes
// (ties round to even), ± ties for the largest magnitude (the first one wins), all-zero and −0 groups, clamped
// ends, groups far below the row's largest (steps of 1, 0), rows whose scale would be subnormal, huge weights, and
// rows both must refuse.
import Testing
@testable import LabCore

/// One quantiser's answer for a row: ok, codes, group steps, row scale.
private typealias Quantised = (ok: Bool, packed: [UInt8], steps: [Int8], rowScale: Float)

/// Both quantisers on one row.
private func both(_ w: [Float]) -> (fast: Quantised, naive: Quantised) {
    var p1 = [UInt8](repeating: 0, count: w.count / 2), s1 = [Int8](repeating: 0, count: w.count / 32)
    var p2 = p1, s2 = s1, r1: Float = -1, r2: Float = -2
    let ok1 = quantizeRowInt4AVX512(w, count: w.count, packed: &p1, scales: &s1, rowScale: &r1)
    let ok2 = quantizeRowInt4Naive(w, count: w.count, packed: &p2, scales: &s2, rowScale: &r2)
    return ((ok1, p1, s1, r1), (ok2, p2, s2, r2))
}

@Test func quantizeRowInt4AVX512EqualsItsNaiveTwinByteForByte() {
    guard Int4KernelPolicy.vnniSupported else {
        print("int4 quantiser: this CPU has no AVX-512 VNNI; loads use quantizeRowInt4Naive")
        return
    }
    var rows: [[Float]] = (1...40).map { seed in
        randomFloats(32 * 8, seed: UInt64(seed)).enumerated().map { $0.element * Float(1 + $0.offset % 7) }
    }
    // Halfway cases: with M = 8 (m = −8) the row scale is 8/1016, j = 127 and the step 1; w = k + 0.5 lies between
    // two codes.
    rows.append((0..<64).map { j in j % 32 == 0 ? -8 : Float(j % 15) - 7.5 })
    rows.append((0..<64).map { j in j == 3 ? 8 : j == 9 ? -8 : Float(j % 9) * 0.5 })     // ±8: the first wins
    rows.append((0..<64).map { j in j == 20 ? -8 : j == 5 ? 8 : 1.25 })
    rows.append([Float](repeating: 0, count: 32) + [Float](repeating: -0.0, count: 32))   // zero groups
    rows.append([-0.0, 0] + [Float](repeating: 0, count: 30) + (0..<32).map { Float($0) - 16 })
    rows.append((0..<96).map { j in j < 32 ? 254 : j < 64 ? Float(j % 3) * 0.5 : 1 })      // steps 1 and 0 (0.5 → even)
    rows.append((0..<64).map { j in Float(j) * 1e-37 })                                  // scale below a normal float
    rows.append((0..<64).map { j in j == 0 ? 3e38 : Float(j) * 1e30 })                   // near Float's limit
    var worst = 0
    for (i, w) in rows.enumerated() {
        let (fast, naive) = both(w)
        #expect(fast.ok && naive.ok, "row \(i) quantises")
        let bytes = zip(fast.packed, naive.packed).filter { $0 != $1 }.count
        let steps = zip(fast.steps, naive.steps).filter { $0 != $1 }.count
        let scale = fast.rowScale.bitPattern == naive.rowScale.bitPattern ? 0 : 1
        worst = max(worst, bytes + steps + scale)
        #expect(bytes == 0 && steps == 0 && scale == 0,
                "row \(i): \(bytes) bytes, \(steps) steps, \(scale) row scale differ")
    }
    print("int4 quantiser AVX-512 vs naive: \(rows.count) rows, most differing bytes + steps + scales in a row: \(worst)")
}

@Test func quantizeRowInt4AVX512RefusesWhatTheTwinRefuses() {
    guard Int4KernelPolicy.vnniSupported else { return }
    for bad: Float in [.nan, .infinity, -.infinity] {
        var w = randomFloats(96, seed: 9)
        w[70] = bad
        let (fast, naive) = both(w)
        #expect(!fast.ok && !naive.ok, "a row holding \(bad) is refused by both")
        var packed = [UInt8](repeating: 0, count: 48), steps = [Int8](repeating: 0, count: 3), s: Float = 0
        #expect(!quantizeRowInt4(w, count: 96, packed: &packed, scales: &steps, rowScale: &s), "and by the dispatcher")
    }
}
