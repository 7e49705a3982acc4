// WeightMatrix — one stored linear-layer weight W [out, in], read in place from the mapped checkpoint.
//
// nn.Linear computes y = x Wᵀ with W stored row-major [out_features, in_features]. ERNIE-4.5 ships W in bf16;
// the tiny lab checkpoints are f32; f16 is accepted too. By default the bytes are never copied at load time: this
// value holds a pointer into the memory map (only 2-byte aligned, so reads are unaligned loads) and widens to f32
// in registers, accumulating in f32. A model loaded with another `WeightPrecision` holds converted copies in owned
// memory instead (`owner`), including int8 with per-row scales (WeightQuantization.swift).
//
// Three ways to apply it, chosen by how many rows of x there are:
//   decode  (1 row)     y = W·x, a matrix–vector product: every weight is read once, so speed = memory bandwidth;
//   beams   (2…16 rows) Y[b] = W·X[b], bf16 W: each weight read once and widened in registers for all rows
//                       (matvecBF16Batch) — B beams cost about one decode, not B;
//   prefill (N rows)    Y = X·Wᵀ, a matrix product (gemm): each weight is reused N times from cache.
// For 16-bit weights the matrix path widens a block of W's rows to f32 at a time and multiplies that block,
// so the scratch stays small (≤ 4 MB) even for the 103424-row embedding used as lm_head.

import LabCore
import ModelFiles

/// A row-major weight matrix [rows, cols] in the checkpoint's own dtype.
public struct WeightMatrix: @unchecked Sendable {
    /// Element types the engine reads. The first three are safetensors dtypes read in place; `int8` and `int4` are
    /// made at load time by `WeightPrecision` (int8: q [rows, cols] Int8 + `scales` [rows]; int4: nibbles, int8
    /// group scales and f32 row scales together in tiles of 8 rows × 128 columns, LabCore's MatVecInt4.swift) and never read from a file.
    public enum Storage: String, Sendable {
        case f32 = "F32", bf16 = "BF16", f16 = "F16", int8 = "I8 + row scales", int4 = "I4 + group scales"

        /// The storage of a checkpoint tensor's dtype, or nil when the engine cannot read that dtype in place.
        public init?(checkpointDType dtype: String) {
            switch dtype {
            case "F32": self = .f32
            case "BF16": self = .bf16
            case "F16": self = .f16
            default: return nil
            }
        }
    }

    /// Checkpoint name, for messages (`model.layers.0.self_attn.q_proj.weight`).
    public let name: String
    /// out_features (rows of W).
    public let rows: Int
    /// in_features (columns of W).
    public let cols: Int
    public let storage: Storage
    /// The first byte of W; valid while the checkpoint that owns it is alive (ErnieWeights keeps it), or
    /// while `owner` is (converted weights).
    public let base: UnsafeRawPointer
    /// int8 only: s [rows], W[r, c] ≈ s[r] · q[r, c] (int4 keeps its scales inside its tiles).
    let scales: UnsafePointer<Float>?
    /// The owned memory `base` (and `scales`) point into, when this matrix was converted at load.
    let owner: WeightBuffer?

    public init(name: String, rows: Int, cols: Int, storage: Storage, base: UnsafeRawPointer) {
        precondition(storage != .int8 && storage != .int4, "\(name): quantised weights are made by WeightQuantization")
        self.init(name: name, rows: rows, cols: cols, storage: storage, base: base, scales: nil, owner: nil)
    }

    init(name: String, rows: Int, cols: Int, storage: Storage, base: UnsafeRawPointer,
         scales: UnsafePointer<Float>? = nil, owner: WeightBuffer?) {
        self.name = name; self.rows = rows; self.cols = cols; self.storage = storage; self.base = base
        self.scales = scales; self.owner = owner
    }

    /// Bytes of one element; int4's half byte has no whole answer (its rows live in tiles: `int4Code`).
    public var bytesPerElement: Int {
        switch storage {
        case .f32: return 4
        case .bf16, .f16: return 2
        case .int8: return 1
        case .int4: preconditionFailure("\(name): int4 elements are half a byte in tiles; use int4Code")
        }
    }

    /// Bytes of one row of W's elements (f32, bf16, f16, int8: row-major in place).
    public var rowBytes: Int { cols * bytesPerElement }

    /// The columns an int4 row holds: `cols` rounded up to whole groups of 32, the padding weights 0 (a tiny MoE's
    /// experts are 170 wide). The kernels read x padded with zeros to this width.
    public var int4Cols: Int { (cols + int4GroupSize - 1) / int4GroupSize * int4GroupSize }

