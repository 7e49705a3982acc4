// Prefetch and spin-wait hints — two CPU instructions Swift has no spelling for, reached as static inline C
// (CKernels/include/ckernels_hints.h), which the compiler inlines: each call is the one instruction.
//
// `prefetchForRead(p)` asks the core to start loading the cache line holding p now, so that when the kernel
// reaches it a few hundred nanoseconds later it is already on its way (x86 `prefetcht0`, Arm `prfm pldl1keep`).
// It never faults, so a prefetch just past the end of a buffer is harmless. The hardware prefetcher follows
// simple streams by itself, but it stops at every 4 KB page and restarts slowly, and a bf16 matvec reads 8
// rows (8 short streams, 2 KB each for ERNIE-4.5-0.3B) at once: telling it where the next row group starts
// keeps more memory requests in flight (docs/PERFORMANCE.md, "ERNIE-4.5-0.3B engine").
// `spinPause()` is x86's `pause`: in a busy-wait loop it tells the core (and its hyperthread sibling) that
// this thread is only polling.
//
// Not LLVM intrinsics through @_silgen_name: under ThreadSanitizer the compiler emits those calls as `invoke`,
// which LLVM rejects, and no TSan build was possible (docs/RELIABILITY.md).

import CKernels

/// Starts loading the cache line at `address` into all cache levels (a hint: no fault, no effect on results).
@inline(__always)
public func prefetchForRead(_ address: UnsafeRawPointer) {
    ck_prefetch_all_levels(address)
}

/// Prefetches the 512 bytes (8 cache lines) from `address`: one step of a matvec's next 8-row group.
@inline(__always)
public func prefetch512(_ address: UnsafeRawPointer) {
    prefetchForRead(address); prefetchForRead(address + 64); prefetchForRead(address + 128)
    prefetchForRead(address + 192); prefetchForRead(address + 256); prefetchForRead(address + 320)
    prefetchForRead(address + 384); prefetchForRead(address + 448)
}

/// Prefetches the 512 bytes from `address` into the L2 cache only (x86 `prefetcht1`). For the bf16 matvec's next
/// row group this measured 3–5 % faster than `prefetch512` (into L1 too), in a microbenchmark over a mapped
/// checkpoint and in paired decode runs of the 0.3B: the lines reach L1 on the demand load soon after anyway.
@inline(__always)
public func prefetch512IntoL2(_ address: UnsafeRawPointer) {
    ck_prefetch_l2(address); ck_prefetch_l2(address + 64); ck_prefetch_l2(address + 128)
    ck_prefetch_l2(address + 192); ck_prefetch_l2(address + 256); ck_prefetch_l2(address + 320)
    ck_prefetch_l2(address + 384); ck_prefetch_l2(address + 448)
}

/// A busy-wait hint (x86 `pause`, Arm `yield`).
@inline(__always)
public func spinPause() {
    ck_spin_pause()
}
