// parallelFor — split a loop over the machine's cores.
//
// Kernels call this with a number of independent chunks; each chunk runs on one worker. Work is given out
// in contiguous blocks so a matvec's rows stay contiguous per thread (good for streaming memory).
//
// Why a thread pool of our own: decoding one ERNIE-4.5-0.3B token opens ~75 parallel regions (18 layers ×
// fused q/k/v, o, fused gate/up, down, plus lm_head), most of them 0.5–12 MB of weights, i.e. 25–600 µs of work
// each. Waking a sleeping Dispatch worker takes microseconds per region, and while it wakes the caller finishes
// its half of the rows and waits: every region pays the wake-up. So on Linux parallelFor hands regions to
// `SpinningPool`: its helper threads stay awake, polling for a short while (`spinWindow`) after each region,
// so the next region — microseconds later — starts at once; when nothing arrives within the window they sleep
// on a condition variable, so an idle lab costs no CPU. The ranges of a region are claimed one by one from a
// shared counter rather than assigned to threads, so on a busy machine a helper that is not running costs
// nothing: the caller takes its ranges too. A region that cannot use the pool (a parallelFor nested in
// another, or two threads calling at once) falls back to `DispatchQueue.concurrentPerform` with the same
// ranges. `EngineOptions.spinningPool` = false uses Dispatch only.

import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if os(Linux)
import Synchronization
#endif

/// Threads the kernels use: `EngineOptions.current.threads` (the online cores unless the CLI was told otherwise).
public var labThreadCount: Int { EngineOptions.current.threads }

/// Runs `body(range)` over `0..<count` split into at most `threads` contiguous ranges, in parallel,
/// and returns when all are done. Small loops (below `minChunk` per thread) run on the caller's thread.
/// Range w of W is `w·⌊count/W⌋ + min(w, count mod W)` onwards: sizes differ by at most one.
///
/// `tailGrain` > 0 evens out when the threads finish: only the first 3/4 of the items are split into the W
/// contiguous ranges; the last quarter is handed out in ranges of `tailGrain` items to whichever thread is free
/// (claimed in order from the pool's shared counter), so a thread that started late or read more slowly does not
/// leave the others waiting for its whole half. Each item still runs exactly once, on one thread.
public func parallelFor(_ count: Int, threads: Int = labThreadCount, minChunk: Int = 1, tailGrain: Int = 0,
                        _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let workers = max(1, min(threads, count / max(1, minChunk)))
    if workers == 1 { body(0..<count); return }
    let split = ParallelSplit(count: count, workers: workers, tailGrain: tailGrain)
    withoutActuallyEscaping(body) { body in
        let chunk: (Int) -> Void = { i in body(split.range(i)) }
        #if os(Linux)
        if EngineOptions.current.spinningPool, let pool = SpinningPool.shared, pool.run(ranges: split.ranges, chunk) {
            return
        }
        #endif
        DispatchQueue.concurrentPerform(iterations: split.ranges, execute: chunk)
    }
}

/// How `parallelFor` numbers its ranges: `workers` contiguous head ranges over the first `head` items, then the
/// tail in ranges of `grain` (none without a tail grain).
struct ParallelSplit {
    let head: Int, workers: Int, grain: Int, ranges: Int
    private let count: Int

    init(count: Int, workers: Int, tailGrain: Int) {
        self.count = count
        self.workers = workers
        // A tail only when it holds at least one grain per worker; otherwise the plain split.
        let tail = tailGrain > 0 && count / 4 >= tailGrain * workers ? count / 4 : 0
        head = count - tail
        grain = max(1, tailGrain)
        ranges = workers + (tail + grain - 1) / grain
    }

    func range(_ i: Int) -> Range<Int> {
        if i < workers {
            let base = head / workers, extra = head % workers
            let start = i * base + min(i, extra)
            return start..<(start + base + (i < extra ? 1 : 0))
        }
        let start = head + (i - workers) * grain
        return start..<min(count, start + grain)
    }
}

#if os(Linux)
/// A fixed set of helper threads that run parallel regions with the caller. A region is `ranges` numbered pieces
/// of work; the caller and the helpers claim them one at a time from a shared counter, so a helper that is late
/// (descheduled by other load on the machine) only means the caller does more of them itself — nobody waits
/// for a thread that has not started. One region at a time; `run` returns false when the pool is taken.
final class SpinningPool: @unchecked Sendable {
    /// labThreadCount − 1 helpers, created at the first parallel region that asks for it; nil with one thread.
    /// `parallelFor` does not ask while `EngineOptions.current.spinningPool` is false (Dispatch only: for A/B
    /// benchmarks of the pool itself).
    static let shared: SpinningPool? = labThreadCount > 1 ? SpinningPool(helpers: labThreadCount - 1) : nil

