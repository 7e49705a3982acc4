// MatVecInt4 — 4-bit weights in groups of 32, each group's scale an int8 step of its row's scale: the format, its
// tiled layout, and the decode kernel in Swift.
//
// Format (llama.cpp's Q4_0 arithmetic with the group scales themselves quantised; our own code and layout):
//   W [rows, cols], cols a multiple of 32, is cut along each row into groups of 32 weights. For group g, m[g] = its
//   weight of largest magnitude (with its sign); M = max_g |m[g]| over the row. The row scale is s = M / 1016
//   (= M / (8 · 127), a Float), the group's int8 scale j[g] about round(−127 · m[g] / M), and its step
//   d[g] = j[g] · s ≈ m[g] / −8 — so the row's largest weight lands on −8 and every group uses the 16 codes −8…7
//   as Q4_0 does. q[c] = clamp(round(w[c] / d[g]), −8, 7), and W[r, c] ≈ s[r] · j[r, g] · q[r, c]. Of 9 steps
//   around absmax's (`int4StepFactors`, ±12.5 %), the quantiser keeps the one whose codes rebuild the group with
//   the least squared error.
//   Error: |w − d·q| ≤ |d| / 2 inside the codes' range; the search may keep a smaller step that clamps the group's
//   largest weights (by about 1.14·|d| at factor 0.875, more for a group of small j), when that rebuilds the group
//   better as a whole. A group whose m is below about M / 286 (1/254 with the largest factor, 1.125) has j = 0 and
//   reads as zeros.
//   A group's 32 codes are 16 bytes: byte i holds q[i] + 8 in its low nibble and q[i + 16] + 8 in its high one.
// Layout in memory (tiled, for decode: docs/PERFORMANCE.md, "int4: the tiled layout"):
//   rows in tiles of 8 (`int4TileRows`), columns in blocks of 128 (`int4BlockCols`, 4 groups). Block b of tile t is
//   544 bytes (`int4TileBlockBytes`): row k's 4 groups (64 bytes) at 64k for k < 8, then the 8 rows' 4 group scales
//   j as int8 at 512 + 4k + g. After a tile's last block come its 8 row scales s (f32, 32 bytes). A tile's blocks
//   follow each other, then the next tile: a thread that owns a range of tiles reads one contiguous stream — the
//   hardware prefetcher's best case. Padding rows (rows not a multiple of 8) and padding groups (cols not a multiple
//   of 128) are zero: codes and scales.
//   4 bits + 8 bits / 32 + 32 bits / cols = 4.28 bits a weight for 1024 columns: 0.3B's matrices take 193 MB
//   (int8: 361 MB, bf16: 722 MB).
// Why groups of 32: with one scale per row (int8's choice) one outlier stretches the grid for 1024 weights; 4 bits
// leave only 16 levels, so the grid has to follow the weights closely — 32 per scale is the usual trade.
// Why int8 group scales (docs/PERFORMANCE.md, "int4: int8 group scales and a step search"): an f16 scale per
// group cost 0.5 bit a weight (4.5 bits: 203 MB for the 0.3B); stored as an int8 step of the row's scale it costs
// 0.25 bit, 5 % fewer bytes to stream per token, and rebuilds the weights as closely as the f16 scales did
// (relative squared error 0.00786 both on the trained tiny ERNIE, 0.00668 both on the random 0.3B); the step
// search then lowers that by about a tenth. The price is a floor: a group whose largest weight is below about 1/286
// of its row's largest group's is stored as zeros.
//
// Decode: y[r] = s[r] · Σ_g j[r, g] · Σ_{c ∈ g} q[r, c] · x[c]. Per group: 16 bytes loaded, their low and high
// nibbles widened to floats lane by lane (LLVM's SLP vectoriser makes that a few AVX-512 instructions, as
// int8x16ToFloat), minus 8, dotted with x's 32 values, then scaled by j into the row's accumulator; a tile's 8 rows
// share x's loads; s[r] scales the row's sum once. The naive twin is the definition, accumulated in Double, reading
// W through `int4Code` / `int4Scale`; tests hold the fast kernel to it. On a CPU with AVX-512 VNNI the engine takes
// MatVecInt4VNNI.swift's kernels instead (x rounded to int8, integer dots): this one is their fallback (no VNNI,
// LMLAB_NO_VNNI=1, a non-finite x).

