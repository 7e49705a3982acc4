// The fused cross-entropy (log-partition kept, softmax recomputed into the gradient) against its definition
// evaluated in Double: loss and ∂L/∂logits, with ignored rows and a vocabulary that is not a multiple of 16 lanes.

import Foundation
import LabCore
import Testing
@testable import Autograd

@Test func crossEntropyEqualsDoubleDefinition() {
    let (rows, vocab) = (37, 3_075)
    var rng = SeededRNG(seed: 21)
    let logits = Tensor.randn([rows, vocab], std: 4, rng: &rng)
    let targets = (0..<rows).map { $0 % 5 == 3 ? -100 : ($0 * 7919) % vocab }
    let x = Variable.parameter(logits)
    let loss = crossEntropy(x, targets: targets, ignoreIndex: -100)
    loss.backward(seed: Tensor(scalar: 1.5))

    let counted = targets.filter { $0 != -100 }.count
    var refLoss = 0.0, worstGrad = 0.0
    for r in 0..<rows {
        let row = logits.data[(r * vocab)..<((r + 1) * vocab)].map(Double.init)
        let m = row.max()!
        let z = row.reduce(0) { $0 + Foundation.exp($1 - m) }
        let lse = m + Foundation.log(z)
        let t = targets[r]
        if t != -100 { refLoss += lse - row[t] }
        for j in 0..<vocab {
            let ref = t == -100 ? 0 : 1.5 * (Foundation.exp(row[j] - lse) - (j == t ? 1 : 0)) / Double(counted)
            worstGrad = max(worstGrad, abs(Double(x.grad!.data[r * vocab + j]) - ref))
        }
    }
    refLoss /= Double(counted)
    let lossDiff = abs(Double(loss.value.scalar) - refLoss)
    print("crossEntropy vs Double definition: loss \(loss.value.scalar) max abs diff \(lossDiff), ∂logits max abs diff \(worstGrad)")
    #expect(lossDiff <= 1e-5 * max(1, refLoss) && worstGrad <= 1e-7)
}
