// Broadcast — NumPy/PyTorch broadcasting of two shapes, used by the elementwise ops.
//
// Shapes are aligned on their last axis; an axis of extent 1 (or a missing leading axis) is repeated to match the
// other operand: [T, D] with [D] → [T, D] (a row vector over every row), [T, D] with [T, 1] → [T, D] (a column),
// [T, D] with [] → [T, D] (a scalar). https://numpy.org/doc/stable/user/basics.broadcasting.html
//
// The backward of a broadcast op sums the output gradient over the repeated axes: if b [D] was added to every row of
// a [T, D], then ∂L/∂b = Σₜ ∂L/∂out[t, :].

import LabCore

/// Index arithmetic for one broadcast pair: the output shape and, per output axis, how far each operand moves
/// (stride 0 on an axis it is repeated along).
struct Broadcast {
    let outShape: [Int]
    let aStrides: [Int]
    let bStrides: [Int]

    /// - Precondition: the shapes are compatible (equal or 1 on every aligned axis).
    init(_ a: [Int], _ b: [Int]) {
        let rank = max(a.count, b.count)
        let pa = [Int](repeating: 1, count: rank - a.count) + a
        let pb = [Int](repeating: 1, count: rank - b.count) + b
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            precondition(pa[i] == pb[i] || pa[i] == 1 || pb[i] == 1,
                         "Autograd: shapes \(a) and \(b) do not broadcast (axis \(i) from the left of the aligned shapes: \(pa[i]) vs \(pb[i]))")
            out[i] = pa[i] == 1 ? pb[i] : pa[i]
        }
        func strides(_ s: [Int]) -> [Int] {
            var st = [Int](repeating: 0, count: rank)
            var acc = 1
            for i in stride(from: rank - 1, through: 0, by: -1) {
                st[i] = s[i] == 1 ? 0 : acc
                acc *= s[i]
            }
            return st
        }
        outShape = out
        aStrides = strides(pa)
        bStrides = strides(pb)
    }

    var count: Int { outShape.reduce(1, *) }

    /// Calls `body(o, ia, ib)` for every output element `o` in row-major order, with the flat indices of the
    /// operand elements that meet there. O(count), no index arrays.
    @inline(__always)
    func forEach(_ body: (Int, Int, Int) -> Void) {
        let n = count
        guard n > 0 else { return }
        let rank = outShape.count
        var index = [Int](repeating: 0, count: rank)
        var ia = 0, ib = 0
        for o in 0..<n {
            body(o, ia, ib)
            var axis = rank - 1
            while axis >= 0 {
                index[axis] += 1
                ia += aStrides[axis]
                ib += bStrides[axis]
                if index[axis] < outShape[axis] { break }
                ia -= aStrides[axis] * outShape[axis]
                ib -= bStrides[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
