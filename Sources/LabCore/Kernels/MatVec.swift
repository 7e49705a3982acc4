// MatVec — matrix–vector product y = W·x, the operation that decodes a token.
//
// W is row-major [rows, cols] (a checkpoint's `[out_features, in_features]`), x is [cols], y is [rows]:
//   y[r] = Σ_c W[r, c] · x[c]
// At batch size 1 every weight is read exactly once per token and used for one multiply-add, so the speed
// limit is memory bandwidth, not arithmetic: ERNIE-4.5-0.3B streams ~721 MB of bf16 weights per token.
// The fast kernels therefore aim to read W as one sequential stream per core:
//   - rows are split into one contiguous block per thread (`parallelFor`), so each core streams its own slab;
//   - within a block, several rows are processed per pass (4 for f32, 8 for bf16): independent FMA chains,
//     more memory streams in flight, and one load of x shared by all of them;
//   - bf16 weights (raw UInt16 bits, any alignment — safetensors data is only 2-byte aligned) are widened to
//     float32 in registers: bf16 is the top half of a float32, so widening is a 16-bit shift.
// The naive twins are the definition, accumulated in Double; tests hold the fast kernels to them.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reference f32 matvec: y[r] = Σ_c W[r, c] · x[c], accumulated in Double.
///
/// - Parameters: w [rows, cols] row-major, x [cols], y [rows].
public func matvecNaive(rows: Int, cols: Int, w: UnsafePointer<Float>, x: UnsafePointer<Float>,
                        y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        var s = 0.0
        for c in 0..<cols { s += Double(w[r * cols + c]) * Double(x[c]) }
        y[r] = Float(s)
    }
}

/// Reference bf16 matvec: y[r] = Σ_c float(W[r, c]) · x[c], where W holds bfloat16 bits (little-endian).
///
/// - Parameter w: the bits of W [rows, cols]; any alignment.
public func matvecBF16Naive(rows: Int, cols: Int, w: UnsafeRawPointer, x: UnsafePointer<Float>,
                            y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        var s = 0.0
        for c in 0..<cols {
            let bits = w.loadUnaligned(fromByteOffset: 2 * (r * cols + c), as: UInt16.self)
            s += Double(BFloat16(bitPattern: bits).float) * Double(x[c])
        }
        y[r] = Float(s)
    }
}

/// Fast f32 matvec with the contract of `matvecNaive` (float32 accumulation in 16 lanes).
///
/// Blocking: rows split over threads; 4 rows per pass, 32 columns (two SIMD16) per step; scalar tail for cols % 32.
public func matvec(rows: Int, cols: Int, w: UnsafePointer<Float>, x: UnsafePointer<Float>,
                   y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    typealias V = SIMD16<Float>
    let vecCols = cols / 32 * 32
    let xRaw = UnsafeRawPointer(x)
    parallelFor(rows, threads: threads, minChunk: max(1, 16_384 / max(cols, 1))) { block in
        var r = block.lowerBound
        while r + 4 <= block.upperBound {                       // 4 rows per pass
            let w0 = UnsafeRawPointer(w + r * cols), w1 = UnsafeRawPointer(w + (r + 1) * cols)
            let w2 = UnsafeRawPointer(w + (r + 2) * cols), w3 = UnsafeRawPointer(w + (r + 3) * cols)
            var a0 = V(), a1 = V(), a2 = V(), a3 = V()
            var c = 0
            while c < vecCols {
                let o = 4 * c
                let xa = xRaw.loadUnaligned(fromByteOffset: o, as: V.self)
                let xb = xRaw.loadUnaligned(fromByteOffset: o + 64, as: V.self)
                a0.addProduct(w0.loadUnaligned(fromByteOffset: o, as: V.self), xa)
                a1.addProduct(w1.loadUnaligned(fromByteOffset: o, as: V.self), xa)
                a2.addProduct(w2.loadUnaligned(fromByteOffset: o, as: V.self), xa)
                a3.addProduct(w3.loadUnaligned(fromByteOffset: o, as: V.self), xa)
                a0.addProduct(w0.loadUnaligned(fromByteOffset: o + 64, as: V.self), xb)
                a1.addProduct(w1.loadUnaligned(fromByteOffset: o + 64, as: V.self), xb)
                a2.addProduct(w2.loadUnaligned(fromByteOffset: o + 64, as: V.self), xb)
                a3.addProduct(w3.loadUnaligned(fromByteOffset: o + 64, as: V.self), xb)
                c += 32
            }
            var s0 = a0.sum(), s1 = a1.sum(), s2 = a2.sum(), s3 = a3.sum()
            for t in vecCols..<cols {
                let xv = x[t]
                s0 += w[r * cols + t] * xv; s1 += w[(r + 1) * cols + t] * xv
                s2 += w[(r + 2) * cols + t] * xv; s3 += w[(r + 3) * cols + t] * xv
            }
            y[r] = s0; y[r + 1] = s1; y[r + 2] = s2; y[r + 3] = s3
            r += 4
        }
        while r < block.upperBound {                            // leftover rows, one at a time
            let wr = UnsafeRawPointer(w + r * cols)
            var a = V()
            var c = 0
            while c < vecCols {
                a.addProduct(wr.loadUnaligned(fromByteOffset: 4 * c, as: V.self), xRaw.loadUnaligned(fromByteOffset: 4 * c, as: V.self))
                a.addProduct(wr.loadUnaligned(fromByteOffset: 4 * c + 64, as: V.self), xRaw.loadUnaligned(fromByteOffset: 4 * c + 64, as: V.self))
                c += 32
            }
            var s = a.sum()
            for t in vecCols..<cols { s += w[r * cols + t] * x[t] }
            y[r] = s
            r += 1
        }
    }
}

