// dot, dot3 and axpy against their naive twins over random lengths — whole 16-float blocks, ragged tails, tails alone —
// plus a dot worked by hand.
import Testing
@testable import LabCore

/// Lengths 0…40 (every tail from 0 to 15 around one and two blocks), the sizes the callers use (Dh = 128, word2vec's
/// padded 112 and 304), and random lengths up to 5000.
private func testLengths() -> [Int] {
    var rng = SeededRNG(seed: 16)
    return Array(0...40) + [112, 128, 304, 1024, 1031] + (0..<40).map { _ in Int(rng.next() % 5000) }
}

@Test func dotWorkedByHand() {
    // 1·4 + 2·5 + 3·6 = 32 (a tail of 3, no whole block); seventeen ones · twos = 34 (one block and a tail of 1).
    #expect(dot([1, 2, 3], [4, 5, 6], count: 3) == 32)
    #expect(dot([Float](repeating: 1, count: 17), [Float](repeating: 2, count: 17), count: 17) == 34)
    #expect(dot([1], [1], count: 0) == 0)
}

@Test func dotEqualsNaive() {
    var worst: Float = 0
    for (k, n) in testLengths().enumerated() {
        let a = randomFloats(n, seed: UInt64(2 * k + 1)), b = randomFloats(n, seed: UInt64(2 * k + 2))
        let fast = dot(a, b, count: n), naive = dotNaive(a, b, count: n)
        // Relative to Σ|aᵢbᵢ| (the sum's condition), the scale float32 rounding errors grow with.
        let scale = zip(a, b).reduce(Float(0)) { $0 + abs($1.0 * $1.1) }
        let diff = abs(fast - naive) / max(scale, 1)
        #expect(diff <= 1e-6, "dot n \(n): fast \(fast), naive \(naive)")
        worst = max(worst, diff)
    }
    print("dot vs naive: max diff \(worst) (relative to Σ|aᵢbᵢ|)")
}

@Test func dot3WorkedByHand() {
    // 1·4·7 + 2·5·8 + 3·6·9 = 28 + 80 + 162 = 270 (a tail alone); seventeen ones · twos · threes = 102 (a block and a tail).
    #expect(dot3([1, 2, 3], [4, 5, 6], [7, 8, 9], count: 3) == 270)
    #expect(dot3([Float](repeating: 1, count: 17), [Float](repeating: 2, count: 17), [Float](repeating: 3, count: 17), count: 17) == 102)
}

@Test func dot3EqualsNaive() {
    var worst: Float = 0
    for (k, n) in testLengths().enumerated() {
        let a = randomFloats(n, seed: UInt64(4 * k + 1)), b = randomFloats(n, seed: UInt64(4 * k + 2))
        let c = randomFloats(n, seed: UInt64(4 * k + 3))
        let fast = dot3(a, b, c, count: n), naive = dot3Naive(a, b, c, count: n)
        let scale = (0..<n).reduce(Float(0)) { $0 + abs(a[$1] * b[$1] * c[$1]) }
        let diff = abs(fast - naive) / max(scale, 1)
        #expect(diff <= 1e-6, "dot3 n \(n): fast \(fast), naive \(naive)")
        worst = max(worst, diff)
    }
    print("dot3 vs naive: max diff \(worst) (relative to Σ|aᵢbᵢcᵢ|)")
}

@Test func axpyEqualsNaive() {
    var worst: Float = 0
    for (k, n) in testLengths().enumerated() {
        let x = randomFloats(n, seed: UInt64(3 * k + 1)), y = randomFloats(n, seed: UInt64(3 * k + 2))
        let alpha = randomFloats(1, seed: UInt64(3 * k + 3))[0]
        var fast = y, naive = y
        axpy(alpha, x, into: &fast, count: n)
        axpyNaive(alpha, x, into: &naive, count: n)
        let diff = n == 0 ? 0 : maxAbsDiff(fast, naive)
        #expect(fast == naive, "axpy n \(n)")
        worst = max(worst, diff)
    }
    print("axpy vs naive: max abs diff \(worst)")
}
