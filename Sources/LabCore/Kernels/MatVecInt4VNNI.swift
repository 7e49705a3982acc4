// MatVecInt4VNNI — the int4 decode kernels that run on AVX-512 VNNI (CKernels' matvec_int4_vnni.c), and the naive
// twin of their arithmetic.
//
// MatVecInt4.swift's Swift kernel widens every nibble to a float: compute-bound, slower than int8 although it reads
// 0.63× the bytes (docs/PERFORMANCE.md, "int4 weights"). These kernels do what llama.cpp's Q4_0 × Q8_0 dot does:
// x is quantised to int8 once per matvec, one scale per group of 32 (dx = max|x| / 127, qx = round(x / dx)), and
// each group's 32 nibbles are dotted with qx in integers (`vpdpbusd`, 64 products per instruction):
//   y[r] ≈ s[r] · Σ_g j[r, g] · dx[g] · Σ_{i<32} q[r, g, i] · qx[g, i]     (d[r, g] = s[r] · j[r, g])
// The extra error is x's rounding: |Δy[r]| ≤ Σ_g |d[r, g]| · (dx[g] / 2) · Σ_j |q[r, g, j]| (plus float rounding).
// `matvecInt4Q8Naive` is that arithmetic in Double (W read through `int4Code` / `int4Scale`), the twin the tests hold the C kernels to; `matvecInt4Naive`
// (no x rounding) is the definition they are held to within the bound above.
// The C code runs only when the CPU has AVX-512 F/BW/VL + VNNI and `EngineOptions.vnni` is on (LMLAB_NO_VNNI=1
// turns it off), and only for a finite x: otherwise these functions return false and the caller runs the Swift path.

import CKernels

/// Whether the int4 matvecs may take the VNNI kernels.
public enum Int4KernelPolicy {
    /// The CPU and OS run AVX-512 VNNI (whatever `EngineOptions.vnni` says).
    public static let vnniSupported: Bool = ck_avx512vnni_supported()
    /// false = the Swift kernel for the current task (and the model calls it makes): tests compare both paths in
    /// one process, as `BF16GemmPolicy.$forced` does for bf16 products.
    @TaskLocal public static var allowVNNI = true
}

/// True when the VNNI int4 kernels run here: the CPU has them, `EngineOptions.vnni` is on (LMLAB_NO_VNNI unset)
/// and the task allows them (`Int4KernelPolicy.allowVNNI`).
public var int4VNNIEnabled: Bool {
    Int4KernelPolicy.vnniSupported && EngineOptions.current.vnni && Int4KernelPolicy.allowVNNI
}

/// One row quantised to int4 by `ck_int4_quantize_row` (AVX-512: 32 weights a step), byte for byte
/// `quantizeRowInt4Naive` with groups of 32. False — run the twin — on a CPU without AVX-512 VNNI and for a row the
/// twin would refuse (NaN, ±∞). Load-time work, not a kernel choice: it runs whatever `EngineOptions.vnni` says,
/// since both give the same bytes.
public func quantizeRowInt4AVX512(_ w: UnsafePointer<Float>, count: Int, packed: UnsafeMutablePointer<UInt8>,
                                  scales: UnsafeMutablePointer<Int8>, rowScale: UnsafeMutablePointer<Float>) -> Bool {
    ck_int4_quantize_row(w, Int32(count), packed, scales, rowScale)
}

/// x [cols] quantised as the VNNI kernels quantise it: per group of 32, dx = max|x| / 127 and
/// qx = round-to-even(x / dx) (0 where dx = 0). Nil when x holds NaN or ±∞.
public func quantizeGroupsInt8Naive(_ x: UnsafePointer<Float>, cols: Int) -> (qx: [Int8], dx: [Float])? {
    var qx = [Int8](repeating: 0, count: cols), dx = [Float](repeating: 0, count: cols / int4GroupSize)
    for g in 0..<(cols / int4GroupSize) {
        var m: Float = 0
        for j in 0..<int4GroupSize {
            guard x[g * 32 + j].isFinite else { return nil }
            m = max(m, abs(x[g * 32 + j]))
        }
        let d = m / 127
        dx[g] = d
        for j in 0..<int4GroupSize where d != 0 {
            qx[g * 32 + j] = Int8(max(-127, min(127, (x[g * 32 + j] / d).rounded(.toNearestOrEven))))
        }
    }
    return (qx, dx)
}

/// The VNNI kernels' arithmetic in Double: y[r] = Σ_g d[r, g] · dx[g] · Σ_j q[r, g, j] · qx[g, j]. False (y
/// untouched) when x holds NaN or ±∞. W in the tiled layout, as `matvecInt4Naive`.
public func matvecInt4Q8Naive(rows: Int, cols: Int, tiles: UnsafeRawPointer,
                              x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) -> Bool {
    guard let (qx, dx) = quantizeGroupsInt8Naive(x, cols: cols) else { return false }
    for r in 0..<rows {
        var sum = 0.0
        for g in 0..<(cols / int4GroupSize) {
            var s = 0
            for c in (g * 32)..<(g * 32 + 32) { s += int4Code(tiles, cols: cols, r, c) * Int(qx[c]) }
            sum += Double(int4Scale(tiles, cols: cols, r, group: g)) * Double(dx[g]) * Double(s)
        }
        y[r] = Float(sum)
    }
    return true
}

