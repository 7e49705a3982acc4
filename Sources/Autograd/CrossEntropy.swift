// Cross-entropy — fused log-softmax and negative log-likelihood over rows of logits with integer targets,
// averaged over the rows that count (PyTorch's `F.cross_entropy(…, reduction="mean", ignore_index=…)`).
//
//   Lₙ = −ln softmax(xₙ)[tₙ] = ln Σⱼ e^(xₙⱼ) − xₙ,ₜₙ            L = (1/N′) Σₙ Lₙ over the N′ rows with tₙ ≠ ignore
//   ∂L/∂xₙⱼ = (softmax(xₙ)ⱼ − [j = tₙ]) / N′                   (0 for ignored rows)
//
// Fusing the two steps keeps the gradient exact and cheap: softmax minus a one-hot, no division by tiny probabilities.
// With every row ignored N′ = 0 and the loss is NaN, as in PyTorch.

import LabCore

/// Mean cross-entropy of `logits` [N, V] against `targets` (N class ids), skipping rows whose target is `ignoreIndex`.
/// Returns a scalar. The per-row loss is accumulated in Double.
/// - Precondition: every counted target is in 0..<V.
public func crossEntropy(_ logits: Variable, targets: [Int], ignoreIndex: Int? = nil) -> Variable {
    precondition(logits.value.rank == 2 && logits.shape[0] == targets.count,
                 "Autograd.crossEntropy: logits must be [N, V] with N = \(targets.count) targets, got \(logits.shape)")
    let (rows, vocab) = (logits.shape[0], logits.shape[1])
    let counted = targets.map { $0 != ignoreIndex }
    for (t, c) in zip(targets, counted) where c {
        precondition(t >= 0 && t < vocab, "Autograd.crossEntropy: target \(t) outside 0..<\(vocab) (pass ignoreIndex: for padding)")
    }
    let n = counted.filter { $0 }.count

    var probs = [Float](repeating: 0, count: logits.value.count)
    var lse = [Double](repeating: 0, count: rows)
    logits.value.data.withUnsafeBufferPointer { src in
        probs.withUnsafeMutableBufferPointer { dst in
            lse.withUnsafeMutableBufferPointer { softmaxRows(src, dst, cols: vocab, logSumExp: $0.baseAddress) }
        }
    }
    var total = 0.0
    for r in 0..<rows where counted[r] { total += lse[r] - Double(logits.value.data[r * vocab + targets[r]]) }
    let loss = Tensor(scalar: Float(total / Double(n)))

    return makeNode(loss, op: "crossEntropy", parents: [logits]) { g in
        let scale = g.scalar / Float(n)
        logits.withGradBuffer { gx in
            for r in 0..<rows where counted[r] {
                for j in 0..<vocab { gx[r * vocab + j] += probs[r * vocab + j] * scale }
                gx[r * vocab + targets[r]] -= scale
            }
        }
    }
}