import CKernels

/// Weights per scale in the int4 format.
public let int4GroupSize = 32

/// Quantises one row of `count` weights (a multiple of `int4GroupSize`) into `packed` [count / 2] (16 bytes a
/// group), `scales` [count / 32] (the groups' int8 steps j) and `rowScale` (s); `storeRowInt4` puts them into the
/// tiles. Returns false when the row holds a non-finite weight; the output is then unspecified.
/// `scaleSpan` 64 (an experiment: docs/PERFORMANCE.md, "why groups of 32") takes m from 64 weights, searches the step
/// by the error over all 64 and stores it for both of their groups of 32, so the kernels run unchanged on what a
/// 64-weight format would hold.
///
/// With groups of 32 on an AVX-512 VNNI CPU this is `quantizeRowInt4AVX512` (32 weights a step; the scalar loop was
/// 5–13 % of a short int4 run's samples); otherwise, and for a row that fails, the scalar definition
/// `quantizeRowInt4Naive`. The two agree byte for byte.
public func quantizeRowInt4(_ w: UnsafePointer<Float>, count: Int, packed: UnsafeMutablePointer<UInt8>,
                            scales: UnsafeMutablePointer<Int8>, rowScale: UnsafeMutablePointer<Float>,
                            scaleSpan: Int = int4GroupSize) -> Bool {
    if scaleSpan == int4GroupSize
        && quantizeRowInt4AVX512(w, count: count, packed: packed, scales: scales, rowScale: rowScale) { return true }
    return quantizeRowInt4Naive(w, count: count, packed: packed, scales: scales, rowScale: rowScale, scaleSpan: scaleSpan)
}

/// `quantizeRowInt4`'s definition, one weight at a time: the naive twin the AVX-512 quantiser is tested against.
public func quantizeRowInt4Naive(_ w: UnsafePointer<Float>, count: Int, packed: UnsafeMutablePointer<UInt8>,
                                 scales: UnsafeMutablePointer<Int8>, rowScale: UnsafeMutablePointer<Float>,
                                 scaleSpan: Int = int4GroupSize) -> Bool {
    precondition(count % int4GroupSize == 0, "int4 rows are whole groups of \(int4GroupSize)")
    precondition(scaleSpan == 32 || scaleSpan == 64, "int4 scale span \(scaleSpan): 32 or 64")
    var big: Float = 0                                                  // M: the row's largest magnitude
    for c in 0..<count {
        guard w[c].isFinite else { return false }
        big = max(big, abs(w[c]))
    }
    let s = big / 1016
    let normal = s.isNormal                                             // M below ~1.2e-35: the row reads as zeros
    rowScale.pointee = normal ? s : 0
    let t: Float = normal ? -127 / big : 0, rs = rowScale.pointee
    for first in stride(from: 0, to: count, by: scaleSpan) {           // a span: 1 group, or 2 sharing their step
        let end = min(first + scaleSpan, count)                         // an odd last group of a 64-span: its own 32
        var m: Float = 0
        for c in first..<end where abs(w[c]) > abs(m) { m = w[c] }
        let base = m * t
        var best: Float = 0, bestJ: Float = 0
        for (k, f) in int4StepFactors.enumerated() {                    // the step with the least squared error
            let j = max(-127, min(127, (base * f).rounded(.toNearestOrEven)))
            var err: Float = 0                                          // over the whole span: both groups of 64
            for g in stride(from: first, to: end, by: int4GroupSize) { err += int4GroupCodes(w + g, step: j * rs).error }
            if k == 0 || err < best { best = err; bestJ = j }
        }
        for g in stride(from: first, to: end, by: int4GroupSize) {
            let (lo, hi, _) = int4GroupCodes(w + g, step: bestJ * rs)
            scales[g / int4GroupSize] = Int8(bestJ)
            for i in 0..<16 { packed[g / 2 + i] = UInt8(lo[i] + 8) | (UInt8(hi[i] + 8) << 4) }
        }
    }
    return true
}

