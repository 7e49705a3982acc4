// Softmax and log-softmax over the rows of a matrix — turning scores (logits, attention scores) into probabilities.
//
//   softmax(x)ᵢ     = e^(xᵢ − m) / Σⱼ e^(xⱼ − m)
//   log-softmax(x)ᵢ = xᵢ − m − log Σⱼ e^(xⱼ − m),       m = maxⱼ xⱼ
// Subtracting the row maximum m changes nothing mathematically (it cancels) but keeps every exponent ≤ 0, so
// e^(·) never overflows — the "numerically stable" form. Entries of −∞ (masked positions) get probability 0;
// a row that is entirely −∞ has no distribution and comes out NaN, as in PyTorch.
// Shapes: x and y are [rows, cols] row-major; y may be the same buffer as x (in place).

/// Softmax of one row of Doubles, term by term as the definition reads: the arithmetic of `softmaxNaive`, and the
/// softmax of short lists that want Double or every step visible (`classify`'s label shares, lesson 7's attention
/// steps). An empty row gives [].
public func softmax(_ x: [Double]) -> [Double] {
    var m = -Double.infinity
    for v in x { m = max(m, v) }
    let e = x.map { _exp($0 - m) }
    var s = 0.0
    for v in e { s += v }
    return e.map { $0 / s }
}

/// Reference softmax per row, computed in Double.
public func softmaxNaive(rows: Int, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        let p = softmax((0..<cols).map { Double(row[$0]) })
        for i in 0..<cols { out[i] = Float(p[i]) }
    }
}

/// Reference log-softmax per row, computed in Double.
public func logSoftmaxNaive(rows: Int, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        var m = -Double.infinity
        for i in 0..<cols { m = max(m, Double(row[i])) }
        var s = 0.0
        for i in 0..<cols { s += _exp(Double(row[i]) - m) }
        let logZ = m + _log(s)
        for i in 0..<cols { out[i] = Float(Double(row[i]) - logZ) }
    }
}

/// Fast softmax per row (contract of `softmaxNaive`): three SIMD passes — max, e^(x−m) with its sum, scale by 1/sum.
public func softmax(rows: Int, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        let m = rowMax(row, cols)
        var sum = LaneSum()
        forEachBlock(cols) { i, n in
            let e = vectorExp(loadPadded(row + i, n, pad: -.infinity) - m)
            sum.add(e)
            storePartial(e, out + i, n)
        }
        let scale = Float(1 / sum.total)
        forEachBlock(cols) { i, n in storePartial(loadPadded(out + i, n, pad: 0) * scale, out + i, n) }
    }
}

/// Fast log-softmax per row (contract of `logSoftmaxNaive`): max, Σ e^(x−m), then x − (m + log Σ).
public func logSoftmax(rows: Int, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        let row = x + r * cols, out = y + r * cols
        let m = rowMax(row, cols)
        var sum = LaneSum()
        forEachBlock(cols) { i, n in sum.add(vectorExp(loadPadded(row + i, n, pad: -.infinity) - m)) }
        let logZ = m + Float(_log(sum.total))
        forEachBlock(cols) { i, n in storePartial(loadPadded(row + i, n, pad: 0) - logZ, out + i, n) }
    }
}

/// Softmax of s·x over one row, in place: xᵢ ← e^(s·xᵢ − m) / Σⱼ e^(s·xⱼ − m), m = maxⱼ s·xⱼ (s > 0).
/// The attention kernel's row step (scale, mask by `count`, normalise in one call); twin: `softmaxNaive` of s·x.
public func softmaxInPlace(_ row: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
    let m = rowMax(UnsafePointer(row), count) * scale
    var sum = SIMD16<Float>()
    forEachBlock(count) { i, n in
        let e = vectorExp(loadPadded(row + i, n, pad: -.infinity) * scale - m)
        sum += e
        storePartial(e, row + i, n)
    }
    let inv = 1 / sum.sum()
    forEachBlock(count) { i, n in storePartial(loadPadded(row + i, n, pad: 0) * inv, row + i, n) }
}

/// Softmax backward over one row, in place on the gradient: gᵢ ← s · yᵢ·(gᵢ − Σⱼ gⱼyⱼ), where y = softmax(s·x)
/// (so g becomes ∂L/∂x for ∂L/∂y = g).
public func softmaxBackwardInPlace(y: UnsafePointer<Float>, g: UnsafeMutablePointer<Float>, count: Int, scale: Float) {
    var dot = SIMD16<Float>()
    forEachBlock(count) { i, n in dot += loadPadded(g + i, n, pad: 0) * loadPadded(y + i, n, pad: 0) }
    let d = dot.sum()
    forEachBlock(count) { i, n in
        let yi = loadPadded(y + i, n, pad: 0)
        storePartial(yi * (loadPadded(g + i, n, pad: 0) - d) * scale, g + i, n)
    }
}