/// Fast bf16 matvec with the contract of `matvecBF16Naive` (float32 accumulation).
///
/// Blocking: rows split over threads; 8 rows per pass (more independent memory streams per core measured
/// ~20 % faster than 4 on one thread); 32 columns per step. One unaligned 64-byte load
/// brings 32 bf16 weights as 16 UInt32 lanes, lane l = (W[2l+1] << 16) | W[2l]. The even weights become
/// floats by `lane << 16`, the odd ones by `lane & 0xFFFF0000` — no shuffles — and meet x pre-split into
/// even and odd halves (`xEven[l] = x[2l]`, `xOdd[l] = x[2l+1]` per 32-column step). While a group of 8 rows
/// is summed, the next group's bytes are prefetched into L2 (512 bytes per step: the whole group by its last step).
public func matvecBF16(rows: Int, cols: Int, w: UnsafeRawPointer, x: UnsafePointer<Float>,
                       y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    let split = SplitBF16Input(x, cols: cols)
    defer { split.deallocate() }
    parallelFor(rows, threads: threads, minChunk: max(1, 32_768 / max(cols, 1))) { block in
        matvecBF16Rows(block, cols: cols, w: w, input: split, y: y)
    }
}

/// Σ of the 16 lanes as a tree, (lanes 0–7 + 8–15) → 8 → 4 → 2 → 1: four vector adds, always inlined. The
/// standard library's `sum()` is an out-of-line generic call here (perf showed it at 6 % of a 12-token prefill).
@inline(__always)
func laneSum(_ v: SIMD16<Float>) -> Float {
    let a = v.lowHalf + v.highHalf
    let b = a.lowHalf + a.highHalf
    let c = b.lowHalf + b.highHalf
    return c.x + c.y
}

/// x [cols] rearranged for `matvecBF16Rows`: per 32-column step, [x[0], x[2], …, x[30] | x[1], x[3], …, x[31]].
struct SplitBF16Input {
    let x: UnsafePointer<Float>
    let split: UnsafeMutablePointer<Float>
    let steps: Int

    init(_ x: UnsafePointer<Float>, cols: Int) {
        self.x = x
        steps = cols / 32
        let vecCols = steps * 32
        split = UnsafeMutableRawPointer.allocate(byteCount: 4 * max(32, vecCols), alignment: 64)
            .bindMemory(to: Float.self, capacity: max(32, vecCols))
        for s in 0..<steps {
            for l in 0..<16 {
                split[s * 32 + l] = x[s * 32 + 2 * l]
                split[s * 32 + 16 + l] = x[s * 32 + 2 * l + 1]
            }
        }
    }

    func deallocate() { split.deallocate() }
}