/// One group's codes for step `d` (as the kernels see it: j · s) — weights i and i + 16 — and the squared error
/// Σ (w − d·q)² summed in `int4TreeSum`'s fixed order, which the AVX-512 quantiser repeats.
@inline(__always)
func int4GroupCodes(_ group: UnsafePointer<Float>, step d: Float) -> (lo: SIMD16<Float>, hi: SIMD16<Float>, error: Float) {
    let inverse: Float = d == 0 ? 0 : 1 / d
    var lo = SIMD16<Float>(), hi = SIMD16<Float>(), lanes = SIMD16<Float>()
    for i in 0..<16 {
        lo[i] = max(-8, min(7, group[i] * inverse)).rounded(.toNearestOrEven)
        hi[i] = max(-8, min(7, group[i + 16] * inverse)).rounded(.toNearestOrEven)
        let e0 = group[i] - d * lo[i], e1 = group[i + 16] - d * hi[i]
        lanes[i] = e0 * e0 + e1 * e1
    }
    return (lo, hi, int4TreeSum(lanes))
}

/// The steps the quantiser tries for each group, as factors of j's absmax choice round(−127 · m / M), nearest
/// first: the error Σ (w − d·q)² of each is measured and the least kept (the first of equals), so absmax's step stays
/// unless another is strictly better. 9 tries cut the relative squared error of the rebuilt weights by about a
/// tenth (docs/PERFORMANCE.md, "int4: int8 group scales and a step search"). CKernels' `ck_i4_step_factors` is
/// the same list (the byte-for-byte test of the two quantisers fails if they part).
public let int4StepFactors: [Float] = [1, 0.96875, 1.03125, 0.9375, 1.0625, 0.90625, 1.09375, 0.875, 1.125]

/// Σ of 16 floats in the quantiser's fixed order: lanes i and i + 8, then i and i + 4, i + 2, i + 1 (CKernels'
/// `ck_i4_tree_sum`, so both pick the same step).
@inline(__always)
func int4TreeSum(_ lanes: SIMD16<Float>) -> Float {
    var a = lanes, k = 8
    while k > 0 {
        for i in 0..<k { a[i] = a[i] + a[i + k] }
        k /= 2
    }
    return a[0]
}

// The layout's sizes are defined once, in CKernels' ckernels_int4.h, which the VNNI kernel reads too.

/// Rows per tile of the int4 layout.
public let int4TileRows = Int(CK_I4_TILE_ROWS)
/// Columns per block of a tile: 4 groups of 32, one 64-byte load of nibbles per row.
public let int4BlockCols = Int(CK_I4_BLOCK_COLS)
/// Bytes of one block of a tile: 8 rows × 64 bytes of nibbles, then 8 rows × 4 int8 group scales.
public let int4TileBlockBytes = Int(CK_I4_TILE_BLOCK)

/// Bytes of one tile of W `cols` wide: its blocks of 128 columns, then its 8 row scales (f32).
@inline(__always)
public func int4TileBytes(cols: Int) -> Int { Int(ck_int4_tile_bytes(Int32(cols))) }

/// Bytes of W [rows, cols] in the tiled int4 layout (rows padded to tiles of 8, cols to blocks of 128).
public func int4TiledByteCount(rows: Int, cols: Int) -> Int {
    (rows + int4TileRows - 1) / int4TileRows * int4TileBytes(cols: cols)
}

/// Byte offset of row r's block b (columns 128b…128b+127) in the tiled layout of W `cols` wide.
@inline(__always)
func int4BlockOffset(row r: Int, block b: Int, cols: Int) -> Int {
    r / int4TileRows * int4TileBytes(cols: cols) + b * int4TileBlockBytes
}

/// Byte offset of row r's scale s (f32) in the tiled layout of W `cols` wide: after its tile's blocks.
@inline(__always)
func int4RowScaleOffset(row r: Int, cols: Int) -> Int {
    (r / int4TileRows + 1) * int4TileBytes(cols: cols) - 32 + 4 * (r % int4TileRows)
}

