// ckernels_hints.h — the prefetch and spin-wait hints, as static inline C so that Swift inlines them.
//
// LabCore/Kernels/Prefetch.swift used to reach these as LLVM intrinsics declared with @_silgen_name. That
// compiles in a normal build, but under `-sanitize=thread` the Swift compiler emits the intrinsic calls as
// `invoke`, which LLVM rejects ("Cannot invoke an intrinsic"), so no TSan build of LabCore was possible
// (scripts/sanitizers.sh). A static inline C function is imported into the Swift module and inlined at -O,
// so the kernels get the same single instruction (prefetcht0 / prefetcht1 / pause) as before.
#ifndef LMLAB_CKERNELS_HINTS_H
#define LMLAB_CKERNELS_HINTS_H

#include <stdint.h>

/// Starts loading the cache line at p into all cache levels (x86 prefetcht0, Arm prfm pldl1keep). Never faults.
static inline void ck_prefetch_all_levels(const void *p) { __builtin_prefetch(p, 0, 3); }

/// Starts loading the cache line at p into L2 and below only (x86 prefetcht1). Never faults.
static inline void ck_prefetch_l2(const void *p) { __builtin_prefetch(p, 0, 2); }

/// A busy-wait hint: x86 `pause`, Arm `yield`; nothing elsewhere.
static inline void ck_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}


// Atomic reads and writes of an int32 shared between threads and signal handlers (LabCore/Cancellation.swift):
// Ctrl-C's flag is set by a signal handler or the notebook's UI thread and read by the running cell's thread, so
// plain loads and stores were a data race (ThreadSanitizer reported it). Lock-free atomics are also
// async-signal-safe, which a Swift Atomic reached through a lazily initialised global would not promise.

/// *p, sequentially consistent.
static inline int32_t ck_atomic_load(const int32_t *p) { return __atomic_load_n(p, __ATOMIC_SEQ_CST); }

/// *p = v, sequentially consistent.
static inline void ck_atomic_store(int32_t *p, int32_t v) { __atomic_store_n(p, v, __ATOMIC_SEQ_CST); }

/// *p += v, returning the new value, sequentially consistent.
static inline int32_t ck_atomic_add(int32_t *p, int32_t v) { return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST); }

#endif
