// The tape's bookkeeping, checked on hand-computed examples: gradients of a node used twice add up, repeated
// backward passes accumulate into leaves as in PyTorch, interior nodes keep their gradient, constants build no
// graph, deep graphs need no recursion, and gradcheck itself catches a wrong derivative.

@testable import Autograd
import Foundation
import LabCore
import Testing

@Test func gradientsOfANodeUsedTwiceAddUp() {
    // L = Σ (a ⊙ a + a)  ⇒  ∂L/∂a = 2a + 1
    let a = Variable.parameter(Tensor(shape: [3], data: [1, -2, 0.5]))
    let loss = sum(a * a + a)
    loss.backward()
    print("L = \(loss.value.scalar), ∂L/∂a = \(a.grad!.data)")
    #expect(loss.value.scalar == 1 + 1 + 4 - 2 + 0.25 + 0.5)
    #expect(a.grad!.data == [3, -3, 2])
}

@Test func repeatedBackwardAccumulatesIntoLeavesUntilZeroGrad() {
    // L = Σ (3·x)  ⇒  ∂L/∂x = 3 per pass
    let x = Variable.parameter(Tensor(shape: [2], data: [1, 2]))
    let loss = sum(x * 3)
    loss.backward()
    loss.backward()
    #expect(x.grad!.data == [6, 6])
    x.zeroGrad()
    #expect(x.grad == nil)
    loss.backward()
    #expect(x.grad!.data == [3, 3])
}

@Test func interiorNodesKeepTheirGradient() {
    // h = 2x, L = Σ h²  ⇒  ∂L/∂h = 2h = 4x, ∂L/∂x = 8x
    let x = Variable.parameter(Tensor(shape: [2], data: [1, -3]))
    let h = x * 2
    let loss = sum(h * h)
    loss.backward()
    #expect(h.grad!.data == [4, -12])
    #expect(x.grad!.data == [8, -24])
}

@Test func opsOnConstantsBuildNoGraph() {
    let c = Variable.constant(Tensor(shape: [2, 2], data: [1, 2, 3, 4]))
    let y = tanh(matmul(c, c) + c)
    #expect(y.isLeaf && !y.requiresGrad && y.parents.isEmpty)
    let w = Variable.parameter(Tensor(shape: [2, 2], data: [1, 0, 0, 1]))
    let z = matmul(c, w)
    #expect(!z.isLeaf && z.requiresGrad)
}

@Test func deepChainNeedsNoRecursion() {
    // y = x·1.0001ⁿ through n separate nodes  ⇒  ∂y/∂x = 1.0001ⁿ
    let n = 20_000
    let x = Variable.parameter(Tensor(scalar: 1))
    var y = x
    for _ in 0..<n { y = y * 1.0001 }
    y.backward()
    let expected = Foundation.pow(1.0001, Double(n))
    let got = Double(x.grad!.scalar)
    print("deep chain: ∂y/∂x = \(got), expected \(expected)")
    #expect(abs(got - expected) / expected < 1e-3)
}

@Test func aLongChainIsFreedWithoutRecursion() {
    // ARC alone would release the chain in 200 000 nested calls and overflow an 8 MB stack (it does at ~50 000);
    // Variable.deinit unrolls it.
    weak var first: Variable?
    do {
        let x = Variable.parameter(Tensor(scalar: 1))
        var y = x * 1
        first = y
        for _ in 0..<200_000 { y = y + 0 }
        #expect(first != nil)
    }
    #expect(first == nil)
}

@Test func fusedCausalSoftmaxEqualsMaskThenSoftmax() {
    var rng = SeededRNG(seed: 5)
    let s1 = Variable.parameter(Tensor.randn([2, 3, 5], rng: &rng))
    let s2 = Variable.parameter(s1.value)
    let w = Tensor.randn([2, 3, 5], rng: &rng)
    let p1 = softmax(causalMask(s1)), p2 = causalSoftmax(s2)
    p1.backward(seed: w)
    p2.backward(seed: w)
    let dv = p1.value.maxAbsDifference(p2.value), dg = s1.grad!.maxAbsDifference(s2.grad!)
    print("causal softmax fused vs composed: max abs diff values \(dv), gradients \(dg)")
    #expect(dv <= 1e-7 && dg <= 1e-7)
    // Query row i of Tq = 3 over Tk = 5 keys sits at position i + 2 and sees keys 0...i+2.
    #expect(p2.value[0, 0, 3] == 0 && p2.value[0, 0, 4] == 0 && p2.value[0, 1, 4] == 0 && p2.value[0, 2, 4] > 0)
}

