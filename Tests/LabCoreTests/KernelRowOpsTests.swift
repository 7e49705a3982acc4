// softmax, log-softmax, RMSNorm, SiLU and vectorExp against their naive twins and hand-worked values.
import Testing
import Foundation
@testable import LabCore

private let rowShapes = [(1, 1), (1, 3), (3, 17), (2, 1023), (4, 16), (2, 103_424)]

/// Random rows with a few −∞ (masked) entries, never a fully masked row.
private func maskedRows(_ rows: Int, _ cols: Int, seed: UInt64) -> [Float] {
    var x = randomFloats(rows * cols, seed: seed).map { $0 * 4 }
    for i in stride(from: 5, to: x.count, by: 7) where i % cols != 0 { x[i] = -.infinity }
    return x
}

@Test func softmaxAndLogSoftmaxEqualNaive() {
    var worstP: Float = 0, worstLog: Float = 0
    for (rows, cols) in rowShapes {
        let x = maskedRows(rows, cols, seed: UInt64(rows * 31 + cols))
        var ref = x, fast = x, inPlace = x
        softmaxNaive(rows: rows, cols: cols, x: x, y: &ref)
        softmax(rows: rows, cols: cols, x: x, y: &fast)
        inPlace.withUnsafeMutableBufferPointer { softmax(rows: rows, cols: cols, x: $0.baseAddress!, y: $0.baseAddress!) }
        // Probabilities: compare each element relative to itself (plus a floor far below any visible probability).
        for i in ref.indices {
            #expect(abs(fast[i] - ref[i]) <= 1e-5 * ref[i] + 1e-30, "softmax \(rows)×\(cols) at \(i)")
            worstP = max(worstP, ref[i] > 0 ? abs(fast[i] - ref[i]) / ref[i] : abs(fast[i]))
        }
        #expect(inPlace == fast)
        var refLog = x, fastLog = x
        logSoftmaxNaive(rows: rows, cols: cols, x: x, y: &refLog)
        logSoftmax(rows: rows, cols: cols, x: x, y: &fastLog)
        for i in refLog.indices {
            if refLog[i] == -.infinity { #expect(fastLog[i] == -.infinity); continue }
            #expect(abs(fastLog[i] - refLog[i]) <= 1e-5 * max(1, abs(refLog[i])), "log-softmax \(rows)×\(cols) at \(i)")
            worstLog = max(worstLog, abs(fastLog[i] - refLog[i]) / max(1, abs(refLog[i])))
        }
    }
    print("softmax: max relative diff \(worstP); log-softmax: max relative diff \(worstLog)")
}

@Test func softmaxHandChecked() {
    var y = [Float](repeating: 0, count: 3)
    softmax(rows: 1, cols: 3, x: [1, 2, 3], y: &y)
    // e^(x−3) = [e⁻², e⁻¹, 1], Σ = 1.5032147; p = [0.09003057, 0.24472847, 0.66524096]
    let expected: [Float] = [0.090_030_57, 0.244_728_47, 0.665_240_96]
    print("softmax([1,2,3]) max abs diff \(maxAbsDiff(y, expected))")
    #expect(maxAbsDiff(y, expected) < 1e-7)
    logSoftmax(rows: 1, cols: 3, x: [1, 2, 3], y: &y)
    // log p = x − 3 − log(1.5032147) = x − 3.40760596
    #expect(maxAbsDiff(y, [-2.407_605_96, -1.407_605_96, -0.407_605_96]) < 1e-6)
    // Stability: huge logits would overflow e^x without subtracting the max; −∞ gets exactly 0.
    var z = [Float](repeating: 0, count: 4)
    softmax(rows: 1, cols: 4, x: [1000, 1000, -.infinity, 999], y: &z)
    let e1 = Float(exp(-1.0)), s = 2 + e1
    #expect(maxAbsDiff(z, [1 / s, 1 / s, 0, e1 / s]) < 1e-7)
    #expect(z[2] == 0)
}

@Test func rmsNormEqualsNaiveAndHandValue() {
    var worst: Float = 0
    for (rows, cols) in rowShapes {
        let x = randomFloats(rows * cols, seed: UInt64(cols)), g = randomFloats(cols, seed: 3)
        var ref = x, fast = x
        rmsNormNaive(rows: rows, cols: cols, x: x, gain: g, epsilon: 1e-5, y: &ref)
        rmsNorm(rows: rows, cols: cols, x: x, gain: g, epsilon: 1e-5, y: &fast)
        let d = relDiff(fast, ref)
        #expect(d <= 1e-5, "rmsNorm \(rows)×\(cols)")
        worst = max(worst, d)
    }
    print("rmsNorm: max relative diff \(worst)")
    // x = [1, 2, 3, 4]: mean(x²) = 30/4 = 7.5, rms = 2.7386128; g = [1, 1, 1, 2].
    var y = [Float](repeating: 0, count: 4)
    rmsNorm(rows: 1, cols: 4, x: [1, 2, 3, 4], gain: [1, 1, 1, 2], epsilon: 0, y: &y)
    let expected: [Float] = [0.365_148_37, 0.730_296_74, 1.095_445_12, 2.921_186_97]
    print("rmsNorm([1,2,3,4]) max abs diff \(maxAbsDiff(y, expected))")
    #expect(maxAbsDiff(y, expected) < 1e-6)
}

@Test func siluEqualsNaiveAndHandValues() {
    for count in [1, 3, 17, 1023, 4096] {
        let x = randomFloats(count, seed: UInt64(count)).map { $0 * 10 }
        var ref = x, fast = x
        siluNaive(count: count, x: x, y: &ref)
        silu(count: count, x: x, y: &fast)
        var worst: Float = 0
        for i in 0..<count {
            let d = abs(fast[i] - ref[i])
            #expect(d <= 1e-5 * abs(ref[i]) + 1e-30, "silu at \(x[i])")
            worst = max(worst, ref[i] == 0 ? d : d / abs(ref[i]))
        }
        print("silu count \(count): max relative diff \(worst)")
    }
    // silu(0) = 0, silu(1) = 1/(1+e⁻¹) = 0.7310586, silu(−1) = −0.2689414, silu(−100) ≈ −3.7e−42 → 0 in float.
    var y = [Float](repeating: 1, count: 4)
    silu(count: 4, x: [0, 1, -1, -100], y: &y)
    #expect(maxAbsDiff(y, [0, 0.731_058_6, -0.268_941_4, 0]) < 1e-7)
}

@Test func vectorExpMatchesLibm() {
    var worst = 0.0
    var x = Float(-87)
    while x < 87.9 {
        var lanes = SIMD16<Float>()
        for l in 0..<16 { lanes[l] = x + Float(l) * 0.000_1 }
        let y = vectorExp(lanes)
        for l in 0..<16 {
            let ref = exp(Double(lanes[l]))
            worst = max(worst, abs(Double(y[l]) - ref) / ref)
        }
        x += 0.001_7
    }
    print("vectorExp vs exp (Double) on [−87, 88]: max relative error \(worst)")
    #expect(worst < 3e-7)                                      // ≈ 2.5 ulp of float32
    let edges = vectorExp(SIMD16<Float>(0, -.infinity, .infinity, -100, 100, .nan, 1, -1, 0, 0, 0, 0, 0, 0, 0, 0))
    #expect(edges[0] == 1 && edges[1] == 0 && edges[2] == .infinity && edges[3] == 0 && edges[4] == .infinity)
    #expect(edges[5].isNaN)
}
