// SwiGLU's gating as one Autograd node — the middle of ERNIE's MLP (Shazeer 2020, "GLU Variants Improve
// Transformer", https://arxiv.org/abs/2002.05202):
//
//   y = silu(g) ⊙ u,   silu(g) = g·σ(g)
//   ∂L/∂u = gy ⊙ silu(g)
//   ∂L/∂g = gy ⊙ u ⊙ σ(g)·(1 + g·(1 − σ(g)))
//
// `silu(gate) * up` from Autograd's elementwise ops computes the same thing in two nodes with a closure per
// element; the trainer calls this once per layer on [B·T, F], so it is fused into one loop (the composed ops are
// its naive twin in the tests).

import Autograd
import Foundation
import LabCore

/// silu(gate) ⊙ up for `gate`, `up` of the same shape (e.g. [B·T, F]). Elements are spread over the threads in
/// blocks of 16 lanes (σ from `vectorExp`); the backward step forms both gradients in one pass.
public func swiGLU(gate: Variable, up: Variable) -> Variable {
    precondition(gate.shape == up.shape, "swiGLU: gate \(gate.shape) and up \(up.shape) differ")
    let n = gate.value.count
    var y = [Float](unsafeUninitializedCapacity: n) { _, c in c = n }
    gate.value.data.withUnsafeBufferPointer { g in up.value.data.withUnsafeBufferPointer { u in
    y.withUnsafeMutableBufferPointer { py in
        let (G, U, Y) = (g.baseAddress!, u.baseAddress!, py.baseAddress!)
        forEachLaneBlock(n) { i, lanes in
            let gi = load(G + i, lanes), sigma = 1 / (1 + vectorExp(-gi))
            store(gi * sigma * load(U + i, lanes), Y + i, lanes)
        }
    }}}
    let (gv, uv) = (gate.value, up.value)
    return makeNode(Tensor(shape: gv.shape, data: y), op: "swiGLU", parents: [gate, up]) { gy in
        var scratch: [Float] = []       // the gradient of an input that needs none
        func buffer(_ x: Variable, _ body: (UnsafeMutablePointer<Float>, Bool) -> Void) {
            if x.requiresGrad { x.withGradBuffer(overwriting: { body($0.baseAddress!, $1) }); return }
            if scratch.isEmpty { scratch = [Float](repeating: 0, count: n) }
            scratch.withUnsafeMutableBufferPointer { body($0.baseAddress!, true) }
        }
        gy.data.withUnsafeBufferPointer { dy in gv.data.withUnsafeBufferPointer { g in uv.data.withUnsafeBufferPointer { u in
        buffer(up) { DU, overwriteU in buffer(gate) { DG, overwriteG in
            let (DY, G, U) = (dy.baseAddress!, g.baseAddress!, u.baseAddress!)
            forEachLaneBlock(n) { i, lanes in
                let (d, gi, ui) = (load(DY + i, lanes), load(G + i, lanes), load(U + i, lanes))
                let s = 1 / (1 + vectorExp(-gi))
                var du = d * gi * s, dg = d * ui * s * (1 + gi * (1 - s))
                if !overwriteU { du += load(DU + i, lanes) }
                if !overwriteG { dg += load(DG + i, lanes) }
                store(du, DU + i, lanes)
                store(dg, DG + i, lanes)
            }
        }}}}}
    }
}

/// Calls `body(start, lanes)` for blocks of 16 elements covering 0..<count (the last may be shorter), the blocks
/// spread over the threads.
@inline(__always)
func forEachLaneBlock(_ count: Int, _ body: (Int, Int) -> Void) {
    let blocks = (count + 15) / 16
    parallelFor(blocks, minChunk: 1024) { range in
        for b in range { body(b * 16, min(16, count - b * 16)) }
    }
}

/// Loads `lanes` ≤ 16 floats (the rest 0).
@inline(__always)
func load(_ p: UnsafePointer<Float>, _ lanes: Int) -> SIMD16<Float> {
    if lanes == 16 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }
    var v = SIMD16<Float>()
    for l in 0..<lanes { v[l] = p[l] }
    return v
}
@inline(__always)
func load(_ p: UnsafeMutablePointer<Float>, _ lanes: Int) -> SIMD16<Float> { load(UnsafePointer(p), lanes) }

/// Stores the first `lanes` ≤ 16 lanes.
@inline(__always)
func store(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>, _ lanes: Int) {
    if lanes == 16 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self); return }
    for l in 0..<lanes { p[l] = v[l] }
}
