// A model's attention map (`lmlab attention map`): the weights ErnieRecorder kept for one layer and head as a
// heatmap, rows the query tokens and columns the keys, masked above the diagonal, with the strongest key per query.
import ERNIE
import Foundation
import LabCore

public enum AttentionMap {
    /// One forward pass of `model` (a folder or a name) over <s> and `text` with the recorder on: every layer's
    /// attention, the pieces of the tokens, and the model's layer and head counts.
    /// - Throws: `OptionError` when `layer` or `head` is not one of the model's; what loading throws.
    public static func record(model: String, text: String, layer: Int, head: Int) throws
        -> (recorder: ErnieRecorder, pieces: [String], layers: Int, heads: Int) {
        let loaded = try ModelLoader.load(model)
        let tokenizer = try loaded.requireTokenizer(model)
        let c = loaded.model.config
        guard (0..<c.numHiddenLayers).contains(layer) else {
            throw OptionError(Learner.text("--layer \(layer): \(model) has layers 0…\(c.numHiddenLayers - 1)",
                                           "--layer \(layer)：\(model) 的层是 0…\(c.numHiddenLayers - 1)"))
        }
        guard (0..<c.numAttentionHeads).contains(head) else {
            throw OptionError(Learner.text("--head \(head): \(model) has heads 0…\(c.numAttentionHeads - 1)",
                                           "--head \(head)：\(model) 的头是 0…\(c.numAttentionHeads - 1)"))
        }
        let ids = [tokenizer.bosId].compactMap { $0 } + tokenizer.encode(text, addBos: false)
        let recorder = ErnieRecorder()
        var cache = loaded.model.makeCache()
        _ = try loaded.model.logits(ids, cache: &cache, allPositions: false, recorder: recorder)
        return (recorder, ids.map { VisibleText.escapingControls(tokenizer.piece($0)) }, c.numHiddenLayers,
                c.numAttentionHeads)
    }

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
