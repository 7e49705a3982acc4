// Shape ops — reshape, transpose/permute, slice and concat: they move elements, so their backward moves the
// gradient back to where each element came from (a reshape's gradient is reshaped back, a slice's is scattered into
// zeros, a concat's is split).
//
// Attention uses them to go from [T, H·Dh] to per-head [H, T, Dh] and back (Attention.swift), and the GRU to cut
// the fused gate pre-activations [B, 3·Hd] into r, z, n.

import LabCore

/// The same elements under a new shape (one extent may be −1). ∂L/∂x = reshape(∂L/∂out, x.shape).
public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
    let out = x.value.reshaped(shape)
    return makeNode(out, op: "reshape", parents: [x]) { g in x.accumulateGrad(g.reshaped(x.shape)) }
}

/// Moves axes: out.shape[i] = x.shape[order[i]]. ∂L/∂x = permute(∂L/∂out, order⁻¹).
public func permute(_ x: Variable, _ order: [Int]) -> Variable {
    precondition(order.sorted() == Array(0..<x.value.rank), "Autograd.permute: \(order) is not a permutation of the axes of \(x.shape)")
    let out = permuted(x.value, order)
    var inverse = [Int](repeating: 0, count: order.count)
    for (i, o) in order.enumerated() { inverse[o] = i }
    return makeNode(out, op: "permute", parents: [x]) { g in x.accumulateGrad(permuted(g, inverse)) }
}

/// Swaps two axes (default: the last two, the matrix transpose).
public func transpose(_ x: Variable, _ axis0: Int = -2, _ axis1: Int = -1) -> Variable {
    let r = x.value.rank
    let (i, j) = (axis0 < 0 ? axis0 + r : axis0, axis1 < 0 ? axis1 + r : axis1)
    precondition(i >= 0 && i < r && j >= 0 && j < r, "Autograd.transpose: axes \(axis0), \(axis1) out of range for \(x.shape)")
    var order = Array(0..<r)
    order.swapAt(i, j)
    return permute(x, order)
}

/// The strided copy behind `permute`: walks the output in row-major order, reading the source through permuted strides.
func permuted(_ t: Tensor, _ order: [Int]) -> Tensor {
    if order == Array(0..<t.rank) { return t }
    let outShape = order.map { t.shape[$0] }
    let srcStrides = t.strides
    let readStrides = order.map { srcStrides[$0] }
    var out = [Float](repeating: 0, count: t.count)
    let rank = outShape.count
    var index = [Int](repeating: 0, count: rank)
    t.data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            var s = 0
            for o in 0..<dst.count {
                dst[o] = src[s]
                var axis = rank - 1
                while axis >= 0 {
                    index[axis] += 1
                    s += readStrides[axis]
                    if index[axis] < outShape[axis] { break }
                    s -= readStrides[axis] * outShape[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
    return Tensor(shape: outShape, data: out)
}

/// Views a shape as [outer, extent of `axis`, inner] for block copies along one axis.
private func blocks(_ shape: [Int], _ axis: Int) -> (outer: Int, n: Int, inner: Int) {
    (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
}

private func normalized(_ axis: Int, _ rank: Int, _ what: String) -> Int {
    let a = axis < 0 ? axis + rank : axis
    precondition(a >= 0 && a < rank, "Autograd.\(what): axis \(axis) out of range for rank \(rank)")
    return a
}

/// Elements `range` along `axis`. ∂L/∂x is ∂L/∂out placed at `range`, zero elsewhere.
public func slice(_ x: Variable, axis: Int, _ range: Range<Int>) -> Variable {
    let ax = normalized(axis, x.value.rank, "slice")
    precondition(range.lowerBound >= 0 && range.upperBound <= x.shape[ax],
                 "Autograd.slice: \(range) out of bounds for axis \(ax) of \(x.shape)")
    let (outer, n, inner) = blocks(x.shape, ax)
    let width = range.count * inner
    var shape = x.shape
    shape[ax] = range.count
    var out = [Float](repeating: 0, count: outer * width)
    x.value.data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for o in 0..<outer {
                let from = (o * n + range.lowerBound) * inner
                for i in 0..<width { dst[o * width + i] = src[from + i] }
            }
        }
    }
    return makeNode(Tensor(shape: shape, data: out), op: "slice", parents: [x]) { g in
        g.data.withUnsafeBufferPointer { pg in
            x.withGradBuffer { gx in
                for o in 0..<outer {
                    let to = (o * n + range.lowerBound) * inner
                    for i in 0..<width { gx[to + i] += pg[o * width + i] }
                }
            }
        }
    }
}

/// Joins tensors along `axis` (all other extents equal). ∂L/∂partₖ is the matching piece of ∂L/∂out.
public func concat(_ parts: [Variable], axis: Int) -> Variable {
    precondition(!parts.isEmpty, "Autograd.concat of nothing")
    let ax = normalized(axis, parts[0].value.rank, "concat")
    for p in parts {
        var s = p.shape, s0 = parts[0].shape
        precondition(s.count == s0.count, "Autograd.concat: ranks differ: \(parts.map(\.shape))")
        s[ax] = 0; s0[ax] = 0
        precondition(s == s0, "Autograd.concat: shapes \(parts.map(\.shape)) differ off axis \(ax)")
    }
    let (outer, _, inner) = blocks(parts[0].shape, ax)
    let widths = parts.map { $0.shape[ax] * inner }
    let total = widths.reduce(0, +)
    var shape = parts[0].shape
    shape[ax] = parts.map { $0.shape[ax] }.reduce(0, +)
    var out = [Float](repeating: 0, count: outer * total)
    out.withUnsafeMutableBufferPointer { dst in
        var offset = 0
        for (p, w) in zip(parts, widths) {
            p.value.data.withUnsafeBufferPointer { src in
                for o in 0..<outer { for i in 0..<w { dst[o * total + offset + i] = src[o * w + i] } }
            }
            offset += w
        }
    }
    return makeNode(Tensor(shape: shape, data: out), op: "concat", parents: parts) { g in
        g.data.withUnsafeBufferPointer { pg in
            var offset = 0
            for (p, w) in zip(parts, widths) {
                if p.requiresGrad {
                    p.withGradBuffer { gp in
                        for o in 0..<outer { for i in 0..<w { gp[o * w + i] += pg[o * total + offset + i] } }
                    }
                }
                offset += w
            }
        }
    }
}
