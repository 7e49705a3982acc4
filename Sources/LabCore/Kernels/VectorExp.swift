// VectorExp — eˣ for 16 floats at once, the inner step of softmax and SiLU.
//
// libm's `expf` works one number at a time; softmax over a 103 424-token vocabulary calls it 10⁵ times per
// token. This is the classic Cephes scheme (S. L. Moshier, https://www.netlib.org/cephes/):
//   eˣ = 2ⁿ · eʳ,  n = round(x · log₂e),  r = x − n·ln2 ∈ [−ln2/2, ln2/2]
// with ln2 split into a short high part and a correction (so n·ln2_hi is exact) and eʳ from a degree-6
// polynomial. Relative error ≤ 2 ulp over the range; tests compare it to libm on 10⁵ points.
// Below −87.3 the result is 0 (float32 would go subnormal); above 88 it is +∞.

/// eˣ lane by lane (≤ 2 ulp; 0 below −87.3, +∞ above 88, NaN stays NaN).
/// `@inlinable` so the loops of other modules (Autograd, ErnieTraining) inline it instead of calling it per vector;
/// the clamp is two `pointwiseMin/Max` (the generic `clamped(lowerBound:upperBound:)` was not inlined and cost more
/// than the polynomial).
@inlinable @inline(__always)
public func vectorExp(_ x: SIMD16<Float>) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let log2e: Float = 1.442_695_040_888_963_4
    let ln2Hi: Float = 0.693_359_375                 // 8 significant bits: n · ln2Hi is exact for |n| ≤ 2¹⁶
    let ln2Lo: Float = -2.121_944_400_546_905_8e-4   // ln2 − ln2Hi
    let xc = pointwiseMin(pointwiseMax(x, V(repeating: -87.3)), V(repeating: 88))
    // n = round(x·log₂e): adding 1.5·2²³ pushes the fraction out of the mantissa (round to nearest even);
    // the same bits then hold n as an integer in their low part.
    let magic: Float = 12_582_912                     // 1.5 · 2²³
    let shifted = xc * log2e + magic
    let n = shifted - magic
    let nInt = unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- 0x4B40_0000
    var r = xc - n * ln2Hi
    r = r - n * ln2Lo
    // eʳ ≈ 1 + r + r²·P(r)  (Cephes expf coefficients)
    var p = V(repeating: 1.987_569_150_0e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    let er = p * (r * r) + r + 1
    let twoN = unsafeBitCast((nInt &+ 127) &<< 23, to: V.self)    // 2ⁿ built from its exponent bits
    var y = er * twoN
    y.replace(with: 0, where: x .< -87.3)
    y.replace(with: .infinity, where: x .> 88)
    y.replace(with: x, where: x .!= x)                            // NaN in, NaN out
    return y
}