/// `count` vectors of `cols` floats, prepared for the C kernels (64-byte aligned scratch), or nil when the VNNI path
/// does not run (no VNNI, switched off, or a non-finite x).
private func withPreparedInt4Inputs(_ x: UnsafePointer<Float>, cols: Int, count: Int,
                                    _ body: (UnsafeRawPointer) -> Void) -> Bool {
    guard int4VNNIEnabled, cols % int4GroupSize == 0, cols > 0 else { return false }
    let stride = ck_int4_prepared_bytes(Int32(cols))
    return withUnsafeTemporaryAllocation(byteCount: stride * count, alignment: 64) { buffer in
        for b in 0..<count {
            guard ck_int4_prepare_x(x + b * cols, Int32(cols), buffer.baseAddress! + b * stride) else { return false }
        }
        body(UnsafeRawPointer(buffer.baseAddress!))
        return true
    }
}

/// Tiles per thread below which a matvec stays on one thread: about 16 K weights.
private func int4MinTiles(cols: Int, batch: Int = 1) -> Int { max(1, 16_384 / max(cols * batch, 1)) }

/// Tiles per range in the last quarter of a matvec, which the threads share out as they come free
/// (`parallelFor`'s `tailGrain`): about 64 KB of weights, so a claim costs little next to reading its tiles.
func int4TailGrain(cols: Int) -> Int {
    max(1, 65_536 / int4TileBytes(cols: cols))
}

/// y = W·x for int4 W (tiled, as `matvecInt4Naive`) on the VNNI kernel, tiles split over threads. Returns false,
/// writing nothing, when the VNNI path does not run here (then use `matvecInt4`).
public func matvecInt4VNNI(rows: Int, cols: Int, tiles: UnsafeRawPointer,
                           x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) -> Bool {
    withPreparedInt4Inputs(x, cols: cols, count: 1) { prepared in
        parallelFor((rows + int4TileRows - 1) / int4TileRows, threads: threads, minChunk: int4MinTiles(cols: cols),
                    tailGrain: int4TailGrain(cols: cols)) { t in
            ck_matvec_int4_vnni(tiles.assumingMemoryBound(to: UInt8.self), Int32(rows), Int32(cols), prepared,
                                Int32(t.lowerBound), Int32(t.upperBound), y)
        }
    }
}

/// Y[b] = W·X[b] for b < batch (x [batch, cols], y [batch, rows]) on the VNNI kernel; each tile is read from
/// memory once for all vectors. Returns false, writing nothing, when the VNNI path does not run here.
public func matvecInt4BatchVNNI(rows: Int, cols: Int, batch: Int, tiles: UnsafeRawPointer,
                                x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
                                threads: Int = labThreadCount) -> Bool {
    precondition(batch >= 1, "matvecInt4BatchVNNI: batch \(batch) must be ≥ 1")
    return withPreparedInt4Inputs(x, cols: cols, count: batch) { prepared in
        parallelFor((rows + int4TileRows - 1) / int4TileRows, threads: threads,
                    minChunk: int4MinTiles(cols: cols, batch: batch), tailGrain: int4TailGrain(cols: cols)) { t in
            ck_matvec_int4_vnni_batch(tiles.assumingMemoryBound(to: UInt8.self), Int32(rows), Int32(cols), prepared,
                                      Int32(batch), Int32(t.lowerBound), Int32(t.upperBound), y, Int32(rows))
        }
    }
}

/// One int4 matrix of a fused matvec: its tiles, rows, and its output y [rows].
public struct Int4MatVecPart {
    public let tiles: UnsafeRawPointer
    public let rows: Int
    public let y: UnsafeMutablePointer<Float>

    public init(tiles: UnsafeRawPointer, rows: Int, y: UnsafeMutablePointer<Float>) {
        self.tiles = tiles; self.rows = rows; self.y = y
    }
}

/// y_i = W_i·x for every part (all `cols` wide) in one parallel region, x quantised once (as `matvecBF16Multi` does
/// for bf16: attention's q/k/v, SwiGLU's gate/up). The parts' tiles are split over the threads as one range, so
/// each thread reads one contiguous run of each part it touches. Each y_i equals `matvecInt4VNNI` of its part bit
/// for bit. Returns false, writing nothing, when the VNNI path does not run here.
public func matvecInt4MultiVNNI(_ parts: [Int4MatVecPart], cols: Int, x: UnsafePointer<Float>,
                                threads: Int = labThreadCount) -> Bool {
    let tileCounts = parts.map { ($0.rows + int4TileRows - 1) / int4TileRows }
    return withPreparedInt4Inputs(x, cols: cols, count: 1) { prepared in
        parallelFor(tileCounts.reduce(0, +), threads: threads, minChunk: int4MinTiles(cols: cols),
                    tailGrain: int4TailGrain(cols: cols)) { block in
            var offset = 0                                      // first combined tile of the part
            for (part, count) in zip(parts, tileCounts) {
                let lo = max(block.lowerBound, offset), hi = min(block.upperBound, offset + count)
                if lo < hi {
                    ck_matvec_int4_vnni(part.tiles.assumingMemoryBound(to: UInt8.self), Int32(part.rows), Int32(cols),
                                        prepared, Int32(lo - offset), Int32(hi - offset), part.y)
                }
                offset += count
            }
        }
    }
}
