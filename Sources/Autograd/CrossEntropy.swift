// Cross-entropy — fused log-softmax and negative log-likelihood over rows of logits with integer targets,
// averaged over the rows that count (PyTorch's `F.cross_entropy(…, reduction="mean", ignore_index=…)`).
//
//   Lₙ = −ln softmax(xₙ)[tₙ] = ln Σⱼ e^(xₙⱼ) − xₙ,ₜₙ            L = (1/N′) Σₙ Lₙ over the N′ rows with tₙ ≠ ignore
//   ∂L/∂xₙⱼ = (softmax(xₙ)ⱼ − [j = tₙ]) / N′                   (0 for ignored rows)
//
// Fusing the two steps keeps the gradient exact and cheap: softmax minus a one-hot, no division by tiny probabilities.
// Only the log-partition ln Σⱼ e^(xₙⱼ) of each row is kept between the passes; the backward step recomputes
// softmax(xₙ) = e^(xₙⱼ − lnΣ) straight into the gradient, so the [N, V] probabilities (25 MB for the tiny ERNIE's
// 2048 × 3072 logits) are never stored. Rows are spread over the threads, exponentials are `vectorExp`'s.
// With every row ignored N′ = 0 and the loss is NaN, as in PyTorch.

import LabCore

/// Mean cross-entropy of `logits` [N, V] against `targets` (N class ids), skipping rows whose target is `ignoreIndex`.
/// Returns a scalar. The per-row losses are summed in Double.
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

    let xv = logits.value
    var lse = [Float](repeating: 0, count: rows)
    xv.data.withUnsafeBufferPointer { src in
        lse.withUnsafeMutableBufferPointer { out in
            parallelFor(rows, minChunk: 16) { range in
                for r in range { out[r] = logSumExp(src.baseAddress! + r * vocab, count: vocab) }
            }
        }
    }
    var total = 0.0
    for r in 0..<rows where counted[r] { total += Double(lse[r]) - Double(xv.data[r * vocab + targets[r]]) }
    let loss = Tensor(scalar: Float(total / Double(n)))

    return makeNode(loss, op: "crossEntropy", parents: [logits]) { g in
        let scale = g.scalar / Float(n)
        xv.data.withUnsafeBufferPointer { src in
            logits.withGradBuffer(overwriting: { gx, overwrite in
                let (x, d) = (src.baseAddress!, gx.baseAddress!)
                parallelFor(rows, minChunk: 16) { range in
                    for r in range {
                        if counted[r] {
                            scaledSoftmax(x + r * vocab, count: vocab, logSumExp: lse[r], scale: scale,
                                          into: d + r * vocab, accumulate: !overwrite)
                            d[r * vocab + targets[r]] -= scale
                        } else if overwrite {
                            (d + r * vocab).update(repeating: 0, count: vocab)
                        }
                    }
                }
            })
        }
    }
}
