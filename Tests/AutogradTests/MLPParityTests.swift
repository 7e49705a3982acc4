// An MLP training step against PyTorch (Fixtures/mlp.json): Linear(5,8)–tanh–Linear(8,8)–ReLU–Linear(8,3)–
// cross-entropy on a batch of 4; gradients of every parameter; 3 AdamW steps with gradient clipping; 3 SGD steps
// with momentum. Tolerance: |ours − torch| ≤ 1e-5·max(1, |torch|) per element (Fixture.swift).

import Autograd
import LabCore
import Testing

private let parameterNames = ["w1", "b1", "w2", "b2", "w3", "b3"]

/// The fixture's initial parameters as fresh leaves, by name.
private func initialParameters(_ f: Fixture) -> [String: Variable] {
    Dictionary(uniqueKeysWithValues: parameterNames.map { ($0, Variable.parameter(f.tensor("init.\($0)"))) })
}

/// logits = relu(tanh(x·W1ᵀ + b1)·W2ᵀ + b2)·W3ᵀ + b3, and the mean cross-entropy against `targets`.
private func forward(_ p: [String: Variable], x: Variable, targets: [Int]) -> (logits: Variable, loss: Variable) {
    let h1 = tanh(linear(x, weight: p["w1"]!, bias: p["b1"]!))     // [4, 8]
    let h2 = relu(linear(h1, weight: p["w2"]!, bias: p["b2"]!))    // [4, 8]
    let logits = linear(h2, weight: p["w3"]!, bias: p["b3"]!)      // [4, 3]
    return (logits, crossEntropy(logits, targets: targets))
}

@Suite struct MLPParityTests {
    let fixture: Fixture
    init() throws { fixture = try Fixture("mlp") }

    @Test func forwardAndGradientsMatchPyTorch() {
        let p = initialParameters(fixture)
        let x = Variable.constant(fixture.tensor("x"))
        let (logits, loss) = forward(p, x: x, targets: fixture.ints["targets"]!)
        loss.backward()
        expectClose("mlp logits", logits.value, fixture.reference("logits"))
        expectClose("mlp loss", loss.value, fixture.reference("loss"))
        for name in parameterNames {
            expectClose("mlp grad \(name)", p[name]!.grad, fixture.reference("grad.\(name)"))
        }
    }

    @Test func adamWStepsWithClippingMatchPyTorch() {
        let p = initialParameters(fixture)
        let x = Variable.constant(fixture.tensor("x"))
        let ordered = parameterNames.map { p[$0]! }
        let optimizer = AdamW(ordered, learningRate: 0.01, betas: (0.9, 0.999), eps: 1e-8, weightDecay: 0.1)
        for step in 1...3 {
            optimizer.zeroGrad()
            let (_, loss) = forward(p, x: x, targets: fixture.ints["targets"]!)
            loss.backward()
            let norm = clipGradNorm(ordered, maxNorm: 1.0)
            optimizer.step()
            expectClose("adamw loss \(step)", loss.value, fixture.reference("adamw.loss\(step)"))
            expectClose("adamw grad norm \(step)", Tensor(scalar: norm), fixture.reference("adamw.norm\(step)"))
            if step == 1 || step == 3 {
                for name in parameterNames {
                    expectClose("adamw step \(step) \(name)", p[name]!.value, fixture.reference("adamw.step\(step).\(name)"))
                }
            }
        }
    }

    @Test func sgdMomentumStepsMatchPyTorch() {
        let p = initialParameters(fixture)
        let x = Variable.constant(fixture.tensor("x"))
        let optimizer = SGD(parameterNames.map { p[$0]! }, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
        for _ in 1...3 {
            optimizer.zeroGrad()
            forward(p, x: x, targets: fixture.ints["targets"]!).loss.backward()
            optimizer.step()
        }
        for name in parameterNames {
            expectClose("sgd step 3 \(name)", p[name]!.value, fixture.reference("sgd.step3.\(name)"))
        }
    }
}
