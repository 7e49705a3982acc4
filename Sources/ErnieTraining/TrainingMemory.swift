// TrainingMemory — keep the training step's freed memory in the process instead of handing it back to the kernel.
//
// Every step builds a graph of ~100 tensors (up to 25 MB each: the [B·T, V] logits and their gradient) and frees
// it all at once when the step ends. glibc then sees a large free block at the top of its heap and returns it to
// the kernel (`M_TRIM_THRESHOLD`, by default about twice the largest recent allocation), so the next step touches
// fresh pages again: one page fault per 4 KiB, ~0.1 s of system time per tiny-ERNIE step measured with
// `/usr/bin/time` (1.1–1.3 s of sys for a 10-step bench; 0.2 s with the settings below, the same as
// MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_MMAP_THRESHOLD_=… in the environment).
// Raising the trim threshold to 1 GiB and the mmap threshold to its maximum (32 MiB) keeps the pages mapped and
// reused step after step; the process's peak memory is unchanged. On other C libraries this does nothing.

#if canImport(Glibc)
import Glibc
#endif

enum TrainingMemory {
    /// Applies the settings once per process (idempotent; called by `TinyErnieTrainer.init`).
    static let keepFreedPages: Void = {
        #if canImport(Glibc)
        // mallopt is declared in <malloc.h>, which the Glibc module does not import: look it up by name.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(nil, "mallopt") else { return }          // nil = RTLD_DEFAULT
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        let (trimThreshold, mmapThreshold): (Int32, Int32) = (-1, -3)      // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
        _ = mallopt(mmapThreshold, 32 << 20)
        _ = mallopt(trimThreshold, 1 << 30)
        #endif
    }()
}