/// y[r] = W[r]·x for r in `range`, W bf16 [rows, cols] (the per-thread body of `matvecBF16` and `matvecBF16Multi`).
@inline(__always)
func matvecBF16Rows(_ range: Range<Int>, cols: Int, w: UnsafeRawPointer, input: SplitBF16Input,
                    y: UnsafeMutablePointer<Float>) {
    typealias V = SIMD16<Float>
    typealias U = SIMD16<UInt32>
    let steps = input.steps, vecCols = steps * 32
    let xs = UnsafeRawPointer(input.split), x = input.x
    let rowBytes = 2 * cols
    let high = U(repeating: 0xFFFF_0000)

    @inline(__always) func widen(_ lanes: U) -> (even: V, odd: V) {
        (unsafeBitCast(lanes &<< 16, to: V.self), unsafeBitCast(lanes & high, to: V.self))
    }
    @inline(__always) func tail(_ r: Int) -> Float {
        var s: Float = 0
        for t in vecCols..<cols {
            s += BFloat16(bitPattern: w.loadUnaligned(fromByteOffset: r * rowBytes + 2 * t, as: UInt16.self)).float * x[t]
        }
        return s
    }

    var r = range.lowerBound
    while r + 8 <= range.upperBound {                           // 8 rows per pass: 8 streams in flight
        let w0 = w + r * rowBytes
        let next = w0 + 8 * rowBytes                            // the next group: 8 rows = 16·cols bytes = 512 per step
        var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
        let prefetch = EngineOptions.current.matvecPrefetch
        for s in 0..<steps {
            if prefetch {
                prefetch512IntoL2(next + s * 512)
            }
            let xe = xs.loadUnaligned(fromByteOffset: s * 128, as: V.self)
            let xo = xs.loadUnaligned(fromByteOffset: s * 128 + 64, as: V.self)
            // Row k's 32 weights of this step: even columns · xe + odd columns · xo, into one accumulator.
            @inline(__always) func step(_ k: Int, _ acc: inout V) {
                let (even, odd) = widen((w0 + k * rowBytes).loadUnaligned(fromByteOffset: s * 64, as: U.self))
                acc.addProduct(even, xe)
                acc.addProduct(odd, xo)
            }
            step(0, &a0); step(1, &a1); step(2, &a2); step(3, &a3)
            step(4, &a4); step(5, &a5); step(6, &a6); step(7, &a7)
        }
        y[r] = laneSum(a0) + tail(r); y[r + 1] = laneSum(a1) + tail(r + 1)
        y[r + 2] = laneSum(a2) + tail(r + 2); y[r + 3] = laneSum(a3) + tail(r + 3)
        y[r + 4] = laneSum(a4) + tail(r + 4); y[r + 5] = laneSum(a5) + tail(r + 5)
        y[r + 6] = laneSum(a6) + tail(r + 6); y[r + 7] = laneSum(a7) + tail(r + 7)
        r += 8
    }
    while r < range.upperBound {                                // leftover rows, one at a time
        y[r] = laneSum(splitBF16RowDot(w + r * rowBytes, xs, steps: steps)) + tail(r)
        r += 1
    }
}

/// One bf16 row against one split input over `steps` whole 32-column steps (`SplitBF16Input`'s layout at `xs`):
/// Σ of even columns · x-even plus Σ of odd columns · x-odd, as 16 lanes (the caller adds the lanes and the tail).
/// The leftover-row path of `matvecBF16Rows` and `matvecBF16Batch`.
@inline(__always)
func splitBF16RowDot(_ wr: UnsafeRawPointer, _ xs: UnsafeRawPointer, steps: Int) -> SIMD16<Float> {
    typealias V = SIMD16<Float>
    let high = SIMD16<UInt32>(repeating: 0xFFFF_0000)
    var e = V(), o = V()
    for s in 0..<steps {
        let lanes = wr.loadUnaligned(fromByteOffset: s * 64, as: SIMD16<UInt32>.self)
        e.addProduct(unsafeBitCast(lanes &<< 16, to: V.self), xs.loadUnaligned(fromByteOffset: s * 128, as: V.self))
        o.addProduct(unsafeBitCast(lanes & high, to: V.self), xs.loadUnaligned(fromByteOffset: s * 128 + 64, as: V.self))
    }
    return e + o
}