/// q[r, c] (−8…7) of tiled int4 W `cols` wide (cols a multiple of 32).
@inline(__always)
public func int4Code(_ tiles: UnsafeRawPointer, cols: Int, _ r: Int, _ c: Int) -> Int {
    let byte = tiles.load(fromByteOffset: int4BlockOffset(row: r, block: c / int4BlockCols, cols: cols)
                              + 64 * (r % int4TileRows) + 16 * (c % int4BlockCols / 32) + c % 16, as: UInt8.self)
    return Int(c % 32 < 16 ? byte & 0x0F : byte >> 4) - 8
}

/// j[r, g] (−127…127) of tiled int4 W `cols` wide: the int8 step of row r's group g (columns 32g…32g+31).
@inline(__always)
public func int4GroupStep(_ tiles: UnsafeRawPointer, cols: Int, _ r: Int, group g: Int) -> Int8 {
    tiles.load(fromByteOffset: int4BlockOffset(row: r, block: g / 4, cols: cols) + 512 + 4 * (r % int4TileRows) + g % 4,
               as: Int8.self)
}

/// s[r] of tiled int4 W `cols` wide: row r's scale.
@inline(__always)
public func int4RowScale(_ tiles: UnsafeRawPointer, cols: Int, _ r: Int) -> Float {
    tiles.loadUnaligned(fromByteOffset: int4RowScaleOffset(row: r, cols: cols), as: Float.self)
}

/// d[r, g] = j[r, g] · s[r] of tiled int4 W `cols` wide: the step of row r's group g, as the quantiser chose it.
@inline(__always)
public func int4Scale(_ tiles: UnsafeRawPointer, cols: Int, _ r: Int, group g: Int) -> Float {
    Float(int4GroupStep(tiles, cols: cols, r, group: g)) * int4RowScale(tiles, cols: cols, r)
}

/// Puts row r, quantised by `quantizeRowInt4` (packed [cols / 2], scales [cols / 32], its row scale), into `tiles`
/// (zeroed beforehand, `int4TiledByteCount(rows:cols:)` bytes). Rows may be stored from different threads.
public func storeRowInt4(_ r: Int, cols: Int, packed: UnsafePointer<UInt8>, scales: UnsafePointer<Int8>, rowScale: Float,
                         into tiles: UnsafeMutableRawPointer) {
    precondition(cols % int4GroupSize == 0, "int4 rows are whole groups of \(int4GroupSize)")
    for g in 0..<(cols / int4GroupSize) {
        let block = tiles + int4BlockOffset(row: r, block: g / 4, cols: cols)
        (block + 64 * (r % int4TileRows) + 16 * (g % 4)).copyMemory(from: packed + 16 * g, byteCount: 16)
        block.storeBytes(of: scales[g], toByteOffset: 512 + 4 * (r % int4TileRows) + g % 4, as: Int8.self)
    }
    tiles.storeBytes(of: rowScale, toByteOffset: int4RowScaleOffset(row: r, cols: cols), as: Float.self)
}

/// W[r, c] for c < count of tiled int4 W `cols` wide (its padded width), widened into `out` [count].
public func dequantizeRowInt4(_ tiles: UnsafeRawPointer, cols: Int, row r: Int, count: Int,
                              into out: UnsafeMutablePointer<Float>) {
    let s = int4RowScale(tiles, cols: cols, r)                          // d = j · s, as `int4Scale`
    for g in 0..<((count + int4GroupSize - 1) / int4GroupSize) {
        let block = tiles + int4BlockOffset(row: r, block: g / 4, cols: cols)
        let n = block + 64 * (r % int4TileRows) + 16 * (g % 4)          // the group's 16 bytes of codes
        let d = Float(int4GroupStep(tiles, cols: cols, r, group: g)) * s
        for j in 0..<16 {
            let b = n.load(fromByteOffset: j, as: UInt8.self)
            if g * 32 + j < count { out[g * 32 + j] = d * Float(Int(b & 0x0F) - 8) }
            if g * 32 + j + 16 < count { out[g * 32 + j + 16] = d * Float(Int(b >> 4) - 8) }
        }
    }
}

