// Dot and axpy — the two vector loops (BLAS level 1: sdot, saxpy) under attention's scores and weighted values,
// RMSNorm's mean square, gradient clipping's norm and word2vec's negative-sampling step; and dot3, the three-way
// product RMSNorm's backward pass needs.
//
//   dot(a, b) = Σᵢ aᵢ·bᵢ      dot3(a, b, c) = Σᵢ aᵢ·bᵢ·cᵢ      axpy:  y ← α·x + y          (i = 0 … n−1)
//
// The fast forms run 16 floats at a time (one AVX-512 register) and finish the n mod 16 ragged tail one float at
// a time. `dot` keeps its 16 partial sums in one register with fused multiply-adds and adds the lanes at the end:
// a different order from the left-to-right sum, so it agrees with the naive twin to float32 rounding (≈ √n·ε
// relative), not bit for bit. `axpy` does per element exactly what its twin does, so the two are bit-identical.
// Both are `@inlinable`: the callers' loops (over cached keys, over rows, over samples) inline them, as they did
// with the private copies these replace.

/// Reference Σᵢ aᵢ·bᵢ over `count` floats, left to right, accumulated in Double.
public func dotNaive(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    var s = 0.0
    for i in 0..<count { s += Double(a[i]) * Double(b[i]) }
    return Float(s)
}

/// Reference y ← α·x + y over `count` floats, one element at a time.
public func axpyNaive(_ alpha: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    for i in 0..<count { y[i] += alpha * x[i] }
}

/// Fast Σᵢ aᵢ·bᵢ (contract of `dotNaive`, float32 accumulation): 16 lanes of fused multiply-adds, then the tail.
@inlinable @inline(__always)
public func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        acc.addProduct(ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self),
                       rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
        i += 16
    }
    var s = acc.sum()
    while i < count { s += a[i] * b[i]; i += 1 }
    return s
}

/// Fast y ← α·x + y (contract of `axpyNaive`, bit-identical to it): 16 lanes at a time, then the tail.
@inlinable @inline(__always)
public func axpy(_ alpha: Float, _ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) {
    let rx = UnsafeRawPointer(x), ry = UnsafeMutableRawPointer(y)
    var i = 0
    while i + 16 <= count {
        let yv = ry.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
        ry.storeBytes(of: yv + alpha * rx.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self),
                      toByteOffset: 4 * i, as: SIMD16<Float>.self)
        i += 16
    }
    while i < count { y[i] += alpha * x[i]; i += 1 }
}

/// Reference Σᵢ aᵢ·bᵢ·cᵢ over `count` floats, left to right, accumulated in Double.
public func dot3Naive(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, count: Int) -> Float {
    var s = 0.0
    for i in 0..<count { s += Double(a[i]) * Double(b[i]) * Double(c[i]) }
    return Float(s)
}

/// Fast Σᵢ aᵢ·bᵢ·cᵢ (contract of `dot3Naive`, float32 accumulation, agreeing as `dot` does): 16 lanes, then the tail.
/// RMSNorm's backward pass: Σⱼ gⱼ·wⱼ·xⱼ.
@inlinable @inline(__always)
public func dot3(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafePointer<Float>, count: Int) -> Float {
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b), rc = UnsafeRawPointer(c)
    var acc = SIMD16<Float>()
    var i = 0
    while i + 16 <= count {
        acc.addProduct(ra.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                        * rb.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self),
                       rc.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
        i += 16
    }
    var s = acc.sum()
    while i < count { s += a[i] * b[i] * c[i]; i += 1 }
    return s
}
