// parallelFor — split a loop over the machine's cores.
//
// Kernels call this with a number of independent chunks; each chunk runs on one worker. Work is given out
// in contiguous blocks so a matvec's rows stay contiguous per thread (good for streaming memory).

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Threads the kernels use: `LMLAB_THREADS` if set (benchmarks pin it), otherwise the online cores.
public let labThreadCount: Int = {
    if let s = getenv("LMLAB_THREADS"), let n = Int(String(cString: s)), n > 0 { return n }
    return max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
}()

/// Runs `body(range)` over `0..<count` split into at most `threads` contiguous ranges, in parallel,
/// and returns when all are done. Small loops (below `minChunk` per thread) run on the caller's thread.
public func parallelFor(_ count: Int, threads: Int = labThreadCount, minChunk: Int = 1,
                        _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(threads, count / max(1, minChunk)))
    if workers == 1 { body(0..<count); return }
    let base = count / workers, extra = count % workers
    withoutActuallyEscaping(body) { body in
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            let start = w * base + min(w, extra)
            let end = start + base + (w < extra ? 1 : 0)
            body(start..<end)
        }
    }
}
