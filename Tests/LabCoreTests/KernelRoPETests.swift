// Interleaved RoPE: fast equals naive; a hand-worked rotation; position 0 is the identity; q·k depends only on
// the distance between positions (the property RoPE exists for).
import Testing
import Foundation
@testable import LabCore

@Test func ropeEqualsNaive() {
    var worst: Float = 0
    for (tokens, heads, headDim) in [(1, 1, 2), (3, 2, 6), (17, 3, 128), (5, 16, 128), (2, 1, 34)] {
        let x = randomFloats(tokens * heads * headDim, seed: UInt64(tokens * heads + headDim))
        var ref = x, fast = x
        ropeInterleavedNaive(&ref, tokens: tokens, heads: heads, headDim: headDim, startPosition: 1000, theta: 500_000)
        ropeInterleaved(&fast, tokens: tokens, heads: heads, headDim: headDim, startPosition: 1000, theta: 500_000)
        let d = relDiff(fast, ref)
        #expect(d <= 1e-5, "T \(tokens) H \(heads) Dh \(headDim)")
        worst = max(worst, d)
    }
    print("rope: max relative diff \(worst)")
}

@Test func ropeHandChecked() {
    // Dh = 4, θ = 10000: inv_freq = [1, 10000^(−1/2)] = [1, 0.01]. Position 1 rotates pair 0 by 1 rad, pair 1 by 0.01 rad.
    // x = [1, 0, 0, 1] → [cos 1, sin 1, −sin 0.01, cos 0.01].
    var x: [Float] = [1, 0, 0, 1]
    ropeInterleaved(&x, tokens: 1, heads: 1, headDim: 4, startPosition: 1, theta: 10_000)
    let expected: [Float] = [0.540_302_3, 0.841_470_98, -0.009_999_833, 0.999_950_0]
    print("rope hand case max abs diff \(maxAbsDiff(x, expected))")
    #expect(maxAbsDiff(x, expected) < 1e-6)
    // Position 0 is the identity; the pairs are (0,1),(2,3), not halves (0,2),(1,3).
    var y: [Float] = [1, 2, 3, 4]
    ropeInterleaved(&y, tokens: 1, heads: 1, headDim: 4, startPosition: 0, theta: 10_000)
    #expect(y == [1, 2, 3, 4])
    #expect(ropeInverseFrequencies(headDim: 4, theta: 10_000) == [1, 0.01])
}

@Test func ropeDotProductDependsOnlyOnDistance() {
    let q = randomFloats(128, seed: 1), k = randomFloats(128, seed: 2)
    func rotated(_ v: [Float], at p: Int) -> [Float] {
        var v = v
        ropeInterleaved(&v, tokens: 1, heads: 1, headDim: 128, startPosition: p, theta: 500_000)
        return v
    }
    func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
    let near = dot(rotated(q, at: 10), rotated(k, at: 7)), far = dot(rotated(q, at: 110), rotated(k, at: 107))
    print("rope q·k at (10,7) \(near) vs (110,107) \(far)")
    #expect(abs(near - far) <= 1e-4 * max(1, abs(near)))
}
