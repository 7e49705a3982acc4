// WeightArena — where a model's converted weight matrices live: in order, on 2 MB pages.
//
// Decode streams every weight once per token, so how the memory is paged matters: with 4 KB pages every 4 KB costs
// a TLB miss, and a plain 2-thread read on this machine reaches 34 GB/s on huge pages against 27 on 4 KB pages
// (docs/PERFORMANCE.md, "int4: the tiled layout"). Linux backs a range with transparent huge pages only when it is
// 2 MB aligned and advised (THP "madvise" mode), so a matrix allocated on its own pays up to 2 MB of rounding to get
// them: worth it for the int4 MLPs (1.77 MB → 2 MB), not for the 0.15 MB k and v. A loader therefore carves every
// matrix of a model out of a few large slabs (`WeightArena`), each 2 MB aligned and advised: all weights sit on huge
// pages, 64-byte aligned one after the other in the order they were converted — the order the loader reads the
// checkpoint, which is the order decode reads them (embedding, then per layer q, k, v, o, gate, up, down).
// Memory: a slab is virtual until written, so its unused tail costs no resident memory, and conversion writes each
// matrix as before, one at a time (the mapped source pages are released after each): the arena never holds a second
// copy of the model. A slab is freed when the last matrix carved from it is gone.

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Memory a converted `WeightMatrix` owns: 64-byte aligned, freed when the last matrix pointing into it is gone.
/// Carved from a `WeightArena` when the loader gives one (every matrix on huge pages); on its own otherwise, where
/// a buffer within 1/4 of whole 2 MB pages is 2 MB aligned and advised for huge pages, and a smaller one is not.
public final class WeightBuffer: @unchecked Sendable {
    public let bytes: UnsafeMutableRawPointer
    public let byteCount: Int
    /// The slab `bytes` lies in, kept alive by this buffer; nil when the buffer owns its allocation.
    private let slab: WeightSlab?

    /// - Parameter arena: the model's arena to carve the bytes from, or nil for an allocation of their own.
    public init(byteCount: Int, in arena: WeightArena? = nil) {
        self.byteCount = byteCount
        if let arena, byteCount > 0 {
            (slab, bytes) = arena.carve(byteCount)
            return
        }
        slab = nil
        let huge = WeightSlab.pageBytes, rounded = (byteCount + huge - 1) / huge * huge
        if byteCount > 0 && rounded <= byteCount + byteCount / 4 {         // at most 1/4 wasted (int4 MLPs: 1.77 MB)
            bytes = UnsafeMutableRawPointer.allocate(byteCount: rounded, alignment: huge)
            WeightSlab.adviseHugePages(bytes, rounded)
        } else {
            bytes = UnsafeMutableRawPointer.allocate(byteCount: max(1, byteCount), alignment: 64)
        }
    }

    deinit { if slab == nil { bytes.deallocate() } }
}

/// Hands out 64-byte aligned pieces of 2 MB aligned, huge-page-advised slabs, in order. One per model load; the
/// loader drops it when done, the slabs live on in the matrices.
public final class WeightArena: @unchecked Sendable {
    /// Bytes of a slab: a matrix larger than this gets a slab of its own (rounded up to whole 2 MB pages).
    static let slabBytes = 64 << 20
    private let lock = NSLock()
    private var slab: WeightSlab?
    private var used = 0

    public init() {}

    /// `byteCount` bytes at the next 64-byte boundary of the current slab, or of a new one when they do not fit.
    func carve(_ byteCount: Int) -> (WeightSlab, UnsafeMutableRawPointer) {
        lock.lock(); defer { lock.unlock() }
        let offset = (used + 63) / 64 * 64
        if let slab, offset + byteCount <= slab.byteCount {
            used = offset + byteCount
            return (slab, slab.bytes + offset)
        }
        let huge = WeightSlab.pageBytes
        let own = WeightSlab(byteCount: max(Self.slabBytes, (byteCount + huge - 1) / huge * huge))
        // A matrix that fills a slab of its own leaves the current slab's room to the matrices after it.
        if byteCount < Self.slabBytes || slab == nil { slab = own; used = byteCount }
        return (own, own.bytes)
    }
}

/// One 2 MB aligned allocation advised for transparent huge pages.
final class WeightSlab: @unchecked Sendable {
    static let pageBytes = 1 << 21
    let bytes: UnsafeMutableRawPointer
    let byteCount: Int

    init(byteCount: Int) {
        self.byteCount = byteCount
        bytes = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: Self.pageBytes)
        Self.adviseHugePages(bytes, byteCount)
    }

    deinit { bytes.deallocate() }

    /// MADV_HUGEPAGE on Linux: advice only, so a failure (or another OS) is safe to ignore.
    static func adviseHugePages(_ bytes: UnsafeMutableRawPointer, _ count: Int) {
        #if os(Linux)
        _ = madvise(bytes, count, Int32(MADV_HUGEPAGE))
        #endif
    }
}
