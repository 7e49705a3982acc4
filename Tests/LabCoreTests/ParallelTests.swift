// parallelFor's spinning pool under the patterns a decode step produces: thousands of back-to-back regions,
// regions after the helpers went to sleep, nested regions and several threads calling at once (Swift Testing
// runs tests in parallel, so the Dispatch fallback is exercised too). Every index must be visited exactly once.
import Dispatch
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import LabCore

/// Runs `regions` parallelFor calls over `count` items; returns how many indices were not hit exactly once.
private func missedIndices(count: Int, regions: Int, threads: Int) -> Int {
    var hits = [Int](repeating: 0, count: count)
    hits.withUnsafeMutableBufferPointer { h in
        let p = h.baseAddress!
        for _ in 0..<regions { parallelFor(count, threads: threads) { range in for i in range { p[i] += 1 } } }
    }
    return hits.filter { $0 != regions }.count
}

@Test func parallelForManyRegionsInARow() {
    #expect(missedIndices(count: 37, regions: 5000, threads: 2) == 0)
    #expect(missedIndices(count: 4099, regions: 300, threads: labThreadCount) == 0)
}

@Test func parallelForAfterHelpersSleep() {
    for _ in 0..<3 {
        usleep(5_000)                                            // longer than SpinningPool.spinWindow (0.2 ms)
        #expect(missedIndices(count: 100, regions: 1, threads: 2) == 0)
    }
}

@Test func parallelForNestedAndConcurrentCallers() {
    // 4 outer callers at once, each with nested regions: only one can hold the pool, the rest use Dispatch.
    let outer = 4, inner = 64, rounds = 50
    var hits = [Int](repeating: 0, count: outer * inner)
    hits.withUnsafeMutableBufferPointer { h in
        let p = h.baseAddress!
        DispatchQueue.concurrentPerform(iterations: outer) { o in
            for _ in 0..<rounds {
                parallelFor(inner, threads: 2) { range in
                    parallelFor(range.count, threads: 2) { sub in for i in sub { p[o * inner + range.lowerBound + i] += 1 } }
                }
            }
        }
    }
    #expect(hits.allSatisfy { $0 == rounds })
}

#if os(Linux)
@Test func parallelForUsesAHelperThread() {
    // With two ranges, one runs on a pool helper while the range with the 50 ms sleep keeps its thread busy.
    // A pool of its own: the shared one is busy with the kernels of tests running alongside (run() → false).
    guard labThreadCount > 1, SpinningPool.shared != nil else { return }
    let pool = SpinningPool(helpers: 1)
    var owners = [pthread_t](repeating: 0, count: 2)
    owners.withUnsafeMutableBufferPointer { o in
        let p = o.baseAddress!
        // Another test may hold the pool this instant (tests run in parallel): try again until it is free.
        var ran = false
        for _ in 0..<10_000 where !ran {
            ran = pool.run(ranges: 2) { w in
                p[w] = pthread_self()
                if w == 0 { usleep(50_000) }                      // time for the other thread to claim range 1
            }
        }
        #expect(ran)
    }
    #expect(owners.contains(pthread_self()))
    #expect(owners[0] != 0 && owners[1] != 0 && owners[0] != owners[1])
}

@Test func poolRunsMoreRangesThanThreads() {
    // 9 ranges on labThreadCount threads: each claimed and run exactly once.
    guard SpinningPool.shared != nil else { return }
    let pool = SpinningPool(helpers: labThreadCount - 1)        // its own: the shared one may be busy (see above)
    var hits = [Int](repeating: 0, count: 9)
    hits.withUnsafeMutableBufferPointer { h in
        let p = h.baseAddress!
        var ran = false
        for _ in 0..<10_000 where !ran { ran = pool.run(ranges: 9) { w in p[w] += 1 } }
        #expect(ran)
    }
    #expect(hits == [Int](repeating: 1, count: 9))
}
#endif

@Test func parallelForWithATailGrainCoversEveryIndexOnce() {
    // Head ranges + tail grains: each index exactly once, for counts with and without a tail and uneven ends.
    for (count, grain) in [(1000, 7), (1000, 500), (37, 1), (12928, 14), (320, 14), (5, 3)] {
        let split = ParallelSplit(count: count, workers: 2, tailGrain: grain)
        var hits = [Int](repeating: 0, count: count)
        for i in 0..<split.ranges { for j in split.range(i) { hits[j] += 1 } }
        #expect(hits.allSatisfy { $0 == 1 }, "count \(count) grain \(grain)")
        var viaPool = [Int](repeating: 0, count: count)
        viaPool.withUnsafeMutableBufferPointer { h in
            let p = h.baseAddress!
            for _ in 0..<20 { parallelFor(count, threads: 2, tailGrain: grain) { range in for i in range { p[i] += 1 } } }
        }
        #expect(viaPool.allSatisfy { $0 == 20 }, "count \(count) grain \(grain)")
    }
    #expect(ParallelSplit(count: 12928, workers: 2, tailGrain: 14).ranges == 2 + (3232 + 13) / 14)
    #expect(ParallelSplit(count: 1000, workers: 2, tailGrain: 500).ranges == 2)   // tail < a grain per worker: none
}