/// Reference int4 matvec: y[r] = Σ_g d[r, g] · Σ_{c ∈ g} q[r, c] · x[c] (d = j · s), accumulated in Double.
///
/// - Parameters: tiles of W [rows, cols] in the tiled layout, x [cols], y [rows]; cols a multiple of 32.
public func matvecInt4Naive(rows: Int, cols: Int, tiles: UnsafeRawPointer,
                            x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>) {
    for r in 0..<rows {
        var sum = 0.0
        for g in 0..<(cols / int4GroupSize) {
            var s = 0.0
            for c in (g * 32)..<(g * 32 + 32) { s += Double(int4Code(tiles, cols: cols, r, c)) * Double(x[c]) }
            sum += Double(int4Scale(tiles, cols: cols, r, group: g)) * s
        }
        y[r] = Float(sum)
    }
}

/// Fast int4 matvec with the contract of `matvecInt4Naive` (float32 accumulation, s[r] applied to the row's sum).
///
/// Blocking: tiles split over threads (`parallelFor`); a tile's 8 rows share each group's 32 values of x.
public func matvecInt4(rows: Int, cols: Int, tiles: UnsafeRawPointer,
                       x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, threads: Int = labThreadCount) {
    typealias V = SIMD16<Float>
    precondition(cols % int4GroupSize == 0, "int4 rows are whole groups of \(int4GroupSize)")
    let groups = cols / int4GroupSize, tileBytes = int4TileBytes(cols: cols)
    let xs = UnsafeRawPointer(x)
    let eight = V(repeating: 8)

    /// The group's 32 weights (before scaling) dotted with x0 (its first 16 columns) and x1 (the next 16).
    @inline(__always) func groupDot(_ p: UnsafeRawPointer, _ x0: V, _ x1: V) -> V {
        let b = p.loadUnaligned(as: SIMD16<UInt8>.self)
        var lo = V(), hi = V()
        for i in 0..<16 { lo[i] = Float(Int32(b[i] & 0x0F)); hi[i] = Float(Int32(b[i] >> 4)) }
        var t = (lo - eight) * x0
        t.addProduct(hi - eight, x1)
        return t
    }

    let tileCount = (rows + int4TileRows - 1) / int4TileRows
    parallelFor(tileCount, threads: threads, minChunk: max(1, 16_384 / max(cols, 1))) { range in
        for t in range {
            let tile = tiles + t * tileBytes
            var a0 = V(), a1 = V(), a2 = V(), a3 = V(), a4 = V(), a5 = V(), a6 = V(), a7 = V()
            for g in 0..<groups {
                let block = tile + g / 4 * int4TileBlockBytes, n = block + 16 * (g % 4), d = block + 512 + g % 4
                let x0 = xs.loadUnaligned(fromByteOffset: g * 128, as: V.self)
                let x1 = xs.loadUnaligned(fromByteOffset: g * 128 + 64, as: V.self)
                @inline(__always) func step(_ k: Int, _ acc: inout V) {
                    let step = Float(d.load(fromByteOffset: 4 * k, as: Int8.self))     // j; s at the row's end
                    acc.addProduct(groupDot(n + 64 * k, x0, x1), V(repeating: step))
                }
                step(0, &a0); step(1, &a1); step(2, &a2); step(3, &a3)
                step(4, &a4); step(5, &a5); step(6, &a6); step(7, &a7)
            }
            let r0 = t * int4TileRows, valid = min(int4TileRows, rows - r0)    // padding rows: not stored
            let rowScales = tile + tileBytes - 32
            @inline(__always) func put(_ k: Int, _ a: V) {
                if k < valid { y[r0 + k] = laneSum(a) * rowScales.loadUnaligned(fromByteOffset: 4 * k, as: Float.self) }
            }
            put(0, a0); put(1, a1); put(2, a2); put(3, a3); put(4, a4); put(5, a5); put(6, a6); put(7, a7)
        }
    }
}
