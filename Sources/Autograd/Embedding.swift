// Embedding — rows of a table picked by token ids (Bengio et al. 2003, https://jmlr.org/papers/v3/bengio03a.html;
// the first layer of every neural LM in the lab).
//
//   out[t, :] = E[ids[t], :]
//   ∂L/∂E[v, :] = Σ_{t : ids[t] = v} ∂L/∂out[t, :]      (scatter-add: a token seen twice gets both gradients)

import LabCore

/// Gathers rows of `table` [V, D] by `ids` (T of them) into [T, D].
/// - Precondition: every id is in 0..<V.
public func embedding(_ table: Variable, ids: [Int]) -> Variable {
    precondition(table.value.rank == 2, "Autograd.embedding: table must be [V, D], got \(table.shape)")
    let (vocab, dim) = (table.shape[0], table.shape[1])
    if let bad = ids.first(where: { $0 < 0 || $0 >= vocab }) {
        preconditionFailure("Autograd.embedding: id \(bad) is outside the table's \(vocab) rows (check the tokenizer's vocabulary size against the model's)")
    }
    var out = [Float](repeating: 0, count: ids.count * dim)
    table.value.data.withUnsafeBufferPointer { src in
        out.withUnsafeMutableBufferPointer { dst in
            for (t, id) in ids.enumerated() {
                for j in 0..<dim { dst[t * dim + j] = src[id * dim + j] }
            }
        }
    }
    return makeNode(Tensor(shape: [ids.count, dim], data: out), op: "embedding", parents: [table]) { g in
        g.data.withUnsafeBufferPointer { pg in
            table.withGradBuffer { ge in
                for (t, id) in ids.enumerated() {
                    for j in 0..<dim { ge[id * dim + j] += pg[t * dim + j] }
                }
            }
        }
    }
}