    /// How long (nanoseconds) a helper keeps polling for the next region before it sleeps. Within a decode step
    /// the regions follow each other within 5–30 µs (norms, RoPE, attention in between); between tokens the
    /// helper may sleep. Kept short because on a busy 2-core machine a polling helper takes CPU time from the
    /// caller's own thread.
    static let spinWindow: UInt64 = 200_000

    let helpers: Int
    /// The current region and its claim counter in one word: generation << 32 | ranges << 16 | next range.
    /// A helper claims range i by a compare-and-swap that also checks the generation, so it can never claim a
    /// range of a region that has already finished.
    private let claim = Atomic<Int>(0)
    /// Ranges of the current region finished so far.
    private let done = Atomic<Int>(0)
    /// Helpers blocked on `wake` (so a region only signals when someone sleeps).
    private let sleepers = Atomic<Int>(0)
    /// Held by the caller that owns the pool for one region.
    private let taken = Atomic<Bool>(false)
    /// The current region's work (valid while any of its ranges is unfinished).
    private nonisolated(unsafe) var chunk: ((Int) -> Void)?
    /// Guards sleeping and waking (heap-allocated: a pthread object must not move).
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private nonisolated(unsafe) var generation = 0

    init(helpers: Int) {
        self.helpers = helpers
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for _ in 0..<helpers {
            let box = Unmanaged.passRetained(self)
            var thread = pthread_t()
            let created = pthread_create(&thread, nil, { raw in
                Unmanaged<SpinningPool>.fromOpaque(raw!).takeRetainedValue().helperLoop()
                return nil
            }, box.toOpaque())
            precondition(created == 0, "SpinningPool: pthread_create failed (\(created))")
            pthread_detach(thread)
        }
    }

    /// Runs body(0…ranges−1), each exactly once, on the calling thread and the helpers; returns after all.
    /// Returns false, running nothing, if the pool is in use (a nested or concurrent region) or ranges ≥ 2¹⁶.
    func run(ranges: Int, _ body: @escaping (Int) -> Void) -> Bool {
        guard ranges < 1 << 16,
              taken.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
        else { return false }
        chunk = body
        done.store(0, ordering: .relaxed)
        generation = (generation + 1) & 0x7FFF_FFFF
        let posted = generation << 32 | ranges << 16
        claim.store(posted, ordering: .sequentiallyConsistent)       // publishes chunk
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(mutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
        }
        work(generation: generation)
        var polls = 0
        while done.load(ordering: .acquiring) < ranges {                // helpers' writes are visible after this
            polls += 1
            if polls & 4095 == 0 { sched_yield() } else { spinPause() }  // a helper mid-range was descheduled
        }
        chunk = nil
        taken.store(false, ordering: .releasing)
        return true
    }

    /// Claims and runs ranges of region `generation` until none is left.
    private func work(generation g: Int) {
        var word = claim.load(ordering: .acquiring)
        while word >> 32 == g {
            let ranges = (word >> 16) & 0xFFFF, next = word & 0xFFFF
            if next >= ranges { return }
            let (exchanged, original) = claim.compareExchange(expected: word, desired: word + 1, ordering: .acquiringAndReleasing)
            if exchanged {
                chunk!(next)
                done.add(1, ordering: .releasing)
                word = claim.load(ordering: .acquiring)
            } else {
                word = original
            }
        }
    }

    private func helperLoop() {
        var seen = 0                    // regions start at generation 1
        while true {
            // Poll for the next region for up to spinWindow, then sleep until one is posted.
            var current = claim.load(ordering: .acquiring) >> 32
            if current == seen {
                let deadline = DispatchTime.now().uptimeNanoseconds + Self.spinWindow
                var polls = 0
                while current == seen {
                    polls += 1
                    if polls & 63 == 0 {
                        if DispatchTime.now().uptimeNanoseconds > deadline { break }
                        sched_yield()                            // let a runnable thread on this core go first
                    }
                    spinPause()
                    current = claim.load(ordering: .acquiring) >> 32
                }
            }
            if current == seen {
                pthread_mutex_lock(mutex)
                sleepers.add(1, ordering: .sequentiallyConsistent)
                current = claim.load(ordering: .sequentiallyConsistent) >> 32
                while current == seen {
                    pthread_cond_wait(wake, mutex)
                    current = claim.load(ordering: .sequentiallyConsistent) >> 32
                }
                sleepers.subtract(1, ordering: .sequentiallyConsistent)
                pthread_mutex_unlock(mutex)
            }
            seen = current
            work(generation: current)
        }
    }
}
#endif
