// A model's attention map (`lmlab attention map`): the weights ErnieRecorder kept for one layer and head as a
// heatmap, rows the query tokens and columns the keys, masked above the diagonal, with the strongest key per query.
import ERNIE
import Foundation
import LabCore

public enum AttentionMap {
    /// Rows = queries, columns = keys; NaN above the diagonal (masked).
    public static func weights(_ recorder: ErnieRecorder, layer: Int, head: Int, count: Int) -> [[Double]] {
        let a = recorder.attention[layer]
        return (0..<a.rows).map { r in
            Array(a[r, head].prefix(count)).enumerated().map { j, p in j > r ? .nan : Double(p) }
        }
    }

    /// The heatmap and, under it, what each query token attends to most.
    public static func output(_ w: [[Double]], pieces: [String], layer: Int, head: Int) -> Output {
        let map = Heatmap(title: Learner.text(
            "attention · layer \(layer) · head \(head) (0-based, as --layer and --head) · rows (queries) attend to columns (keys)",
            "注意力 · 第 \(layer) 层 · 头 \(head)（从 0 数起，同 --layer 和 --head）· 行（查询）关注列（键）"),
                          rowLabels: pieces, columnLabels: pieces, values: w, minimum: 0, maximum: 1)
        let strongest = w.enumerated().map { r, row -> [String] in
            let best = row.indices.filter { !row[$0].isNaN }.max { row[$0] < row[$1] } ?? 0
            return [pieces[r], pieces[best], String(format: "%.2f", row[best])]
        }
        return .group(OutputGroup([
            .heatmap(map),
            .table(OutputTable(title: Learner.text("strongest key per query", "每个查询最关注的键"),
                               headers: [Learner.text("query", "查询"), Learner.text("attends most to", "最关注"),
                                         Learner.text("weight", "权重")],
                               rows: strongest, alignments: [.left, .left, .right])),
        ]))
    }
}
