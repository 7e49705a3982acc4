// The training kernels' row steps — softmaxInPlace (scaled, masked by length), softmaxBackwardInPlace, logSumExp,
// scaledSoftmax — against Double references written out here from their definitions.
import Testing
import Foundation
@testable import LabCore

private let lengths = [1, 3, 16, 17, 48, 128, 3072]

@Test func softmaxInPlaceEqualsScaledNaive() {
    var worst: Float = 0
    for n in lengths {
        let x = randomFloats(n, seed: UInt64(n)).map { $0 * 8 }
        let scale: Float = 0.144
        var ref = [Float](repeating: 0, count: n)
        softmaxNaive(rows: 1, cols: n, x: x.map { $0 * scale }, y: &ref)
        var fast = x
        softmaxInPlace(&fast, count: n, scale: scale)
        for i in 0..<n {
            #expect(abs(fast[i] - ref[i]) <= 1e-5 * ref[i] + 1e-30, "softmaxInPlace n \(n) at \(i)")
            worst = max(worst, abs(fast[i] - ref[i]) / ref[i])
        }
    }
    print("softmaxInPlace vs naive: max relative diff \(worst)")
}

@Test func softmaxBackwardInPlaceEqualsDefinition() {
    var worst = 0.0
    for n in lengths {
        var y = randomFloats(n, seed: UInt64(n) + 7).map { abs($0) + 0.01 }
        let total = y.reduce(0, +)
        y = y.map { $0 / total }
        let g = randomFloats(n, seed: UInt64(n) + 9)
        let scale: Float = 0.5
        let dot = zip(g, y).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let ref = (0..<n).map { Double(scale) * Double(y[$0]) * (Double(g[$0]) - dot) }
        var fast = g
        softmaxBackwardInPlace(y: y, g: &fast, count: n, scale: scale)
        let diff = zip(fast, ref).map { abs(Double($0) - $1) }.max()!
        #expect(diff <= 1e-6, "softmaxBackwardInPlace n \(n)")
        worst = max(worst, diff)
    }
    print("softmaxBackwardInPlace vs Double definition: max abs diff \(worst)")
}

@Test func logSumExpAndScaledSoftmaxEqualNaive() {
    var worstLSE = 0.0, worstP: Float = 0
    for n in lengths {
        let x = randomFloats(n, seed: UInt64(n) + 3).map { $0 * 10 }
        let m = Double(x.max()!)
        let ref = m + Foundation.log(x.reduce(0.0) { $0 + Foundation.exp(Double($1) - m) })
        let fast = logSumExp(x, count: n)
        #expect(abs(Double(fast) - ref) <= 1e-5 * max(1, abs(ref)), "logSumExp n \(n)")
        worstLSE = max(worstLSE, abs(Double(fast) - ref))
        // c · softmax, stored then accumulated on top of itself (= 2c · softmax).
        var p = [Float](repeating: 0, count: n)
        softmaxNaive(rows: 1, cols: n, x: x, y: &p)
        var out = [Float](repeating: .nan, count: n)
        scaledSoftmax(x, count: n, logSumExp: fast, scale: 0.25, into: &out, accumulate: false)
        scaledSoftmax(x, count: n, logSumExp: fast, scale: 0.25, into: &out, accumulate: true)
        for i in 0..<n {
            #expect(abs(out[i] - 0.5 * p[i]) <= 2e-5 * p[i] + 1e-30, "scaledSoftmax n \(n) at \(i)")
            worstP = max(worstP, abs(out[i] - 0.5 * p[i]) / (0.5 * p[i]))
        }
    }
    print("logSumExp vs Double: max abs diff \(worstLSE); scaledSoftmax: max relative diff \(worstP)")
}
