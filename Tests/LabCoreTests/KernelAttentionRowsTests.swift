// dotRows and weightedRowSum (attention's loops over cached rows) against the per-row `dot` and `axpy` they
// replace, bit for bit, for widths with and without a ragged tail and row counts not a multiple of 4.
import Testing
@testable import LabCore

@Test(arguments: [128, 64, 48, 20, 200])
func attentionRowLoopsEqualDotAndAxpyBitForBit(_ n: Int) {
    let stride = n + 40, count = 37
    let q = randomFloats(n, seed: 1), rows = randomFloats(count * stride, seed: 2)
    let w = randomFloats(count, seed: 3).map { abs($0) }
    var fast = [Float](repeating: .nan, count: count), slow = fast
    var yFast = [Float](repeating: .nan, count: n), ySlow = [Float](repeating: 0, count: n)
    q.withUnsafeBufferPointer { q in
        rows.withUnsafeBufferPointer { r in
            dotRows(q.baseAddress!, r.baseAddress!, stride: stride, count: count, width: n, scale: 0.125, into: &fast)
            for s in 0..<count { slow[s] = dot(q.baseAddress!, r.baseAddress! + s * stride, count: n) * 0.125 }
            w.withUnsafeBufferPointer { w in
                weightedRowSum(w.baseAddress!, r.baseAddress!, stride: stride, count: count, width: n, into: &yFast)
                for s in 0..<count { axpy(w[s], r.baseAddress! + s * stride, into: &ySlow, count: n) }
            }
        }
    }
    let scoreDiffs = zip(fast, slow).filter { $0.bitPattern != $1.bitPattern }.count
    let sumDiffs = zip(yFast, ySlow).filter { $0.bitPattern != $1.bitPattern }.count
    print("attention rows, width \(n): scores differing \(scoreDiffs) of \(count), sums differing \(sumDiffs) of \(n)")
    #expect(scoreDiffs == 0 && sumDiffs == 0)
    #expect(fast.allSatisfy(\.isFinite) && yFast.allSatisfy(\.isFinite), "every output written")
}
