// The attention lesson's printed walk-throughs (`lmlab attention steps|heads`): a tiny seeded example through every
// intermediate of one head (NeuralLMs' attentionSteps), and multi-head split/merge with grouped-query sharing
// (multiHeadAttentionSteps), as tables (Output) a learner can follow with a pencil.
import Foundation
import LabCore
import NeuralLMs

public enum AttentionStepsReport {
    /// Small seeded numbers, rounded to tenths so a learner can follow the arithmetic.
    public static func matrix(_ rows: Int, _ cols: Int, _ rng: inout SeededRNG) -> Matrix {
        (0..<rows).map { _ in (0..<cols).map { _ in Float((rng.nextDouble() * 20 - 10).rounded()) / 10 + 0 } }   // + 0: no −0
    }

    /// `m` as a table titled `name`: one row per token (t0, t1, …), one right-aligned column per `columns` label.
    /// On a line too narrow for every column the rest continue below, whole (a cut column split -1.731 into
    /// "-1.73" and a stray "1" at 60 columns: walk 16).
    public static func show(_ name: String, _ m: Matrix, columns: [String]) -> Output {
        let rows = m.enumerated().map { i, row in
            ["t\(i)"] + row.map { v in v == -.infinity ? "−∞" : String(format: "%.3f", v) }
        }
        return .table(OutputTable(title: name, headers: [""] + columns, rows: rows,
                                  alignments: [.left] + Array(repeating: .right, count: columns.count)).continuingBelow())
    }

    /// Column labels `prefix`0 … `prefix`(n−1).
    static func labels(_ prefix: String, _ n: Int) -> [String] { (0..<n).map { "\(prefix)\($0)" } }

    /// One head on `tokens` × `dim` seeded numbers: Q, K, V, the scores, scaled, masked (when `causal`), the weights
    /// and the output, each as a labelled matrix (columns d0… for the width D, t0… for the keys).
    public static func steps(tokens: Int, dim: Int, seed: UInt64, causal: Bool) -> Output {
        var rng = SeededRNG(seed: seed)
        let (q, k, v) = (matrix(tokens, dim, &rng), matrix(tokens, dim, &rng), matrix(tokens, dim, &rng))
        let t = attentionSteps(queries: q, keys: k, values: v, causal: causal)
        let (d, keys) = (labels("d", dim), labels("t", tokens))
        let root = String(format: "%.3f", Double(dim).squareRoot())
        return .group(OutputGroup([
            show(Learner.text("Q (queries) [T, D]", "Q（查询）[T, D]"), t.queries, columns: d),
            show(Learner.text("K (keys) [T, D]", "K（键）[T, D]"), t.keys, columns: d),
            show(Learner.text("V (values) [T, D]", "V（值）[T, D]"), t.values, columns: d),
            show(Learner.text("S = Q Kᵀ (scores) [T, T]", "S = Q Kᵀ（分数）[T, T]"), t.scores, columns: keys),
            show(Learner.text("S / √D = S / \(root) (scaled)", "S / √D = S / \(root)（缩放后）"), t.scaled, columns: keys),
            show(!causal ? Learner.text("no mask (every token sees every token)", "不加掩码（每个词元都能看到所有词元）")
                           : Learner.text("masked: −∞ where a token would see the future", "加掩码：词元会看到未来的位置记为 −∞"), t.masked, columns: keys),
            show(Learner.text("A = softmax of each row (weights; each row sums to 1)", "A = 逐行 softmax（注意力权重；每行之和为 1）"), t.weights, columns: keys),
            show(Learner.text("O = A V (output) [T, D]", "O = A V（输出）[T, D]"), t.output, columns: d),
        ]))
    }

    /// Multi-head attention with `heads` query heads over `keyValueHeads` K/V heads: which K/V head each query head
    /// reads, each head's weights, the merged heads (columns h·i: head h, its i-th number) and the output.
    public static func heads(heads: Int, keyValueHeads: Int, tokens: Int, headDim: Int, seed: UInt64) -> Output {
        var rng = SeededRNG(seed: seed)
        let d = heads * headDim
        let x = matrix(tokens, d, &rng)
        let trace = multiHeadAttentionSteps(x, wq: matrix(heads * headDim, d, &rng), wk: matrix(keyValueHeads * headDim, d, &rng),
                                            wv: matrix(keyValueHeads * headDim, d, &rng), wo: matrix(d, d, &rng),
                                            heads: heads, keyValueHeads: keyValueHeads, causal: true)
        let kind = keyValueHeads == heads ? Learner.text("multi-head attention (MHA)", "多头注意力（MHA）")
            : keyValueHeads == 1 ? Learner.text("multi-query attention (MQA)", "多查询注意力（MQA）")
            : Learner.text("grouped-query attention (GQA)", "分组查询注意力（GQA）")
        var out: [Output] = [.text(OutputText(
            Learner.text("\(heads) query heads, \(keyValueHeads) key/value heads: \(kind); every \(heads / keyValueHeads) query head(s) share one K/V head",
                         "\(heads) 个查询头、\(keyValueHeads) 个键/值头：\(kind)；每 \(heads / keyValueHeads) 个查询头共用一个 K/V 头")
            + "\n" + Learner.text("K/V parameters and cache: \(keyValueHeads)/\(heads) of multi-head attention's",
                                  "K/V 的参数量和缓存：多头注意力的 \(keyValueHeads)/\(heads)")))]
        for (h, t) in trace.heads.enumerated() {
            out.append(show(Learner.text("head \(h) reads K/V head \(trace.keyValueHeadOfQueryHead[h]): weights",
                                          "头 \(h) 读取 K/V 头 \(trace.keyValueHeadOfQueryHead[h])：权重"), t.weights, columns: labels("t", tokens)))
        }
        out.append(show(Learner.text("merged: the heads' outputs side by side [T, H·Dh]", "合并：各头的输出并排拼接 [T, H·Dh]"), trace.merged,
                        columns: (0..<d).map { "h\($0 / headDim)·\($0 % headDim)" }))
        out.append(show(Learner.text("output = merged W_oᵀ [T, D]", "输出 = 合并结果 W_oᵀ [T, D]"), trace.output, columns: labels("d", d)))
        return .group(OutputGroup(out))
    }
}
