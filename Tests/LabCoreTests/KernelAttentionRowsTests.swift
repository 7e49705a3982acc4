// dotRows and weightedRowSum (attention's loops over cached rows) against the per-row `dot` and `axpy` they
// replace, bit for bit, for widths with and without a ragged tail, row counts not a multiple of 4 nor of the
// 32-row block, and one to three query heads sharing the rows (grouped-query attention).
import Testing
@testable import LabCore

@Test(arguments: [(128, 1), (64, 1), (48, 1), (20, 1), (200, 1), (128, 3), (20, 2)])
func attentionRowLoopsEqualDotAndAxpyBitForBit(_ n: Int, _ queries: Int) {
    let stride = n + 40, count = 37
    let q = randomFloats(queries * n, seed: 1), rows = randomFloats(count * stride, seed: 2)
    let w = randomFloats(queries * count, seed: 3).map { abs($0) }
    var fast = [Float](repeating: .nan, count: queries * count), slow = fast
    var yFast = [Float](repeating: .nan, count: queries * n), ySlow = [Float](repeating: 0, count: queries * n)
    q.withUnsafeBufferPointer { q in
        rows.withUnsafeBufferPointer { r in
            dotRows(q.baseAddress!, r.baseAddress!, stride: stride, count: count, width: n, scale: 0.125, into: &fast,
                    queries: queries)
            w.withUnsafeBufferPointer { w in
                weightedRowSum(w.baseAddress!, r.baseAddress!, stride: stride, count: count, width: n, into: &yFast,
                               queries: queries)
                ySlow.withUnsafeMutableBufferPointer { y in
                    for g in 0..<queries {
                        for s in 0..<count {
                            let k = r.baseAddress! + s * stride
                            slow[g * count + s] = dot(q.baseAddress! + g * n, k, count: n) * 0.125
                            axpy(w[g * count + s], k, into: y.baseAddress! + g * n, count: n)
                        }
                    }
                }
            }
        }
    }
    let scoreDiffs = zip(fast, slow).filter { $0.bitPattern != $1.bitPattern }.count
    let sumDiffs = zip(yFast, ySlow).filter { $0.bitPattern != $1.bitPattern }.count
    print("attention rows, width \(n), \(queries) heads: scores differing \(scoreDiffs) of \(fast.count),",
          "sums differing \(sumDiffs) of \(yFast.count)")
    #expect(scoreDiffs == 0 && sumDiffs == 0)
    #expect(fast.allSatisfy(\.isFinite) && yFast.allSatisfy(\.isFinite), "every output written")
}
