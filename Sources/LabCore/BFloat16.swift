// BFloat16 and Float16 — the 16-bit formats real checkpoints are stored in.
//
// bf16 keeps float32's 8-bit exponent and cuts the mantissa to 7 bits: widening is exact (shift left by 16),
// narrowing rounds to nearest, ties to even, exactly as PyTorch's `tensor.to(torch.bfloat16)` does.
// Float16 (IEEE half) widening handles subnormals, infinities and NaN; Swift's `Float16` is not available on
// every platform Swift runs on, so it is decoded by hand here.

/// A bfloat16 value, stored as its 16 bits.
public struct BFloat16: Equatable, Hashable, Sendable, CustomStringConvertible {
    public var bitPattern: UInt16
    public init(bitPattern: UInt16) { self.bitPattern = bitPattern }

    /// Rounds a Float to the nearest bfloat16, ties to even; NaN stays NaN (quiet), ±∞ stays ±∞.
    @inline(__always)
    public init(_ value: Float) {
        let bits = value.bitPattern
        if value.isNaN {
            bitPattern = UInt16(truncatingIfNeeded: bits >> 16) | 0x0040   // keep sign, force a quiet NaN
            return
        }
        // Add 0x7FFF plus the lowest kept bit: rounds half to even on the 16 discarded bits.
        let lsb = (bits >> 16) & 1
        let rounded = bits &+ 0x7FFF &+ lsb
        bitPattern = UInt16(truncatingIfNeeded: rounded >> 16)
    }

    /// The exact Float value (widening loses nothing).
    @inline(__always)
    public var float: Float { Float(bitPattern: UInt32(bitPattern) << 16) }

    public var description: String { "\(float)" }
}

/// Widens IEEE-754 half-precision bits to Float, exactly.
@inline(__always)
public func float16BitsToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int((h >> 10) & 0x1F)
    let mantissa = UInt32(h & 0x3FF)
    if exponent == 0 {
        if mantissa == 0 { return Float(bitPattern: sign) }            // ±0
        // Subnormal: value = mantissa · 2⁻²⁴
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign == 0 ? magnitude : -magnitude
    }
    if exponent == 31 {                                               // ±∞ or NaN
        return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
    }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}

/// Narrows a Float to IEEE half bits, round to nearest even (used to write f16 test checkpoints).
public func floatToFloat16Bits(_ f: Float) -> UInt16 {
    let bits = f.bitPattern
    let sign = UInt16((bits >> 16) & 0x8000)
    if f.isNaN { return sign | 0x7E00 }
    let a = abs(f)
    if a >= 65520 { return sign | 0x7C00 }                            // overflow → ∞ (65520 rounds up)
    if a < Float(sign: .plus, exponent: -14, significand: 1) {        // subnormal or zero
        let scaled = a * Float(sign: .plus, exponent: 24, significand: 1) // in units of 2⁻²⁴
        var q = scaled.rounded(.toNearestOrEven)
        if q > 1024 { q = 1024 }
        return sign | UInt16(q)
    }
    var exponent = Int(a.exponent)
    var m = (a.significand - 1) * 1024                                // 10 mantissa bits
    m = m.rounded(.toNearestOrEven)
    if m >= 1024 { m = 0; exponent += 1 }
    if exponent > 15 { return sign | 0x7C00 }
    return sign | UInt16(exponent + 15) << 10 | UInt16(m)
}

extension Array where Element == Float {
    /// Rounds every element to bf16.
    public func toBFloat16() -> [BFloat16] { map { BFloat16($0) } }
}

extension Array where Element == BFloat16 {
    /// Widens every element to Float, exactly.
    public func toFloat() -> [Float] { map(\.float) }
}