@Test func gradcheckCatchesAWrongDerivative() {
    // y = sin x with the derivative deliberately given as sin x instead of cos x.
    let x = Variable.parameter(Tensor(shape: [4], data: [0.3, -1.2, 2.0, 0.7]))
    let wrong = gradcheck([x]) {
        makeNode(x.value.map { Foundation.sin($0) }, op: "sin (wrong)", parents: [x]) { g in
            x.accumulateGrad(g * x.value.map { Foundation.sin($0) })
        }
    }
    let right = gradcheck([x]) {
        makeNode(x.value.map { Foundation.sin($0) }, op: "sin", parents: [x]) { g in
            x.accumulateGrad(Tensor(shape: g.shape, data: zip(g.data, x.value.data).map { $0 * Foundation.cos($1) }))
        }
    }
    print("gradcheck on a wrong derivative: \(wrong); on the right one: \(right)")
    #expect(wrong.maxRelError > 0.1)
    #expect(right.maxRelError < 1e-3)
}

@Test func clipGradNormScalesToMaxNormAndReportsTheNorm() {
    // grads (3, 4) and (12) have global norm 13; clipping to 6.5 halves them.
    let a = Variable.parameter(Tensor(shape: [2], data: [0, 0])), b = Variable.parameter(Tensor(scalar: 0))
    a.grad = Tensor(shape: [2], data: [3, 4])
    b.grad = Tensor(scalar: 12)
    let norm = clipGradNorm([a, b], maxNorm: 6.5)
    #expect(norm == 13)
    #expect(abs(a.grad!.data[0] - 1.5) < 1e-6 && abs(a.grad!.data[1] - 2) < 1e-6 && abs(b.grad!.scalar - 6) < 1e-6)
    // Below the threshold nothing changes.
    #expect(clipGradNorm([a, b], maxNorm: 100) < 6.5 + 1e-5)
    #expect(abs(b.grad!.scalar - 6) < 1e-6)
}

@Test func optimizersLeaveParametersWithoutGradientAlone() {
    let used = Variable.parameter(Tensor(shape: [2], data: [1, 1])), unused = Variable.parameter(Tensor(shape: [2], data: [5, 5]))
    let adam = AdamW([used, unused], learningRate: 0.1, weightDecay: 0.5)
    let sgd = SGD([used, unused], learningRate: 0.1, momentum: 0.9)
    sum(used * 2).backward()
    adam.step()
    sgd.step()
    #expect(unused.value.data == [5, 5])
    #expect(used.value.data != [1, 1])
}

@Test func logSigmoidStaysFiniteWhereLogOfSigmoidDoesNot() {
    // ln σ(−200) = −200 − ln(1 + e⁻²⁰⁰) ≈ −200; ln σ(30) ≈ −e⁻³⁰ ≈ −9.4·10⁻¹⁴
    let x = Variable.parameter(Tensor(shape: [3], data: [-200, 0, 30]))
    let y = logSigmoid(x)
    sum(y).backward()
    print("logSigmoid(-200, 0, 30) = \(y.value.data), gradient \(x.grad!.data)")
    #expect(y.value.data[0] == -200)
    #expect(abs(y.value.data[1] - Float(-Foundation.log(2.0))) < 1e-7)
    #expect(y.value.data[2] < 0 && y.value.data[2] > -1e-12)
    #expect(x.grad!.data[0] == 1 && x.grad!.data[1] == 0.5 && x.grad!.data[2] < 1e-12)
    #expect(log(sigmoid(Variable.constant(Tensor(scalar: -200)))).value.scalar == -.infinity)
}
