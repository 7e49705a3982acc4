// The fused SwiGLU node against its naive twin, Autograd's silu(gate) * up: same values, same gradients.

import Autograd
import LabCore
import Testing
@testable import ErnieTraining

@Test func fusedSwiGLUEqualsSiluTimesUp() {
    var rng = SeededRNG(seed: 11)
    let g = Tensor.randn([5, 7], std: 3, rng: &rng), u = Tensor.randn([5, 7], rng: &rng)
    let seed = Tensor.randn([5, 7], rng: &rng)
    let (g1, u1) = (Variable.parameter(g), Variable.parameter(u))
    let (g2, u2) = (Variable.parameter(g), Variable.parameter(u))
    let fused = swiGLU(gate: g1, up: u1)
    let naive = silu(g2) * u2
    fused.backward(seed: seed)
    naive.backward(seed: seed)
    func diff(_ a: Tensor, _ b: Tensor) -> Float { zip(a.data, b.data).map { abs($0 - $1) }.max()! }
    let dy = diff(fused.value, naive.value), dg = diff(g1.grad!, g2.grad!), du = diff(u1.grad!, u2.grad!)
    print("swiGLU fused vs silu*up: max abs diff value \(dy), ∂gate \(dg), ∂up \(du)")
    #expect(dy <= 1e-6 && dg <= 1e-5 && du <= 1e-6)
}