    /// Bytes a full pass over W reads: the elements, plus the scales of int8 (one per row) or int4 (one per group and one per row).
    public var byteCount: Int { WeightMatrix.byteCount(rows: rows, cols: cols, storage: storage) }

    /// W[r, c] widened to Float (reference path; slow).
    @inline(__always)
    public func element(_ r: Int, _ c: Int) -> Float {
        if storage == .int4 {                        // d[r, g] · q[r, c] from the tiles
            return int4Scale(base, cols: int4Cols, r, group: c / int4GroupSize) * Float(int4Code(base, cols: int4Cols, r, c))
        }
        let offset = (r * cols + c) * bytesPerElement
        switch storage {
        case .int4: preconditionFailure("handled above")
        case .f32: return base.loadUnaligned(fromByteOffset: offset, as: Float.self)
        case .bf16: return BFloat16(bitPattern: base.loadUnaligned(fromByteOffset: offset, as: UInt16.self)).float
        case .f16: return float16BitsToFloat(base.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
        case .int8: return scales![r] * Float(base.load(fromByteOffset: offset, as: Int8.self))
        }
    }

    /// Row r of W widened to Float into `out[0..<cols]` (an embedding lookup is this).
    public func widenRow(_ r: Int, into out: UnsafeMutablePointer<Float>) {
        widenRows(r..<(r + 1), into: out)
    }

    /// Rows `range` of W widened to Float into `out` [range.count, cols].
    public func widenRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Float>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "\(name): rows \(range) of \(rows)")
        let n = range.count * cols
        if storage == .int4 {                        // dequantise each group: d · q (the padding is not written)
            for (i, r) in range.enumerated() { dequantizeRowInt4(base, cols: int4Cols, row: r, count: cols, into: out + i * cols) }
            return
        }
        let src = base + range.lowerBound * rowBytes
        switch storage {
        case .int4: preconditionFailure("handled above")
        case .f32:
            UnsafeMutableRawPointer(out).copyMemory(from: src, byteCount: 4 * n)
        case .bf16:                                  // bf16 is the top half of a float32: shift left by 16
            for i in 0..<n {
                out[i] = Float(bitPattern: UInt32(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16)
            }
        case .f16:
            for i in 0..<n { out[i] = float16BitsToFloat(src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) }
        case .int8:                                  // dequantise: s[r] · q[r, c]
            let q = src.assumingMemoryBound(to: Int8.self)
            for (i, r) in range.enumerated() {
                let s = scales![r]
                for c in 0..<cols { out[i * cols + c] = s * Float(q[i * cols + c]) }
            }
        }
    }

    /// y = W·x — the decode path. x [cols], y [rows].
    public func matvec(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
        switch storage {
        case .f32: LabCore.matvec(rows: rows, cols: cols, w: base.assumingMemoryBound(to: Float.self), x: x, y: y)
        case .bf16: matvecBF16(rows: rows, cols: cols, w: base, x: x, y: y)
        case .int8: applyInt8(x, count: 1, y)
        case .int4: applyInt4(x, count: 1, y)
        case .f16:
            // No fast f16 kernel (no shipped checkpoint is f16): widen one row at a time.
            let row = UnsafeMutablePointer<Float>.allocate(capacity: cols)
            defer { row.deallocate() }
            for r in 0..<rows {
                widenRow(r, into: row)
                y[r] = dot(row, x, count: cols)
            }
        }
    }

    /// The most rows of X that take the batched matvec (bf16 W): beam search's beams, short prompts. Measured
    /// on one core of this project's AVX-512 machine (docs/PERFORMANCE.md, "Batched decode"): at 16 rows the
    /// batched kernel still takes 0.5–0.6× the time of widening W to f32 for gemm (3072×1024 and 103424×1024);
    /// gemm's own skinny path ends at 16 rows too, beyond which reuse from cache starts to pay.
    public static let batchedMatvecMaxRows = 16

