// WeightPrecision — the number format the engine computes with, chosen when a model is loaded.
//
// A checkpoint stores its weights in one dtype (ERNIE-4.5: bf16; the lab's tiny models: f32). The lesson on
// today's LLMs asks what that choice costs, so the engine can also convert at load time:
//   as-stored  read the file's bytes in place (mmap, no copy): the default, the fastest to load, and the only way
//              to run a model larger than the machine's memory;
//   bf16       round f32/f16 weights to bfloat16 (round to nearest, ties to even — PyTorch's `.to(torch.bfloat16)`);
//              a bf16 checkpoint is already that, and its bytes are copied as they are;
//   f32        widen to float32: the reference the other formats are measured against
//              (4 bytes per weight: the 0.3B then takes 1.4 GB); an f32 checkpoint's bytes are copied as they are;
//   int8       symmetric per-row quantisation (WeightQuantization.swift): W[r, c] ≈ s[r] · q[r, c] with q ∈ [−127, 127],
//              1 byte per weight + one float per row — half of bf16's bytes, so decoding streams half the memory;
//   int4       4 bits per weight in groups of 32, each group's scale an int8 step of its row's scale
//              (WeightQuantizationInt4.swift: llama.cpp's Q4_0 arithmetic with the scales quantised too, tiled for
//              decode): 4.28 bits a weight, a little over a quarter of bf16's bytes.
// Norm gains are always widened to Float (ErnieWeights); only the weight matrices change format. Every computation
// still accumulates in float32: the precision is that of the stored weights, not of the arithmetic.
//
// Every precision but as-stored holds the matrices in the lab's own memory, on 2 MB pages (WeightArena.swift), even
// when the format does not change: decode reads every weight once a token, and on this machine a fresh copy streams
// faster than the file's pages in the page cache (bf16 0.3B decode 1.20× in 8 alternated pairs, docs/PERFORMANCE.md,
// "bf16 weights in the lab's own memory"), for about 0.5 s more at load.

import LabCore
#if canImport(Glibc)
import Glibc
#endif

/// How the weight matrices of a model are held in memory.
public enum WeightPrecision: String, CaseIterable, Sendable {
    case asStored = "as-stored", bf16, f32, int8, int4

    /// What this precision does and what it costs, in one sentence (CLI help, ledger headers).
    public var summary: String {
        switch self {
        case .asStored: return "weights as stored in the checkpoint, memory-mapped (no copy)"
        case .bf16: return "weights in bfloat16 (2 bytes each), copied into the lab's memory (a bf16 checkpoint as it is)"
        case .f32: return "weights widened to float32 (4 bytes each: the 0.3B takes 1.4 GB)"
        case .int8: return "weights quantised to int8 with one scale per row (1 byte each: the 0.3B takes 361 MB)"
        case .int4: return "weights quantised to 4 bits in groups of 32 with one scale each (4.28 bits a weight: the 0.3B takes 193 MB)"
        }
    }

    /// `summary` in the learner's language (ledger headers; the command-line help stays English, as all of it).
    public var learnerSummary: String {
        switch self {
        case .asStored: return Learner.text(summary, "权重按检查点里存的样子，内存映射（不复制）")
        case .bf16: return Learner.text(summary, "权重为 bfloat16（每个 2 字节），复制进实验室的内存（bf16 检查点原样复制）")
        case .f32: return Learner.text(summary, "权重扩展为 float32（每个 4 字节：0.3B 占 1.4 GB）")
        case .int8: return Learner.text(summary, "权重量化为 int8，每行一个缩放因子（每个 1 字节：0.3B 占 361 MB）")
        case .int4: return Learner.text(summary, "权重量化为 4 位，每 32 个一组、各有一个缩放（每个 4.28 位：0.3B 占 193 MB）")
        }
    }
}

