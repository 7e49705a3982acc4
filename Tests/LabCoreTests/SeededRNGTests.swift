// SeededRNG: known SplitMix64 outputs, determinism, and the statistics of its derived draws.
import Testing
@testable import LabCore

@Test func seedingFollowsSplitMix64() {
    // SplitMix64 from state 0 yields 0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4, 0x06C45D188009454F, 0xF88BB8A8724C81EC
    // (Steele, Lea & Flood 2014; the published first outputs). xoshiro256** must start from these four words, so
    // its first output is rotl(s1·5, 7)·9 computed by hand here.
    let s1: UInt64 = 0x6E78_9E6A_A1B9_65F4
    let x = s1 &* 5
    let expected = ((x << 7) | (x >> 57)) &* 9
    var rng = SeededRNG(seed: 0)
    #expect(rng.next() == expected)
}

@Test func sameSeedSameNumbers() {
    var a = SeededRNG(seed: 42), b = SeededRNG(seed: 42), c = SeededRNG(seed: 43)
    let xa = (0..<1000).map { _ in a.next() }
    let xb = (0..<1000).map { _ in b.next() }
    let xc = (0..<1000).map { _ in c.next() }
    #expect(xa == xb)
    #expect(xa != xc)
}

@Test func uniformAndNormalMoments() {
    var rng = SeededRNG(seed: 7)
    let n = 200_000
    var su = 0.0, sn = 0.0, sn2 = 0.0
    for _ in 0..<n {
        let u = rng.nextDouble()
        #expect(u >= 0 && u < 1)
        su += u
        let z = rng.nextNormal()
        sn += z; sn2 += z * z
    }
    let meanU = su / Double(n), meanZ = sn / Double(n), varZ = sn2 / Double(n) - meanZ * meanZ
    print("uniform mean \(meanU) (0.5), normal mean \(meanZ) (0), variance \(varZ) (1)")
    // 5-sigma bounds: σ(mean U) = 0.289/√n ≈ 6.5e-4, σ(mean Z) ≈ 2.2e-3, σ(var Z) ≈ √2/√n ≈ 3.2e-3.
    #expect(abs(meanU - 0.5) < 5 * 6.5e-4)
    #expect(abs(meanZ) < 5 * 2.3e-3)
    #expect(abs(varZ - 1) < 5 * 3.2e-3)
}

@Test func categoricalPassesChiSquare() {
    var rng = SeededRNG(seed: 2024)
    let weights: [Float] = [0.5, 0.25, 0.125, 0.0625, 0.0625, 0]
    let n = 100_000
    var counts = [Int](repeating: 0, count: weights.count)
    for _ in 0..<n { counts[rng.nextCategorical(weights)] += 1 }
    #expect(counts[5] == 0, "a zero weight must never be drawn")
    var chi2 = 0.0
    for i in 0..<5 {
        let e = Double(weights[i]) * Double(n)
        chi2 += (Double(counts[i]) - e) * (Double(counts[i]) - e) / e
    }
    // 4 degrees of freedom: P(χ² > 18.47) = 0.001.
    print("categorical χ² = \(chi2) over 4 dof (critical 18.47 at p = 0.001), counts \(counts)")
    #expect(chi2 < 18.47)
}

@Test func nextIntIsUnbiasedAndInRange() {
    var rng = SeededRNG(seed: 99)
    var counts = [Int](repeating: 0, count: 7)
    for _ in 0..<70_000 { counts[rng.nextInt(below: 7)] += 1 }
    var chi2 = 0.0
    for c in counts { chi2 += Double(c - 10_000) * Double(c - 10_000) / 10_000 }
    print("nextInt(below: 7) χ² = \(chi2) over 6 dof (critical 22.46 at p = 0.001)")
    #expect(chi2 < 22.46)
}