/// ln Σⱼ e^(xⱼ) of one row, computed stably (max first) with `vectorExp`; twin: `logSoftmaxNaive`'s log-partition.
public func logSumExp(_ row: UnsafePointer<Float>, count: Int) -> Float {
    let m = rowMax(row, count)
    var sum = LaneSum()
    forEachBlock(count) { i, n in sum.add(vectorExp(loadPadded(row + i, n, pad: -.infinity) - m)) }
    return m + Float(_log(sum.total))
}

/// dst (+)= c · e^(xⱼ − lse) for one row: c times its softmax when `lse` is the row's `logSumExp` (the gradient of
/// a cross-entropy, before the one-hot is subtracted). Overwrites dst unless `accumulate`.
public func scaledSoftmax(_ row: UnsafePointer<Float>, count: Int, logSumExp lse: Float, scale c: Float,
                          into dst: UnsafeMutablePointer<Float>, accumulate: Bool) {
    forEachBlock(count) { i, n in
        var e = vectorExp(loadPadded(row + i, n, pad: 0) - lse) * c
        if accumulate { e += loadPadded(dst + i, n, pad: 0) }
        storePartial(e, dst + i, n)
    }
}

// MARK: - 16-lane helpers shared by the row kernels

/// Calls `body(start, n)` for blocks of 16 elements covering 0..<count; the last block may have n < 16.
/// One call site for the body: with a second one for the ragged block, the optimiser outlined `vectorExp` from
/// the row loops (a call per 16 lanes, ~5 % of a tiny-ERNIE training step in perf).
@inline(__always)
func forEachBlock(_ count: Int, _ body: (Int, Int) -> Void) {
    var i = 0
    while i < count { body(i, min(16, count - i)); i += 16 }
}

/// Loads n ≤ 16 floats; lanes ≥ n hold `pad`.
@inline(__always)
func loadPadded(_ p: UnsafePointer<Float>, _ n: Int, pad: Float) -> SIMD16<Float> {
    if n == 16 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    // One byte copy: a lane-by-lane loop here compiled to a compare and masked broadcast per lane with the vector
    // spilled to the stack, and causal attention's rows (every visible length) all end in a ragged block.
    var v = SIMD16<Float>(repeating: pad)
    withUnsafeMutableBytes(of: &v) { $0.baseAddress!.copyMemory(from: p, byteCount: n * MemoryLayout<Float>.stride) }
    return v
}
@inline(__always)
func loadPadded(_ p: UnsafeMutablePointer<Float>, _ n: Int, pad: Float) -> SIMD16<Float> {
    loadPadded(UnsafePointer(p), n, pad: pad)
}

/// Stores the first n ≤ 16 lanes.
@inline(__always)
func storePartial(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ n: Int) {
    if n == 16 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self); return }
    withUnsafeBytes(of: v) {
        UnsafeMutableRawPointer(p).copyMemory(from: $0.baseAddress!, byteCount: n * MemoryLayout<Float>.stride)
    }
}

/// A long sum kept accurate cheaply: 16 float lanes absorb up to 64 vectors (1024 numbers), then flush into a
/// Double. Summing 10⁵ probabilities straight into float lanes would lose ~10⁻⁵ of relative accuracy.
struct LaneSum {
    private var lanes = SIMD16<Float>()
    private var pending = 0
    private var flushed = 0.0

    @inline(__always) mutating func add(_ v: SIMD16<Float>) {
        lanes += v
        pending += 1
        if pending == 64 { flushed += Double(lanes.sum()); lanes = SIMD16<Float>(); pending = 0 }
    }
    var total: Double { flushed + Double(lanes.sum()) }
}

/// Largest element of a row (NaN-free rows; −∞ for an empty row).
@inline(__always)
func rowMax(_ row: UnsafePointer<Float>, _ cols: Int) -> Float {
    var m = SIMD16<Float>(repeating: -.infinity)
    // compare-and-blend: `pointwiseMax` compiled to a scalar per-lane loop (IEEE maximum's NaN cases) here, the
    // hottest part of causal attention's softmax in perf
    forEachBlock(cols) { i, n in
        let v = loadPadded(row + i, n, pad: -.infinity)
        m.replace(with: v, where: v .> m)
    }
    return m.max()
}

// libm, in one place (Glibc on Linux, Darwin on macOS).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