extension WeightMatrix {
    /// This matrix in `precision`: itself for as-stored, else a copy in owned memory, converted when the format
    /// changes — carved from `arena` when given (a model's loader: WeightArena.swift), so that it sits on huge pages
    /// right after the matrix converted before it. Without an arena a matrix already in that format is itself.
    /// Conversion runs over rows in parallel.
    ///
    /// - Throws: `WeightQuantizationError` when an int8 row holds a non-finite weight.
    public func converted(to precision: WeightPrecision, in arena: WeightArena? = nil) throws -> WeightMatrix {
        switch precision {
        case .asStored: return self
        case .f32: return storage == .f32 ? copied(in: arena) : widenedToF32(in: arena)
        case .bf16: return storage == .bf16 ? copied(in: arena) : roundedToBF16(in: arena)
        case .int8: return storage == .int8 ? self : try quantizedInt8(in: arena)
        case .int4: return storage == .int4 ? self : try quantizedInt4(in: arena)
        }
    }

    /// `body` over blocks of W's rows on the worker threads, at least 64 K elements a block: what every load-time
    /// conversion (copy, widen, round, quantise) runs over.
    func forRowBlocks(_ body: (Range<Int>) -> Void) {
        parallelFor(rows, minChunk: max(1, 65_536 / max(cols, 1)), body)
    }

    /// The same bytes carved from `arena`, rows copied in parallel; itself without an arena, or when it already
    /// owns its memory. (Called for f32 and bf16 matrices only: no scales to carry.)
    func copied(in arena: WeightArena?) -> WeightMatrix {
        guard let arena, owner == nil else { return self }
        let rowBytes = self.rowBytes
        let buffer = WeightBuffer(byteCount: rows * rowBytes, in: arena)
        forRowBlocks { block in
            (buffer.bytes + block.lowerBound * rowBytes).copyMemory(from: base + block.lowerBound * rowBytes,
                                                                    byteCount: block.count * rowBytes)
        }
        return WeightMatrix(name: name, rows: rows, cols: cols, storage: storage, base: UnsafeRawPointer(buffer.bytes),
                            owner: buffer)
    }

    /// Tells the kernel this matrix's pages of the memory map are no longer needed in this process, once a
    /// converted copy has replaced it: they leave the resident set (a loaded `--precision int8` 0.3B otherwise keeps
    /// the 722 MB of mapped bf16 beside its 362 MB of int8). The pages stay in the page cache, and reading the bytes
    /// again would fault them back in from there, so this never changes what the matrix holds. Only whole pages
    /// inside the matrix are released; a no-op for owned (converted) matrices and off Linux.
    func releaseMappedPages() {
        #if os(Linux)
        guard owner == nil else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let start = Int(bitPattern: base), end = start + rows * cols * bytesPerElement
        let first = (start + page - 1) / page * page, last = end / page * page
        guard page > 0, first < last, let pointer = UnsafeMutableRawPointer(bitPattern: first) else { return }
        _ = madvise(pointer, last - first, Int32(MADV_DONTNEED))     // advice only: ignoring a failure is safe
        #endif
    }

    /// W widened to float32 (exact for bf16, f16 and int8·scale).
    func widenedToF32(in arena: WeightArena? = nil) -> WeightMatrix {
        let buffer = WeightBuffer(byteCount: 4 * rows * cols, in: arena)
        let out = buffer.bytes.bindMemory(to: Float.self, capacity: rows * cols)
        forRowBlocks { block in
            widenRows(block, into: out + block.lowerBound * cols)
        }
        return WeightMatrix(name: name, rows: rows, cols: cols, storage: .f32, base: UnsafeRawPointer(out), owner: buffer)
    }

    /// W rounded to bfloat16, round to nearest, ties to even (`BFloat16.init(_: Float)`).
    func roundedToBF16(in arena: WeightArena? = nil) -> WeightMatrix {
        let buffer = WeightBuffer(byteCount: 2 * rows * cols, in: arena)
        let out = buffer.bytes.bindMemory(to: UInt16.self, capacity: rows * cols)
        forRowBlocks { block in
            let row = UnsafeMutablePointer<Float>.allocate(capacity: cols)
            defer { row.deallocate() }
            for r in block {
                widenRow(r, into: row)
                for c in 0..<cols { out[r * cols + c] = BFloat16(row[c]).bitPattern }
            }
        }
        return WeightMatrix(name: name, rows: rows, cols: cols, storage: .bf16, base: UnsafeRawPointer(out), owner: buffer)
    }
}
