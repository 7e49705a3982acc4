// Attention's two loops over the cached rows of one head, for one query (decode: GroupedQueryAttention.swift):
//
//   scores[s] = (q · k_s) · scale        for s = 0 … count−1      (`dotRows`)
//   a = Σ_s P(s) · v_s                                             (`weightedRowSum`)
//
// Written as `dot` and `axpy` per row they are bound by latency, not by the loads: one dot of 128 floats is a chain
// of 8 dependent fused multiply-adds into one register and a horizontal sum, and each axpy reads and writes a back
// through memory. Here `dotRows` runs 4 rows' chains side by side, and `weightedRowSum` keeps 64 floats of a in
// registers across all rows. Each output still sees the same operations in the same order — a row's 16 partial
// sums in the order `dot` makes them, an element of a the sum over s in order, as repeated `axpy` does — so both
// are bit-identical to those loops (tests: KernelAttentionRowsTests); `dot` and `axpy` keep their naive twins.

/// scores[s] = dot(q, rows + s·stride, count: n) · scale for s < count, bit for bit; 4 rows at a time.
public func dotRows(_ q: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int, width n: Int,
                    scale: Float, into scores: UnsafeMutablePointer<Float>) {
    var s = 0
    if n % 16 == 0 {                                   // no ragged tail: dot is its 16-lane sum alone
        let rq = UnsafeRawPointer(q)
        while s + 4 <= count {
            let r0 = UnsafeRawPointer(rows + s * stride), r1 = r0 + 4 * stride, r2 = r1 + 4 * stride, r3 = r2 + 4 * stride
            var a0 = SIMD16<Float>(), a1 = SIMD16<Float>(), a2 = SIMD16<Float>(), a3 = SIMD16<Float>()
            var i = 0
            while i < n {
                let x = rq.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self)
                a0.addProduct(x, r0.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
                a1.addProduct(x, r1.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
                a2.addProduct(x, r2.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
                a3.addProduct(x, r3.loadUnaligned(fromByteOffset: 4 * i, as: SIMD16<Float>.self))
                i += 16
            }
            scores[s] = a0.sum() * scale; scores[s + 1] = a1.sum() * scale
            scores[s + 2] = a2.sum() * scale; scores[s + 3] = a3.sum() * scale
            s += 4
        }
    }
    while s < count { scores[s] = dot(q, rows + s * stride, count: n) * scale; s += 1 }
}

/// y [n] = Σ_s w[s] · (rows + s·stride)[0..<n], as `y = 0` then `axpy(w[s], rows + s·stride, into: y)` for
/// s = 0 … count−1, bit for bit; 64 floats of y stay in registers while all rows go by.
public func weightedRowSum(_ w: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int,
                           width n: Int, into y: UnsafeMutablePointer<Float>) {
    let ry = UnsafeMutableRawPointer(y)
    var c = 0
    while c + 64 <= n {
        var y0 = SIMD16<Float>(), y1 = SIMD16<Float>(), y2 = SIMD16<Float>(), y3 = SIMD16<Float>()
        for s in 0..<count {
            let r = UnsafeRawPointer(rows + s * stride + c), a = w[s]
            y0 = y0 + a * r.loadUnaligned(fromByteOffset: 0, as: SIMD16<Float>.self)
            y1 = y1 + a * r.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
            y2 = y2 + a * r.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self)
            y3 = y3 + a * r.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
        }
        ry.storeBytes(of: y0, toByteOffset: 4 * c, as: SIMD16<Float>.self)
        ry.storeBytes(of: y1, toByteOffset: 4 * c + 64, as: SIMD16<Float>.self)
        ry.storeBytes(of: y2, toByteOffset: 4 * c + 128, as: SIMD16<Float>.self)
        ry.storeBytes(of: y3, toByteOffset: 4 * c + 192, as: SIMD16<Float>.self)
        c += 64
    }
    (y + c).update(repeating: 0, count: n - c)             // the rest (n mod 64) row by row, as before
    for s in 0..<count where c < n { axpy(w[s], rows + s * stride + c, into: y + c, count: n - c) }
}
