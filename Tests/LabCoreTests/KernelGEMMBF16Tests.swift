// gemmBF16Weights (C = A·Wᵀ, bf16 W read in place) on every path against the naive twin: gemmNaive in Double on
// the widened W and on A rounded to bf16 the way the hardware paths (AMX, AVX512-BF16) round it (nearest even).
// Odd shapes — m not a multiple of 8/16/32, n not a multiple of 16/32/48, k odd or not a multiple of 32, and k = 0
// (an empty sum: C = 0) — W 0, 1 and 2 bytes past a 64-byte boundary, 1 and 2 threads. A hardware path this CPU
// lacks is skipped with a printed reason.
import Testing
@testable import LabCore

private let shapes: [(m: Int, n: Int, k: Int)] = [
    (1, 1, 1), (32, 32, 32), (17, 33, 40), (33, 17, 31), (16, 48, 64), (100, 70, 96), (47, 129, 1030), (130, 250, 257),
    (9, 97, 33), (24, 144, 95), (5, 40, 0),
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

/// The hardware path `path` against the naive twin on A rounded to bf16; skipped with a reason without it.
private func checkHardwarePath(_ path: BF16GemmPath) {
    guard BF16GemmPolicy.isSupported(path) else {
        print("gemm bf16 \(path): skipped — this CPU/OS cannot run it (CPUID, XCR0 or, for AMX, arch_prctl said no)")
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
                    // The kernel gets the unrounded A: it must round exactly like BFloat16.init (nearest even).
                    let (c, taken) = run(path, a, w, m: m, n: n, k: k, threads: threads)
                    #expect(taken == path)
                    #expect(!c.contains { $0.isNaN }, "m \(m) n \(n) k \(k): element left unwritten")
                    let d = relDiff(c, ref)
                    #expect(d <= 1e-5, "m \(m) n \(n) k \(k) offset \(offset) threads \(threads): rel diff \(d)")
                    worst = max(worst, d)
                }
            }
        }
    }
    print("gemm bf16 \(path) vs naive twin (A rounded to bf16, Double sums): max relative diff \(worst)")
}

@Test func gemmBF16AMXEqualsNaiveTwinOnBF16RoundedActivations() { checkHardwarePath(.amx) }

@Test func gemmBF16AVX512EqualsNaiveTwinOnBF16RoundedActivations() { checkHardwarePath(.avx512BF16) }

@Test func gemmBF16WidenedPathKeepsActivationsF32() {
    var worst: Float = 0, worstHardwareVsF32: Float = 0
    let hardware = BF16GemmPolicy.hardwarePath
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
            if hardware != .widenF32 && k >= 32 {
                // Rounding A to bf16 really happens on the hardware path: it moves results by ~2⁻⁹ relative per term.
                let fast = run(hardware, a, w, m: m, n: n, k: k, threads: 2).c
                worstHardwareVsF32 = max(worstHardwareVsF32, relDiff(fast, ref))
            }
        }
    }
    print("gemm bf16 widen+f32 gemm vs naive twin (f32 A): max relative diff \(worst)")
    if hardware != .widenF32 {
        print("gemm bf16 \(hardware) (bf16 A) vs f32-A reference: max relative diff \(worstHardwareVsF32) (the cost of rounding A)")
        #expect(worstHardwareVsF32 > 1e-4 && worstHardwareVsF32 < 2e-2)
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
        let forcedAVX = BF16GemmPolicy.$forced.withValue(.avx512BF16) {
            gemmBF16Weights(m: m, n: n, k: k, a: a, lda: k, w: w, ldw: k, c: &c, ldc: n)
        }
        #expect(forcedAVX == (BF16GemmPolicy.avx512BF16Supported ? .avx512BF16 : .widenF32))
        let byDefault = gemmBF16Weights(m: m, n: n, k: k, a: a, lda: k, w: w, ldw: k, c: &c, ldc: n)
        #expect(byDefault == BF16GemmPolicy.defaultPath)
        #expect(BF16GemmPolicy.defaultPath == (EngineOptions.current.amx ? BF16GemmPolicy.hardwarePath : .widenF32))
        print("gemm bf16 paths: AMX supported \(BF16GemmPolicy.amxSupported), AVX512-BF16 supported "
              + "\(BF16GemmPolicy.avx512BF16Supported), EngineOptions.amx \(EngineOptions.current.amx), default \(byDefault.rawValue)")
    }
}
