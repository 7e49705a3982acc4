// Reductions — sum and mean, over all elements or along one axis. Sums are accumulated in Double.
//
//   s = Σᵢ xᵢ       ∂s/∂xᵢ = 1         (the gradient is broadcast back over the reduced axis)
//   m = (1/n) Σᵢ xᵢ ∂m/∂xᵢ = 1/n

import LabCore

/// Σ of all elements, a scalar (shape []). ∂L/∂x = ∂L/∂s everywhere.
public func sum(_ x: Variable) -> Variable { reduceAll(x, mean: false) }

/// Mean of all elements, a scalar (shape []). ∂L/∂x = (∂L/∂m)/n everywhere.
public func mean(_ x: Variable) -> Variable { reduceAll(x, mean: true) }

/// Σ along `axis` (negative counts from the end); the axis is dropped unless `keepDims`.
public func sum(_ x: Variable, axis: Int, keepDims: Bool = false) -> Variable { reduce(x, axis: axis, keepDims: keepDims, mean: false) }

/// Mean along `axis` (negative counts from the end); the axis is dropped unless `keepDims`.
public func mean(_ x: Variable, axis: Int, keepDims: Bool = false) -> Variable { reduce(x, axis: axis, keepDims: keepDims, mean: true) }

private func reduceAll(_ x: Variable, mean: Bool) -> Variable {
    let n = x.value.count
    var s = 0.0
    for v in x.value.data { s += Double(v) }
    let factor: Float = mean ? 1 / Float(n) : 1
    let out = Tensor(scalar: Float(mean ? s / Double(n) : s))
    return makeNode(out, op: mean ? "mean" : "sum", parents: [x]) { g in
        x.accumulateGrad(Tensor(repeating: g.scalar * factor, shape: x.shape))
    }
}

private func reduce(_ x: Variable, axis: Int, keepDims: Bool, mean: Bool) -> Variable {
    let r = x.value.rank
    let ax = axis < 0 ? axis + r : axis
    precondition(ax >= 0 && ax < r, "Autograd.\(mean ? "mean" : "sum"): axis \(axis) out of range for \(x.shape)")
    let outer = x.shape[..<ax].reduce(1, *), n = x.shape[ax], inner = x.shape[(ax + 1)...].reduce(1, *)
    var shape = x.shape
    if keepDims { shape[ax] = 1 } else { shape.remove(at: ax) }
    let factor = mean ? 1 / Double(n) : 1
    var out = [Float](repeating: 0, count: outer * inner)
    var acc = [Double](repeating: 0, count: inner)
    x.value.data.withUnsafeBufferPointer { src in
        for o in 0..<outer {
            for i in 0..<inner { acc[i] = 0 }
            for j in 0..<n {
                let row = (o * n + j) * inner
                for i in 0..<inner { acc[i] += Double(src[row + i]) }
            }
            for i in 0..<inner { out[o * inner + i] = Float(acc[i] * factor) }
        }
    }
    return makeNode(Tensor(shape: shape, data: out), op: mean ? "mean(axis)" : "sum(axis)", parents: [x]) { g in
        let f = Float(factor)
        g.data.withUnsafeBufferPointer { pg in
            x.withGradBuffer { gx in
                for o in 0..<outer {
                    for j in 0..<n {
                        let row = (o * n + j) * inner
                        for i in 0..<inner { gx[row + i] += pg[o * inner + i] * f }
                    }
                }
            }
        }
    }
}
