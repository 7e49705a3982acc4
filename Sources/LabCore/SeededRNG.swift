// SeededRNG — xoshiro256** (Blackman & Vigna, 2018, https://prng.di.unimi.it/), seeded through SplitMix64.
//
// Every random choice in the lab (weight init, sampling, data shuffles) draws from one of these, so a seed
// reproduces a run bit for bit on every machine: the generator uses only 64-bit integer arithmetic, and the
// derived draws (uniform, normal, categorical) are defined here rather than taken from the platform.

public struct SeededRNG: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)
    /// A spare normal deviate from the last Box–Muller pair.
    private var spareNormal: Double?

    /// The seed this generator started from (shown to the learner so a run can be repeated).
    public let seed: UInt64

    public init(seed: UInt64) {
        self.seed = seed
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    @inline(__always)
    public mutating func next() -> UInt64 {
        let result = SeededRNG.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0; s.3 ^= s.1; s.1 ^= s.2; s.0 ^= s.3
        s.2 ^= t
        s.3 = SeededRNG.rotl(s.3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inline(__always)
    public mutating func nextDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in 0..<n, without modulo bias (Lemire's method).
    public mutating func nextInt(below n: Int) -> Int {
        precondition(n > 0, "SeededRNG.nextInt(below: \(n))")
        let bound = UInt64(n)
        var m = next().multipliedFullWidth(by: bound)
        if m.low < bound {
            let threshold = (0 &- bound) % bound
            while m.low < threshold { m = next().multipliedFullWidth(by: bound) }
        }
        return Int(m.high)
    }

    /// Standard normal N(0, 1) by the Box–Muller transform (pairs cached).
    public mutating func nextNormal() -> Double {
        if let z = spareNormal { spareNormal = nil; return z }
        var u1 = nextDouble()
        while u1 <= 0 { u1 = nextDouble() }
        let u2 = nextDouble()
        let r = (-2 * _log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareNormal = r * _sin(theta)
        return r * _cos(theta)
    }

    /// Draws index i with probability `weights[i] / Σ weights` (weights need not be normalised; negatives count as 0).
    /// One uniform draw and a linear scan, so the same seed gives the same index everywhere.
    public mutating func nextCategorical(_ weights: [Float]) -> Int {
        var total = 0.0
        for w in weights where w > 0 { total += Double(w) }
        precondition(total > 0, "SeededRNG.nextCategorical: all weights are zero")
        let target = nextDouble() * total
        var acc = 0.0
        var last = 0
        for (i, w) in weights.enumerated() where w > 0 {
            acc += Double(w)
            last = i
            if target < acc { return i }
        }
        return last
    }

    /// Shuffles in place (Fisher–Yates).
    public mutating func shuffle<T>(_ a: inout [T]) {
        guard a.count > 1 else { return }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, nextInt(below: i + 1)) }
    }
}

// Platform-independent wrappers: Foundation's libm on every Swift platform; kept in one place.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
