// Tensor basics and parallelFor, hand-checked.
import Testing
@testable import LabCore

@Test func matmulHandChecked() {
    let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    let b = Tensor(shape: [3, 2], data: [7, 8, 9, 10, 11, 12])
    // [1 2 3]·[7 9 11]ᵀ = 58, [1 2 3]·[8 10 12]ᵀ = 64, [4 5 6]·… = 139, 154
    #expect(a.matmul(b) == Tensor(shape: [2, 2], data: [58, 64, 139, 154]))
}

@Test func transposeReshapeRows() {
    let a = Tensor(shape: [2, 3], data: [1, 2, 3, 4, 5, 6])
    #expect(a.transposed() == Tensor(shape: [3, 2], data: [1, 4, 2, 5, 3, 6]))
    #expect(a.reshaped([3, -1]).shape == [3, 2])
    #expect(a.row(1) == Tensor(shape: [3], data: [4, 5, 6]))
    #expect(a[1, 2] == 6)
    #expect(Tensor.stack([a.row(0), a.row(1)]) == a)
    #expect(a.strides == [3, 1])
}

@Test func parallelForCoversEveryIndexOnce() {
    for count in [0, 1, 3, 17, 1023] {
        for threads in [1, 2, 3, 8] {
            var hits = [Int](repeating: 0, count: count)
            hits.withUnsafeMutableBufferPointer { h in
                let p = h.baseAddress
                parallelFor(count, threads: threads) { range in for i in range { p![i] += 1 } }
            }
            #expect(hits.allSatisfy { $0 == 1 }, "count \(count), threads \(threads)")
        }
    }
}
