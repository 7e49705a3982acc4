// `lmlab attention steps|heads|map`: scaled dot-product attention made visible (lesson 7) — every intermediate of a
// tiny example (NeuralLMs/AttentionSteps.swift), multi-head split/merge with grouped-query sharing, and the real
// attention weights of a model's layer and head as a heatmap (ERNIE/ErnieRecorder.swift).
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import NeuralLMs
import TerminalUI

struct AttentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "Attention step by step: Q, K, V, scores, mask, softmax, output; heads and GQA; a model's attention map.",
        discussion: """
        Examples:
          lmlab attention steps --tokens 3 --dim 4
          lmlab attention heads --heads 4 --kv-heads 2
          lmlab attention map "The dog says woof." --model tiny-ernie \\
              --layer 1 --head 0
        """,
        subcommands: [Steps.self, Heads.self, MapCommand.self])

    /// Small seeded numbers, rounded to tenths so a learner can follow the arithmetic.
    static func matrix(_ rows: Int, _ cols: Int, _ rng: inout SeededRNG) -> Matrix {
        (0..<rows).map { _ in (0..<cols).map { _ in Float((rng.nextDouble() * 20 - 10).rounded()) / 10 + 0 } }   // + 0: no −0
    }

    static func show(_ name: String, _ m: Matrix, rowLabels: [String]? = nil) -> String {
        var lines = [name]
        for (i, row) in m.enumerated() {
            let label = rowLabels.map { EastAsianWidth.pad($0[i], toCells: 6) } ?? ""
            lines.append("  " + label + row.map { v in
                v == -.infinity ? "     −∞" : String(format: "%7.3f", v)
            }.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    struct Steps: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "steps", abstract: "One attention head on a tiny example, every intermediate printed.")
        @Option(name: .long, parsing: .unconditional, help: "Tokens T (1…8, default 3).") var tokens = 3
        @Option(name: .long, parsing: .unconditional, help: "Width D of Q, K, V (1…16, default 4).") var dim = 4
        @Option(name: .long, parsing: .unconditional, help: "Seed of the example's numbers.") var seed: UInt64 = 1
        @Flag(name: .customLong("no-causal"), help: "Let every token see every token (an encoder).") var noCausal = false

        func validate() throws {
            // Small enough that every matrix stays readable on one screen.
            try checkRange("--tokens", tokens, 1...8)
            try checkRange("--dim", dim, 1...16)
        }

        func run() throws {
            var rng = SeededRNG(seed: seed)
            let (q, k, v) = (matrix(tokens, dim, &rng), matrix(tokens, dim, &rng), matrix(tokens, dim, &rng))
            let t = attentionSteps(queries: q, keys: k, values: v, causal: !noCausal)
            let labels = (0..<tokens).map { "t\($0)" }
            let root = String(format: "%.3f", Double(dim).squareRoot())
            print([
                show(Learner.text("Q (queries) [T, D]", "Q（查询）[T, D]"), t.queries, rowLabels: labels),
                show(Learner.text("K (keys) [T, D]", "K（键）[T, D]"), t.keys, rowLabels: labels),
                show(Learner.text("V (values) [T, D]", "V（值）[T, D]"), t.values, rowLabels: labels),
                show(Learner.text("S = Q Kᵀ (scores) [T, T]", "S = Q Kᵀ（分数）[T, T]"), t.scores, rowLabels: labels),
                show(Learner.text("S / √D = S / \(root) (scaled)", "S / √D = S / \(root)（缩放后）"), t.scaled, rowLabels: labels),
                show(noCausal ? Learner.text("no mask (every token sees every token)", "不加掩码（每个词元都能看到所有词元）")
                               : Learner.text("masked: −∞ where a token would see the future", "加掩码：词元会看到未来的位置记为 −∞"), t.masked, rowLabels: labels),
                show(Learner.text("A = softmax of each row (weights; each row sums to 1)", "A = 逐行 softmax（注意力权重；每行之和为 1）"), t.weights, rowLabels: labels),
                show(Learner.text("O = A V (output) [T, D]", "O = A V（输出）[T, D]"), t.output, rowLabels: labels),
            ].joined(separator: "\n\n"))
        }
    }

    struct Heads: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "heads", abstract: "Multi-head attention: split, attend, merge; which K/V head each query head reads (GQA).")
        @Option(name: .long, parsing: .unconditional, help: "Query heads H (1…8, default 4).") var heads = 4
        @Option(name: .customLong("kv-heads"), parsing: .unconditional, help: "Key/value heads (H = MHA, 1 = MQA, between = GQA; divides H; default 2).") var kvHeads = 2
        @Option(name: .long, parsing: .unconditional, help: "Tokens T (1…6, default 3).") var tokens = 3
        @Option(name: .customLong("head-dim"), parsing: .unconditional, help: "Size of one head (1…4, default 2).") var headDim = 2
        @Option(name: .long, parsing: .unconditional, help: "Seed of the example's numbers.") var seed: UInt64 = 1

        func validate() throws {
            // Small enough that every matrix stays readable on one screen.
            try checkRange("--heads", heads, 1...8)
            try checkRange("--kv-heads", kvHeads, 1...heads)
            guard heads % kvHeads == 0 else {
                throw ValidationError("--heads \(heads) --kv-heads \(kvHeads): the query heads must split evenly over the K/V heads")
            }
            try checkRange("--tokens", tokens, 1...6)
            try checkRange("--head-dim", headDim, 1...4)
        }

        func run() throws {
            var rng = SeededRNG(seed: seed)
            let d = heads * headDim
            let x = matrix(tokens, d, &rng)
            let trace = multiHeadAttentionSteps(x, wq: matrix(heads * headDim, d, &rng), wk: matrix(kvHeads * headDim, d, &rng),
                                                wv: matrix(kvHeads * headDim, d, &rng), wo: matrix(d, d, &rng),
                                                heads: heads, keyValueHeads: kvHeads, causal: true)
            let kind = kvHeads == heads ? Learner.text("multi-head attention (MHA)", "多头注意力（MHA）")
                : kvHeads == 1 ? Learner.text("multi-query attention (MQA)", "多查询注意力（MQA）")
                : Learner.text("grouped-query attention (GQA)", "分组查询注意力（GQA）")
            var out = [Learner.text("\(heads) query heads, \(kvHeads) key/value heads: \(kind); every \(heads / kvHeads) query head(s) share one K/V head",
                                    "\(heads) 个查询头、\(kvHeads) 个键/值头：\(kind)；每 \(heads / kvHeads) 个查询头共用一个 K/V 头"),
                       Learner.text("K/V parameters and cache: \(kvHeads)/\(heads) of multi-head attention's",
                                    "K/V 的参数量和缓存：多头注意力的 \(kvHeads)/\(heads)"), ""]
            for (h, t) in trace.heads.enumerated() {
                out.append(show(Learner.text("head \(h) reads K/V head \(trace.keyValueHeadOfQueryHead[h]): weights",
                                              "头 \(h) 读取 K/V 头 \(trace.keyValueHeadOfQueryHead[h])：权重"), t.weights, rowLabels: (0..<tokens).map { "t\($0)" }))
            }
            out.append("")
            out.append(show(Learner.text("merged: the heads' outputs side by side [T, H·Dh]", "合并：各头的输出并排拼接 [T, H·Dh]"), trace.merged))
            out.append(show(Learner.text("output = merged W_oᵀ [T, D]", "输出 = 合并结果 W_oᵀ [T, D]"), trace.output))
            print(out.joined(separator: "\n"))
        }
    }

    struct MapCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "map",
            abstract: "A model's attention weights for one layer and head, as a heatmap (--explore: every layer and head).",
            discussion: """
            Row i is query token i, column j key token j: how much of token j's value token i takes. Above the \
            diagonal is masked (·): a decoder cannot look ahead. --explore opens the heatmap full screen, where ↑/↓ \
            walk the layers and ←/→ the heads of the same forward pass.

            Examples:
              lmlab attention map "The dog says woof." --model tiny-ernie \\
                  --layer 1 --head 0
              lmlab attention map "The dog says woof." --model tiny-ernie --explore
            """)
        @Argument(help: "The text (after <s>).") var text: String
        @Option(name: .long, help: "A model folder or a model name (see `lmlab models`).") var model: String
        @Option(name: .long, parsing: .unconditional, help: "Layer (0-based, below the model's layer count; default 0).") var layer = 0
        @Option(name: .long, parsing: .unconditional, help: "Query head (0-based, below the model's head count; default 0).") var head = 0
        @Flag(name: .long, help: "Open the heatmap full screen: ↑/↓ layer, ←/→ head.") var explore = false
        @Flag(name: .long, help: "Print the weights as JSON rows.") var json = false

        func validate() throws {
            if explore && json { throw ValidationError("--explore opens the full-screen heatmap; it does not combine with --json.") }
        }

        /// One forward pass with the recorder on: every layer's attention, and the token pieces.
        func recorded() throws -> (recorder: ErnieRecorder, pieces: [String], layers: Int, heads: Int) {
            let loaded = try ModelLoader.load(model)
            let tokenizer = try loaded.requireTokenizer(model)
            let c = loaded.model.config
            guard (0..<c.numHiddenLayers).contains(layer) else { throw ValidationError("--layer \(layer): \(model) has layers 0…\(c.numHiddenLayers - 1)") }
            guard (0..<c.numAttentionHeads).contains(head) else { throw ValidationError("--head \(head): \(model) has heads 0…\(c.numAttentionHeads - 1)") }
            let ids = [tokenizer.bosId].compactMap { $0 } + tokenizer.encode(text, addBos: false)
            let recorder = ErnieRecorder()
            var cache = loaded.model.makeCache()
            _ = try loaded.model.logits(ids, cache: &cache, allPositions: false, recorder: recorder)
            return (recorder, ids.map { VisibleText.escapingControls(tokenizer.piece($0)) }, c.numHiddenLayers, c.numAttentionHeads)
        }

        /// Rows = queries, columns = keys; NaN above the diagonal (masked).
        static func weights(_ recorder: ErnieRecorder, layer: Int, head: Int, count: Int) -> [[Double]] {
            let a = recorder.attention[layer]
            return (0..<a.rows).map { r in
                Array(a[r, head].prefix(count)).enumerated().map { j, p in j > r ? .nan : Double(p) }
            }
        }

        /// The heatmap and, under it, what each query token attends to most.
        static func output(_ w: [[Double]], pieces: [String], layer: Int, head: Int) -> Output {
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

        func run() throws {
            let (recorder, pieces, layers, heads) = try recorded()
            if explore {
                let explorer = AttentionExplorer(layers: layers, heads: heads, tokens: pieces) { l, h in
                    Self.weights(recorder, layer: l, head: h, count: pieces.count)
                }
                explorer.move(layer: layer)
                explorer.move(head: head)
                return try ExplorerLauncher.open(AttentionExplorerPage(explorer: explorer))
            }
            let w = Self.weights(recorder, layer: layer, head: head, count: pieces.count)
            if json { print(try jsonString(w.map { $0.map { $0.isNaN ? 0 : $0 } })); return }
            OutputPrinter.print(Self.output(w, pieces: pieces, layer: layer, head: head))
        }
    }
}
