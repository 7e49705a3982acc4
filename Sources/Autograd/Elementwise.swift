// Elementwise arithmetic — add, sub, mul, div with broadcasting (Broadcast.swift), and the scalar forms.
//
// For out = a ∘ b, each backward step adds the local derivative times ∂L/∂out into the inputs, summed over the
// axes along which an input was repeated:
//   a + b:  ∂out/∂a = 1,      ∂out/∂b = 1
//   a − b:  ∂out/∂a = 1,      ∂out/∂b = −1
//   a ⊙ b:  ∂out/∂a = b,      ∂out/∂b = a
//   a ⊘ b:  ∂out/∂a = 1/b,    ∂out/∂b = −a/b²

import LabCore

/// Forward of a broadcast binary op: out[o] = f(a[ia], b[ib]).
@inline(__always)
private func broadcastForward(_ a: Tensor, _ b: Tensor, _ bc: Broadcast, _ f: (Float, Float) -> Float) -> Tensor {
    if a.shape == b.shape { return a.zipWith(b, f) }
    var out = [Float](repeating: 0, count: bc.count)
    a.data.withUnsafeBufferPointer { pa in
        b.data.withUnsafeBufferPointer { pb in
            out.withUnsafeMutableBufferPointer { po in
                bc.forEach { o, ia, ib in po[o] = f(pa[ia], pb[ib]) }
            }
        }
    }
    return Tensor(shape: bc.outShape, data: out)
}

/// Adds term(o, ia, ib) into `v.grad` at the operand index (ia for the left operand, ib for the right),
/// which sums over the axes the operand was broadcast along.
@inline(__always)
private func accumulateBroadcast(_ v: Variable, _ bc: Broadcast, left: Bool, _ term: (Int, Int, Int) -> Float) {
    guard v.requiresGrad else { return }
    v.withGradBuffer { gv in
        bc.forEach { o, ia, ib in gv[left ? ia : ib] += term(o, ia, ib) }
    }
}

/// Adds ∂L/∂out into an operand whose local derivative is 1 (no copy when it was not broadcast).
private func passThrough(_ g: Tensor, to v: Variable, _ bc: Broadcast, left: Bool) {
    guard v.requiresGrad else { return }
    if v.shape == g.shape { v.accumulateGrad(g); return }
    let gd = g.data
    accumulateBroadcast(v, bc, left: left) { o, _, _ in gd[o] }
}

/// out = a + b (broadcast). ∂out/∂a = 1, ∂out/∂b = 1.
public func add(_ a: Variable, _ b: Variable) -> Variable {
    let bc = Broadcast(a.shape, b.shape)
    let out = a.shape == b.shape ? sameShapeSum(a.value, b.value) : broadcastForward(a.value, b.value, bc, +)
    return makeNode(out, op: "add", parents: [a, b]) { g in
        passThrough(g, to: a, bc, left: true)
        passThrough(g, to: b, bc, left: false)
    }
}

/// a + b for equal shapes (a transformer's residual connections), in contiguous ranges spread over the threads.
private func sameShapeSum(_ a: Tensor, _ b: Tensor) -> Tensor {
    let n = a.count
    var out = [Float](unsafeUninitializedCapacity: n) { _, c in c = n }
    a.data.withUnsafeBufferPointer { pa in b.data.withUnsafeBufferPointer { pb in out.withUnsafeMutableBufferPointer { po in
        parallelFor(n, minChunk: 65_536) { range in for i in range { po[i] = pa[i] + pb[i] } }
    }}}
    return Tensor(shape: a.shape, data: out)
}

/// out = a − b (broadcast). ∂out/∂a = 1, ∂out/∂b = −1.
public func sub(_ a: Variable, _ b: Variable) -> Variable {
    let bc = Broadcast(a.shape, b.shape)
    let out = broadcastForward(a.value, b.value, bc, -)
    return makeNode(out, op: "sub", parents: [a, b]) { g in
        let gd = g.data
        passThrough(g, to: a, bc, left: true)
        accumulateBroadcast(b, bc, left: false) { o, _, _ in -gd[o] }
    }
}

/// out = a ⊙ b (broadcast). ∂out/∂a = b, ∂out/∂b = a.
public func mul(_ a: Variable, _ b: Variable) -> Variable {
    let bc = Broadcast(a.shape, b.shape)
    let (av, bv) = (a.value, b.value)
    let out = broadcastForward(av, bv, bc, *)
    return makeNode(out, op: "mul", parents: [a, b]) { g in
        let (gd, ad, bd) = (g.data, av.data, bv.data)
        accumulateBroadcast(a, bc, left: true) { o, _, ib in gd[o] * bd[ib] }
        accumulateBroadcast(b, bc, left: false) { o, ia, _ in gd[o] * ad[ia] }
    }
}

/// out = a ⊘ b (broadcast). ∂out/∂a = 1/b, ∂out/∂b = −a/b².
public func div(_ a: Variable, _ b: Variable) -> Variable {
    let bc = Broadcast(a.shape, b.shape)
    let (av, bv) = (a.value, b.value)
    let out = broadcastForward(av, bv, bc, /)
    return makeNode(out, op: "div", parents: [a, b]) { g in
        let (gd, ad, bd) = (g.data, av.data, bv.data)
        accumulateBroadcast(a, bc, left: true) { o, _, ib in gd[o] / bd[ib] }
        accumulateBroadcast(b, bc, left: false) { o, ia, ib in -gd[o] * ad[ia] / (bd[ib] * bd[ib]) }
    }
}

/// out = s·x. ∂out/∂x = s.
public func scale(_ x: Variable, _ s: Float) -> Variable {
    makeNode(x.value * s, op: "scale", parents: [x]) { g in x.accumulateGrad(g * s) }
}

/// out = x + s. ∂out/∂x = 1.
public func shift(_ x: Variable, _ s: Float) -> Variable {
    makeNode(x.value + s, op: "shift", parents: [x]) { g in x.accumulateGrad(g) }
}

public func + (a: Variable, b: Variable) -> Variable { add(a, b) }
public func - (a: Variable, b: Variable) -> Variable { sub(a, b) }
public func * (a: Variable, b: Variable) -> Variable { mul(a, b) }
public func / (a: Variable, b: Variable) -> Variable { div(a, b) }
public prefix func - (x: Variable) -> Variable { scale(x, -1) }
public func * (x: Variable, s: Float) -> Variable { scale(x, s) }
public func * (s: Float, x: Variable) -> Variable { scale(x, s) }
public func / (x: Variable, s: Float) -> Variable { scale(x, 1 / s) }
public func + (x: Variable, s: Float) -> Variable { shift(x, s) }
public func + (s: Float, x: Variable) -> Variable { shift(x, s) }
public func - (x: Variable, s: Float) -> Variable { shift(x, -s) }
public func - (s: Float, x: Variable) -> Variable { shift(scale(x, -1), s) }
public func / (s: Float, x: Variable) -> Variable { div(Variable.constant(Tensor(scalar: s)), x) }
