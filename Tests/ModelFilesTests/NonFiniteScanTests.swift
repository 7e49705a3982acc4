// NonFiniteScan against its naive twin: every float dtype, NaN/+∞/−∞ planted in the SIMD body, the tail, a later
// block and at unaligned starts; the first of several is found; finite data and integer dtypes give nil.

import Foundation
import LabCore
import Testing
@testable import ModelFiles

@Suite("NaN/±∞ scan")
struct NonFiniteScanTests {
    /// `count` finite values in `dtype`'s bytes, seeded, with `planted` (index → value) written over them.
    func bytes(_ dtype: SafetensorsDType, count: Int, planted: [Int: Double], seed: UInt64) -> [UInt8] {
        var rng = SeededRNG(seed: seed)
        var out: [UInt8] = []
        out.reserveCapacity(count * dtype.size)
        for i in 0..<count {
            let x = planted[i] ?? (Double(rng.next() % 2001) - 1000) * 1e-3
            switch dtype {
            case .bf16: withUnsafeBytes(of: BFloat16(Float(x)).bitPattern.littleEndian) { out += $0 }
            case .f16: withUnsafeBytes(of: floatToFloat16Bits(Float(x)).littleEndian) { out += $0 }
            case .f32: withUnsafeBytes(of: Float(x).bitPattern.littleEndian) { out += $0 }
            default: withUnsafeBytes(of: x.bitPattern.littleEndian) { out += $0 }
            }
        }
        return out
    }

    @Test("the first NaN or ±∞ is found wherever it is, in every float dtype, as the naive scan finds it")
    func agreesWithNaive() {
        let count = 3 * 65_536 + 37                   // four blocks, the last one short with a tail
        for dtype in [SafetensorsDType.bf16, .f16, .f32, .f64] {
            let cases: [[Int: Double]] = [
                [:], [0: .nan], [count - 1: .infinity], [31: -.infinity], [70_000: .nan],
                [count - 20: .infinity, 65_536 * 2 + 5: .nan, 200_000: -.infinity],
                [65_535: .infinity, 65_536: .nan],
            ]
            for (k, planted) in cases.enumerated() {
                let data = bytes(dtype, count: count, planted: planted, seed: UInt64(k))
                let expected = planted.keys.min()
                for shift in [0, 2] where shift < dtype.size {        // safetensors only promises 2-byte alignment
                    let padded = [UInt8](repeating: 0, count: shift) + data
                    padded.withUnsafeBytes { raw in
                        let view = UnsafeRawBufferPointer(rebasing: raw[shift...])
                        #expect(firstNonFiniteElement(view, dtype: dtype) == expected, "\(dtype) case \(k) shift \(shift)")
                        #expect(firstNonFiniteElementNaive(view, dtype: dtype) == expected, "\(dtype) naive case \(k)")
                    }
                }
            }
        }
    }

    @Test("the largest finite values are finite; integer tensors are not scanned")
    func edges() {
        let big: [Float] = [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 3e38, .leastNonzeroMagnitude]
        big.withUnsafeBufferPointer { #expect(firstNonFiniteElement($0.baseAddress!, count: $0.count) == nil) }
        let bf16Max: [UInt16] = [0x7F7F, 0xFF7F, 0x0001]                 // ±largest finite bf16, a subnormal
        bf16Max.withUnsafeBytes { #expect(firstNonFiniteElement($0, dtype: .bf16) == nil) }
        let ones = [UInt8](repeating: 0xFF, count: 64)
        ones.withUnsafeBytes { #expect(firstNonFiniteElement($0, dtype: .i32) == nil && firstNonFiniteElement($0, dtype: .u8) == nil) }
        #expect(nonFiniteText(.nan) == "NaN" && nonFiniteText(.infinity) == "+∞" && nonFiniteText(-.infinity) == "−∞")
    }
}
