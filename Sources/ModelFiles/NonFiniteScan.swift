// NonFiniteScan — finding the first NaN or ±∞ among a tensor's elements, once, at memory speed.
//
// A float is NaN or ±∞ exactly when every bit of its exponent field is set (IEEE 754), so no element needs
// converting: mask the exponent bits and compare with the mask.
//   bf16 0x7F80    f16 0x7C00    f32 0x7F80_0000    f64 0x7FF0_0000_0000_0000
// Adding the mask's lowest bit to a masked value carries into the bit above the mask exactly when the value equals
// the mask, so one AND, ADD and OR per 64 bytes (SIMD) tells whether a block holds a non-finite element, and the
// element-by-element search runs only inside a block that has one. Blocks are scanned in parallel. ERNIE-4.5-0.3B's 721 MB of bf16 are
// read once this way at load (ErnieWeights), and the forward pass scans its logits the same way (ErnieModel).

import LabCore

extension SafetensorsTensor {
    /// The row-major index of the first NaN or ±∞ element; nil when every element is finite or the dtype is not
    /// a float type.
    public func firstNonFiniteIndex() -> Int? {
        withUnsafeBytes { firstNonFiniteElement($0, dtype: dtype) }
    }

    /// Element `i` widened to Double; nil for a non-float dtype. For messages about one element.
    public func floatElement(_ i: Int) -> Double? {
        withUnsafeBytes { ModelFiles.floatElement($0, dtype: dtype, at: i) }
    }
}

/// "NaN", "+∞" or "−∞" for a non-finite value, else the number.
public func nonFiniteText(_ x: Double) -> String {
    x.isNaN ? "NaN" : x == .infinity ? "+∞" : x == -.infinity ? "−∞" : "\(x)"
}

/// The index of the first NaN or ±∞ among the little-endian elements of `dtype` in `bytes`; nil when all are
/// finite or `dtype` is not a float type. Unaligned bytes are fine (safetensors only promises 2-byte alignment).
public func firstNonFiniteElement(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType) -> Int? {
    switch dtype {
    case .bf16: return firstAllOnes(bytes, mask: UInt16(0x7F80))
    case .f16: return firstAllOnes(bytes, mask: UInt16(0x7C00))
    case .f32: return firstAllOnes(bytes, mask: UInt32(0x7F80_0000))
    case .f64: return firstAllOnes(bytes, mask: UInt64(0x7FF0_0000_0000_0000))
    default: return nil
    }
}

/// `firstNonFiniteElement` for Float values (activations, logits). x [count].
public func firstNonFiniteElement(_ x: UnsafePointer<Float>, count: Int) -> Int? {
    firstNonFiniteElement(UnsafeRawBufferPointer(start: x, count: 4 * count), dtype: .f32)
}

/// The naive twin of `firstNonFiniteElement`: widen every element and ask `isFinite` (tests hold the two equal).
public func firstNonFiniteElementNaive(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType) -> Int? {
    guard dtype.isFloatingPoint else { return nil }
    return (0..<(bytes.count / dtype.size)).first { !floatElement(bytes, dtype: dtype, at: $0)!.isFinite }
}

/// Element `i` of little-endian `dtype` values in `bytes`, widened to Double; nil for a non-float dtype.
func floatElement(_ bytes: UnsafeRawBufferPointer, dtype: SafetensorsDType, at i: Int) -> Double? {
    func load<T: FixedWidthInteger>(_: T.Type) -> T {
        T(littleEndian: bytes.loadUnaligned(fromByteOffset: i * dtype.size, as: T.self))
    }
    switch dtype {
    case .bf16: return Double(BFloat16(bitPattern: load(UInt16.self)).float)
    case .f16: return Double(float16BitsToFloat(load(UInt16.self)))
    case .f32: return Double(Float(bitPattern: load(UInt32.self)))
    case .f64: return Double(bitPattern: load(UInt64.self))
    default: return nil
    }
}

/// The first element whose `mask` bits are all set. Blocks of `blockElements` are scanned in parallel, each with
/// 64-byte SIMD loads OR-ing a carry test of the masked elements; only a block where one carried is searched element
/// by element. The result is the smallest such index over all blocks.
@inline(__always)
private func firstAllOnes<T: FixedWidthInteger & UnsignedInteger>(_ bytes: UnsafeRawBufferPointer, mask: T) -> Int? {
    let width = MemoryLayout<T>.size, count = bytes.count / width
    guard count > 0, let base = bytes.baseAddress else { return nil }
    // (x & mask) + the mask's lowest bit carries into the bit above the mask exactly when every mask bit is set
    // (bf16: 0x7F80 + 0x0080 = 0x8000), and never past the element. So each 64-bit lane holds 8/width elements
    // side by side with the mask repeated, and one AND, ADD and OR per 64 bytes tests them all. (Concrete
    // SIMD8<UInt64>: the same steps over a generic SIMD type compiled to a loop over lanes, 5× slower.)
    func repeated(_ x: T) -> UInt64 {
        (0..<(8 / width)).reduce(UInt64(0)) { $0 | UInt64(x) << (8 * width * $1) }
    }
    let low = mask & ~(mask << 1)
    let mask64 = SIMD8<UInt64>(repeating: repeated(mask)), low64 = SIMD8<UInt64>(repeating: repeated(low))
    let carry64 = SIMD8<UInt64>(repeating: repeated(mask &+ low))
    let perVector = 64 / width
    let blockElements = 1 << 16
    let blocks = (count + blockElements - 1) / blockElements
    let firstInBlock = UnsafeMutablePointer<Int>.allocate(capacity: blocks)     // Int.max: the block is finite
    defer { firstInBlock.deallocate() }
    parallelFor(blocks, minChunk: 16) { range in
        for b in range {
            let start = b * blockElements, end = min(count, start + blockElements)
            var seen = SIMD8<UInt64>()
            var i = start
            while i + perVector <= end {
                seen |= (base.loadUnaligned(fromByteOffset: i * width, as: SIMD8<UInt64>.self) & mask64) &+ low64
                i += perVector
            }
            seen &= carry64
            var found = seen != SIMD8<UInt64>()
            while !found && i < end {
                found = T(littleEndian: base.loadUnaligned(fromByteOffset: i * width, as: T.self))
                    & mask == mask
                i += 1
            }
            firstInBlock[b] = found
                ? (start..<end).first {
                    T(littleEndian: base.loadUnaligned(fromByteOffset: $0 * width, as: T.self)) & mask == mask
                }!
                : Int.max
        }
    }
    let first = (0..<blocks).lazy.map { firstInBlock[$0] }.min()!
    return first == Int.max ? nil : first
}