    /// Y = X·Wᵀ for `count` rows of X. x [count, cols], y [count, rows].
    /// One row goes through `matvec`; a few rows of a bf16 W (a beam-search step) through `matvecBF16Batch`,
    /// which widens each weight in registers once for all rows; more rows (prefill) through `gemm`. Every path
    /// streams the weights from memory once for all rows.
    public func apply(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        if count == 1 { matvec(x, y); return }
        if storage == .int8 { applyInt8(x, count: count, y); return }      // WeightQuantization.swift
        if storage == .int4 { applyInt4(x, count: count, y); return }      // WeightQuantizationInt4.swift
        if storage == .bf16 && count <= Self.batchedMatvecMaxRows {
            matvecBF16Batch(rows: rows, cols: cols, batch: count, w: base, x: x, y: y)
            return
        }
        if storage == .f32 {
            gemm(transA: false, transB: true, m: count, n: rows, k: cols,
                 a: x, lda: cols, b: base.assumingMemoryBound(to: Float.self), ldb: cols,
                 c: y, ldc: rows, accumulate: false)
            return
        }
        if storage == .bf16 {
            // LabCore's GEMMBF16.swift: the AMX tile unit, else AVX512-BF16 dot products, when present (activations
            // rounded to bf16, f32 sums — what PyTorch's own bf16 run does), otherwise W widened to f32 for the f32
            // gemm; `EngineOptions.amx` off (`--no-amx`) forces the widening path (docs/PERFORMANCE.md, "bf16
            // prefill on AMX" and "on AVX512-BF16").
            gemmBF16Weights(m: count, n: rows, k: cols, a: x, lda: cols, w: base, ldw: cols, c: y, ldc: rows)
            return
        }
        applyWidened(x, count: count, y)                                   // f16 W
    }

    /// y_i = x W_iᵀ for every (W_i, y_i) reading the same x [count, cols]; y_i [count, W_i.rows].
    ///
    /// Attention's q, k and v projections all read RMSNorm(h); SwiGLU's gate and up projections both read the
    /// second RMSNorm(h). For one row (a decode step) over bf16 weights they go through `matvecBF16Multi` (int4
    /// on VNNI: `matvecInt4MultiVNNI`, x quantised once): one parallel region over all their rows instead of one
    /// per matrix, which saves a start and a wait per matrix (18 layers × 3 per token for ERNIE-4.5-0.3B),
    /// bit-identical to applying each matrix alone. Every other case
    /// (several rows, other storage, `EngineOptions.fusedMatvec` off for an A/B benchmark) applies them one by one.
    static func applyAll(_ x: UnsafePointer<Float>, count: Int,
                         to outputs: [(matrix: WeightMatrix, y: UnsafeMutablePointer<Float>)]) {
        let cols = outputs.first?.matrix.cols ?? 0
        if count == 1, EngineOptions.current.fusedMatvec,
           outputs.allSatisfy({ $0.matrix.storage == .bf16 && $0.matrix.cols == cols }) {
            matvecBF16Multi(outputs.map { BF16MatVecPart(w: $0.matrix.base, rows: $0.matrix.rows, y: $0.y) },
                            cols: cols, x: x)
            return
        }
        if count == 1, EngineOptions.current.fusedMatvec,
           outputs.allSatisfy({ $0.matrix.storage == .int4 && $0.matrix.cols == cols }), cols % int4GroupSize == 0,
           matvecInt4MultiVNNI(outputs.map { Int4MatVecPart(tiles: $0.matrix.base, rows: $0.matrix.rows, y: $0.y) },
                               cols: cols, x: x) {
            return                                                          // int4 on VNNI: x quantised once
        }
        for (matrix, y) in outputs { matrix.apply(x, count: count, y) }
    }

    /// Y = X·Wᵀ by widening a block of W's rows to f32 at a time (in parallel) and multiplying it with gemm: the
    /// matrix path of every storage without a gemm of its own (f16, and int8 / int4 dequantised). W is read once
    /// for all `count` rows of X; the scratch stays ≤ 4 MB whatever W's size.
    func applyWidened(_ x: UnsafePointer<Float>, count: Int, _ y: UnsafeMutablePointer<Float>) {
        let block = max(1, min(rows, (1 << 20) / max(cols, 1)))      // ≤ 1 Mi floats = 4 MB of scratch
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: block * cols)
        defer { scratch.deallocate() }
        for r0 in stride(from: 0, to: rows, by: block) {
            let n = min(block, rows - r0)
            parallelFor(n, minChunk: max(1, 16_384 / max(cols, 1))) { part in
                widenRows((r0 + part.lowerBound)..<(r0 + part.upperBound), into: scratch + part.lowerBound * cols)
            }
            gemm(transA: false, transB: true, m: count, n: n, k: cols,
                 a: x, lda: cols, b: scratch, ldb: cols, c: y + r0, ldc: rows, accumulate: false)
        }
    }
}
