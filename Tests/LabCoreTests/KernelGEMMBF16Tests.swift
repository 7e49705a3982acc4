// gemmBF16Weights (C = A·Wᵀ, bf16 W read in place) on both paths against the naive twin: gemmNaive in Double on
// the widened W and on A rounded to bf16 the way the AMX path rounds it (nearest even). Odd shapes — m not a
// multiple of 16/32, n not a multiple of 16/32, k not a multiple of 32 — W 0, 1 and 2 bytes past a 64-byte
// boundary, 1 and 2 threads. On a machine without AMX the AMX comparisons are skipped with a printed reason.
import Testing
@testable import LabCore

private let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (32, 32, 32), (17, 33, 40), (33, 17, 31), (16, 48, 64), (100, 70, 96), (47, 129, 1030), (130, 250, 257),
]

/// W's bf16 bits stored `offset` bytes past a 64-byte boundary; call `body` with the pointer.
private func withWeights<R>(_ bits: [UInt16], offset: Int, _ body: (UnsafeRawPointer) -> R) -> R {
    let raw = UnsafeMutableRawPointer.allocate(byteCount: 2 * bits.count + 64, alignment: 64)
    defer { raw.deallocate() }
    for (i, b) in bits.enumerated() { raw.storeBytes(of: b, toByteOffset: offset + 2 * i, as: UInt16.self) }
    return body(UnsafeRawPointer(raw + offset))
}

/// Reference C = A·Wᵀ in Double (gemmNaive), W widened exactly.
private func reference(_ a: [Float], _ bits: [UInt16], m: Int, n: Int, k: Int) -> [Float] {
    let w = bits.map { BFloat16(bitPattern: $0).float }
    var c = [Float](repeating: 0, count: m * n)
    gemmNaive(transA: false, transB: true, m: m, n: n, k: k, a: a, lda: k, b: w, ldb: k, c: &c, ldc: n, accumulate: false)
    return c
}

private func run(_ path: BF16GemmPath, _ a: [Float], _ w: UnsafeRawPointer, m: Int, n: Int, k: Int,
                 threads: Int) -> (c: [Float], taken: BF16GemmPath) {
    var c = [Float](repeating: .nan, count: m * n)                  // NaN: an unwritten element fails the test
    let taken = gemmBF16Weights(m: m, n: n, k: k, a: a, lda: k, w: w, ldw: k, c: &c, ldc: n, threads: threads, path: path)
    return (c, taken)
}

@Test func gemmBF16AMXEqualsNaiveTwinOnBF16RoundedActivations() {
    guard BF16GemmPolicy.amxSupported else {
        print("gemm bf16 AMX: skipped — this CPU/OS has no usable AMX-BF16 (CPUID, XCR0 or arch_prctl said no)")
        return
    }
    var worst: Float = 0
    for (m, n, k) in shapes {
        let a = randomFloats(m * k, seed: UInt64(7 * m + k))
        let rounded = a.map { BFloat16($0).float }
        let bits = randomFloats(n * k, seed: UInt64(11 * n + k)).map { BFloat16($0).bitPattern }
        let ref = reference(rounded, bits, m: m, n: n, k: k)
        for offset in [0, 1, 2] {
            withWeights(bits, offset: offset) { w in
                for threads in [1, 2] {
                    // The AMX path gets the unrounded A: it must round exactly like BFloat16.init (nearest even).
                    let (c, taken) = run(.amx, a, w, m: m, n: n, k: k, threads: threads)
                    #expect(taken == .amx)
                    #expect(!c.contains { $0.isNaN }, "m \(m) n \(n) k \(k): element left unwritten")
                    let d = relDiff(c, ref)
                    #expect(d <= 1e-5, "m \(m) n \(n) k \(k) offset \(offset) threads \(threads): rel diff \(d)")
                    worst = max(worst, d)
                }
            }
        }
    }
    print("gemm bf16 AMX vs naive twin (A rounded to bf16, Double sums): max relative diff \(worst)")
}

@Test func gemmBF16WidenedPathKeepsActivationsF32() {
    var worst: Float = 0, worstAMXvsF32: Float = 0
    for (m, n, k) in shapes {
        let a = randomFloats(m * k, seed: UInt64(3 * m + k))
        let bits = randomFloats(n * k, seed: UInt64(5 * n + k)).map { BFloat16($0).bitPattern }
        let ref = reference(a, bits, m: m, n: n, k: k)              // unrounded A
        withWeights(bits, offset: 2) { w in
            for threads in [1, 2] {
                let (c, taken) = run(.widenF32, a, w, m: m, n: n, k: k, threads: threads)
                #expect(taken == .widenF32)
                let d = relDiff(c, ref)
                #expect(d <= 1e-5, "m \(m) n \(n) k \(k) threads \(threads): rel diff \(d)")
                worst = max(worst, d)
            }
            if BF16GemmPolicy.amxSupported && k >= 32 {
                // Rounding A to bf16 really happens on the AMX path: it moves results by ~2⁻⁹ relative per term.
                let amx = run(.amx, a, w, m: m, n: n, k: k, threads: 2).c
                worstAMXvsF32 = max(worstAMXvsF32, relDiff(amx, ref))
            }
        }
    }
    print("gemm bf16 widen+f32 gemm vs naive twin (f32 A): max relative diff \(worst)")
    if BF16GemmPolicy.amxSupported {
        print("gemm bf16 AMX (bf16 A) vs f32-A reference: max relative diff \(worstAMXvsF32) (the cost of rounding A)")
        #expect(worstAMXvsF32 > 1e-4 && worstAMXvsF32 < 2e-2)
    }
}

@Test func gemmBF16PolicyPicksThePath() {
    let m = 40, n = 24, k = 64
    let a = randomFloats(m * k, seed: 1)
    let bits = randomFloats(n * k, seed: 2).map { BFloat16($0).bitPattern }
    withWeights(bits, offset: 0) { w in
        var c = [Float](repeating: 0, count: m * n)
        let forcedWiden = BF16GemmPolicy.$forced.withValue(.widenF32) {
            gemmBF16Weights(m: m, n: n, k: k, a: a, lda: k, w: w, ldw: k, c: &c, ldc: n)
        }
        #expect(forcedWiden == .widenF32)
        let forcedAMX = BF16GemmPolicy.$forced.withValue(.amx) {
            gemmBF16Weights(m: m, n: n, k: k, a: a, lda: k, w: w, ldw: k, c: &c, ldc: n)
        }
        // Asking for AMX where there is none falls back instead of failing.
        #expect(forcedAMX == (BF16GemmPolicy.amxSupported ? .amx : .widenF32))
        let byDefault = gemmBF16Weights(m: m, n: n, k: k, a: a, lda: k, w: w, ldw: k, c: &c, ldc: n)
        #expect(byDefault == BF16GemmPolicy.defaultPath)
        print("gemm bf16 paths: AMX supported \(BF16GemmPolicy.amxSupported), EngineOptions.amx \(EngineOptions.current.amx), default \(byDefault.rawValue)")
    }
}
