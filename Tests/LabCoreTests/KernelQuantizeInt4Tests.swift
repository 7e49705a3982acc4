// The AVX-512 int4 quantiser (`quantizeRowInt4AVX512`, CKernels' `ck_int4_quantize_row`) against its scalar twin
// `quantizeRowInt4Naive`, byte for byte: random rows, rows whose weights sit exactly halfway between two codes
// (ties round to even), ± ties for the largest magnitude (the first one wins), all-zero and −0 groups, clamped
// ends, tiny weights whose scale is a subnormal half or rounds to 0, and rows both must refuse.
import Testing
@testable import LabCore

/// Both quantisers on one row: (ok, packed, scales) of each.
private func both(_ w: [Float]) -> (fast: (Bool, [UInt8], [Float]), naive: (Bool, [UInt8], [Float])) {
    var p1 = [UInt8](repeating: 0, count: w.count / 2), s1 = [Float](repeating: 0, count: w.count / 32)
    var p2 = p1, s2 = s1
    let ok1 = quantizeRowInt4AVX512(w, count: w.count, packed: &p1, scales: &s1)
    let ok2 = quantizeRowInt4Naive(w, count: w.count, packed: &p2, scales: &s2)
    return ((ok1, p1, s1), (ok2, p2, s2))
}

@Test func quantizeRowInt4AVX512EqualsItsNaiveTwinByteForByte() {
    guard Int4KernelPolicy.vnniSupported else {
        print("int4 quantiser: this CPU has no AVX-512 VNNI; loads use quantizeRowInt4Naive")
        return
    }
    var rows: [[Float]] = (1...40).map { seed in
        randomFloats(32 * 8, seed: UInt64(seed)).enumerated().map { $0.element * Float(1 + $0.offset % 7) }
    }
    // Halfway cases: with m = −8 the scale is 1 and w = k + 0.5 lies between two codes.
    rows.append((0..<64).map { j in j % 32 == 0 ? -8 : Float(j % 15) - 7.5 })
    rows.append((0..<64).map { j in j == 3 ? 8 : j == 9 ? -8 : Float(j % 9) * 0.5 })     // ±8: the first wins
    rows.append((0..<64).map { j in j == 20 ? -8 : j == 5 ? 8 : 1.25 })
    rows.append([Float](repeating: 0, count: 32) + [Float](repeating: -0.0, count: 32))   // zero groups
    rows.append([-0.0, 0] + [Float](repeating: 0, count: 30) + (0..<32).map { Float($0) - 16 })
    rows.append((0..<64).map { j in j % 2 == 0 ? 1e-6 * Float(j + 1) : -3e-7 })          // subnormal half scales
    rows.append((0..<64).map { j in Float(j) * 1e-12 })                                  // scale rounds to 0
    rows.append((0..<64).map { j in j == 0 ? 524_000 : Float(j) * 1000 })                // near the half's limit
    var worst = 0
    for (i, w) in rows.enumerated() {
        let (fast, naive) = both(w)
        #expect(fast.0 && naive.0, "row \(i) quantises")
        let bytes = zip(fast.1, naive.1).filter { $0 != $1 }.count
        let scales = zip(fast.2, naive.2).filter { $0.bitPattern != $1.bitPattern }.count
        worst = max(worst, bytes + scales)
        #expect(bytes == 0 && scales == 0, "row \(i): \(bytes) bytes and \(scales) scales differ")
    }
    print("int4 quantiser AVX-512 vs naive: \(rows.count) rows, most differing bytes + scales in a row: \(worst)")
}

@Test func quantizeRowInt4AVX512RefusesWhatTheTwinRefuses() {
    guard Int4KernelPolicy.vnniSupported else { return }
    for bad: Float in [.nan, .infinity, -.infinity, 600_000] {
        var w = randomFloats(96, seed: 9)
        w[70] = bad
        let (fast, naive) = both(w)
        #expect(!fast.0 && !naive.0, "a row holding \(bad) is refused by both")
        var packed = [UInt8](repeating: 0, count: 48), scales = [Float](repeating: 0, count: 3)
        #expect(!quantizeRowInt4(w, count: 96, packed: &packed, scales: &scales), "and by the dispatcher")
    }
}
