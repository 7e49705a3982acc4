// Helpers shared by the kernel tests: seeded random buffers and the difference measures the tests print.
@testable import LabCore

/// `count` samples of N(0, 1) from a seeded generator.
func randomFloats(_ count: Int, seed: UInt64) -> [Float] {
    var rng = SeededRNG(seed: seed)
    return (0..<count).map { _ in Float(rng.nextNormal()) }
}

/// Largest |a − b| over the arrays.
func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    var m: Float = 0
    for i in a.indices { m = max(m, abs(a[i] - b[i])) }
    return m
}

/// Largest |a − b| relative to the largest |b| (the reference): the normwise relative error tests hold to 1e-5.
func relDiff(_ a: [Float], _ reference: [Float]) -> Float {
    let scale = reference.reduce(Float(0)) { max($0, abs($1)) }
    return maxAbsDiff(a, reference) / max(scale, .leastNormalMagnitude)
}
