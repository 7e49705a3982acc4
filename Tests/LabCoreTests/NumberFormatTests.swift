// BFloat16 and Float16 against torch / numpy (scripts/make_labcore_fixtures.py).
import Foundation
import Testing
@testable import LabCore

struct FormatsFixture: Decodable {
    struct F16: Decodable {
        let bits: [UInt16]
        let float32_bits: [UInt32]
        let finite_sum: Double
        let finite_abs_sum: Double
        let nan_count: Int
    }
    let float32_bits: [UInt32]
    let bf16_bits: [UInt16]
    let f16: F16

    static func load() throws -> FormatsFixture {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/formats", withExtension: "json"))
        return try JSONDecoder().decode(FormatsFixture.self, from: Data(contentsOf: url))
    }
}

@Test func bfloat16RoundingMatchesTorch() throws {
    let fx = try FormatsFixture.load()
    var mismatches = 0
    for (f, expected) in zip(fx.float32_bits, fx.bf16_bits) {
        let got = BFloat16(Float(bitPattern: f)).bitPattern
        if got != expected {
            mismatches += 1
            if mismatches < 5 { print("bf16 mismatch: f32 0x\(String(f, radix: 16)) → ours 0x\(String(got, radix: 16)), torch 0x\(String(expected, radix: 16))") }
        }
    }
    print("bf16 rounding: \(fx.float32_bits.count - mismatches)/\(fx.float32_bits.count) equal to torch")
    #expect(mismatches == 0)
}

@Test func bfloat16WideningIsExactAndRoundTrips() {
    for bits in stride(from: 0, through: 0xFFFF, by: 1) {
        let b = BFloat16(bitPattern: UInt16(bits))
        let f = b.float
        #expect(f.bitPattern == UInt32(bits) << 16)
        if !f.isNaN { #expect(BFloat16(f) == b) }
    }
    #expect(BFloat16(Float.nan).float.isNaN)
}

@Test func float16WideningMatchesNumpy() throws {
    let fx = try FormatsFixture.load()
    for (h, expected) in zip(fx.f16.bits, fx.f16.float32_bits) {
        let got = float16BitsToFloat(h)
        if got.isNaN { #expect(Float(bitPattern: expected).isNaN) } else { #expect(got.bitPattern == expected) }
    }
    var sum = 0.0, absSum = 0.0, nans = 0
    for h in 0...0xFFFF {
        let f = float16BitsToFloat(UInt16(h))
        if f.isNaN { nans += 1 } else if f.isFinite { sum += Double(f); absSum += Double(abs(f)) }
    }
    print("f16 widening over all 65536 patterns: sum \(sum) (numpy \(fx.f16.finite_sum)), |sum| \(absSum) (numpy \(fx.f16.finite_abs_sum))")
    #expect(sum == fx.f16.finite_sum)
    #expect(absSum == fx.f16.finite_abs_sum)
    #expect(nans == fx.f16.nan_count)
}

@Test func float16NarrowingRoundTripsEveryFiniteHalf() {
    for h in 0...0xFFFF {
        let f = float16BitsToFloat(UInt16(h))
        guard f.isFinite else { continue }
        let back = floatToFloat16Bits(f)
        // ±0 keep their sign; every finite half must come back bit for bit.
        #expect(back == UInt16(h), "half 0x\(String(h, radix: 16)) → \(f) → 0x\(String(back, radix: 16))")
    }
}
