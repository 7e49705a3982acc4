// Attention's two loops over the cached rows of one KV head, for the G query heads that share it (grouped-query
// attention; decode: GroupedQueryAttention.swift):
//
//   scores[g, s] = (q_g · k_s) · scale      for g < G, s = 0 … count−1      (`dotRows`)
//   a_g = Σ_s P_g(s) · v_s                                                    (`weightedRowSum`)
//
// Written as `dot` and `axpy` per row they are bound by latency, not by the loads: one dot of 128 floats is a chain
// of 8 dependent fused multiply-adds into one register and a horizontal sum, and each axpy reads and writes a back
// through memory. Here `dotRows` runs 4 rows' chains side by side, and `weightedRowSum` keeps 64 floats of a in
// registers across the rows. Each output still sees the same operations in the same order — a row's 16 partial
// sums in the order `dot` makes them, an element of a the sum over s in order, as repeated `axpy` does — so both
// are bit-identical to those loops (tests: KernelAttentionRowsTests); `dot` and `axpy` keep their naive twins.
//
// The G heads of a group read the same rows. One head after another, each would stream the whole cache of its
// KV head from L2 again (256 KB of keys at 512 positions, Dh = 128); instead both loops walk the rows in blocks of
// `attentionRowBlock` and let every head of the group use a block while it sits in L1. The order of operations
// inside each output does not change, so neither do the bits.

/// Cached rows per pass: 32 rows of 128 floats are 16 KB, half of a 32 KB L1 data cache.
let attentionRowBlock = 32

/// scores[g·count + s] = dot(q + g·n, rows + s·stride, count: n) · scale for g < queries and s < count, bit for
/// bit; q holds the `queries` heads back to back, n floats each.
public func dotRows(_ q: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int, width n: Int,
                    scale: Float, into scores: UnsafeMutablePointer<Float>, queries: Int = 1) {
    var s0 = 0
    while s0 < count {
        let m = min(attentionRowBlock, count - s0)
        for g in 0..<queries {
            dotRowBlock(q + g * n, rows + s0 * stride, stride: stride, count: m, width: n, scale: scale,
                        into: scores + g * count + s0)
        }
        s0 += m
    }
}

/// y[g·n ..< (g+1)·n] = Σ_s w[g·count + s] · (rows + s·stride)[0..<n] for g < queries, as `y = 0` then
/// `axpy(w[g·count + s], rows + s·stride, into: y + g·n)` for s = 0 … count−1, bit for bit.
public func weightedRowSum(_ w: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int,
                           width n: Int, into y: UnsafeMutablePointer<Float>, queries: Int = 1) {
    y.update(repeating: 0, count: queries * n)
    var s0 = 0
    while s0 < count {
        let m = min(attentionRowBlock, count - s0)
        for g in 0..<queries {
            addWeightedRows(w + g * count + s0, rows + s0 * stride, stride: stride, count: m, width: n, into: y + g * n)
        }
        s0 += m
    }
}

/// scores[s] = dot(q, rows + s·stride, count: n) · scale for s < count, bit for bit; 4 rows at a time.
private func dotRowBlock(_ q: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int,
                         width n: Int, scale: Float, into scores: UnsafeMutablePointer<Float>) {
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

/// y [n] += Σ_s w[s] · (rows + s·stride)[0..<n], as `axpy(w[s], rows + s·stride, into: y)` for s = 0 … count−1,
/// bit for bit; 64 floats of y stay in registers while the rows go by.
private func addWeightedRows(_ w: UnsafePointer<Float>, _ rows: UnsafePointer<Float>, stride: Int, count: Int,
                             width n: Int, into y: UnsafeMutablePointer<Float>) {
    let ry = UnsafeMutableRawPointer(y)
    var c = 0
    while c + 64 <= n {
        var y0 = ry.loadUnaligned(fromByteOffset: 4 * c, as: SIMD16<Float>.self)
        var y1 = ry.loadUnaligned(fromByteOffset: 4 * c + 64, as: SIMD16<Float>.self)
        var y2 = ry.loadUnaligned(fromByteOffset: 4 * c + 128, as: SIMD16<Float>.self)
        var y3 = ry.loadUnaligned(fromByteOffset: 4 * c + 192, as: SIMD16<Float>.self)
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
    // the rest (n mod 64) row by row
    for s in 0..<count where c < n { axpy(w[s], rows + s * stride + c, into: y + c, count: n - c) }
}
