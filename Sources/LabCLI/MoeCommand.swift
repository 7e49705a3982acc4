// `lmlab moe route`: which experts each token of a text went to in every MoE layer (ERNIE/ExpertRouter.swift), with
// what weight, how many tokens each expert got, and which choices the correction bias changed.
import ArgumentParser
import ERNIE
import Foundation
import Lab
import LabCore
import TerminalUI

struct MoeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "moe",
        abstract: "Mixture-of-experts models (model_type ernie4_5_moe): see the router at work.",
        subcommands: [MoeRouteCommand.self])
}

struct MoeRouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "Per MoE layer: the experts each token chose, their weights, the load per expert.",
        discussion: """
        The router scores every expert for every token (softmax p), adds the correction bias b to choose the top k, \
        and mixes the chosen experts with their own p, renormalised. A token marked "bias:" would have gone to other \
        experts without b; the load line counts the tokens each expert received.

        Examples:
          lmlab moe route "The cat sat on the mat." --model PATH/TO/MOE-MODEL
          lmlab moe route "The cat sat on the mat." --model PATH/TO/MOE-MODEL \\
              --layer 1 --json
        """)

    @Argument(help: "The text (routed after <s>).")
    var text: String

    @Option(name: .long, help: "An ernie4_5_moe model folder or a model name (see `lmlab models`).")
    var model: String

    @Option(name: .long, parsing: .unconditional, help: "Show this layer only (its index, 0-based).")
    var layer: Int?

    @Flag(name: .long, help: "Print JSON: {tokens, pieces, layers: [{layer, chosen, weights, unbiased, load}]}.")
    var json = false

    func validate() throws {
        if let layer { try checkRange("--layer", layer, 0...4095) }
    }

    struct LayerJSON: Encodable {
        let layer: Int
        /// [T][k] chosen experts, largest p + b first; weights [T][k]; unbiased [T][k]: the top k of p alone.
        let chosen: [[Int]]
        let weights: [[Float]]
        let unbiased: [[Int]]
        /// Tokens per expert [E].
        let load: [Int]
    }

    struct JSON: Encodable {
        let tokens: [Int]
        let pieces: [String]
        let layers: [LayerJSON]
    }

    struct MoeError: Error, CustomStringConvertible {
        let description: String
    }

    /// Routes the text and returns each shown MoE layer's routing with the token pieces.
    func routes() throws -> (pieces: [String], tokens: [Int], layers: [(Int, ExpertRouting)]) {
        let loaded = try ModelLoader.load(model)
        guard let moe = loaded.model.config.moe else {
            throw MoeError(description: Learner.text(
                "\(model): model_type \"\(loaded.model.config.modelType)\" has no experts to show. HINT: use an "
                    + "ernie4_5_moe checkpoint (for example ERNIE-4.5-21B-A3B, or a tiny MoE made by "
                    + "scripts/make_ernie_moe_fixtures.py).",
                "\(model)：model_type 为 \"\(loaded.model.config.modelType)\"，没有专家可看。HINT：请使用 ernie4_5_moe "
                    + "检查点（例如 ERNIE-4.5-21B-A3B，或 scripts/make_ernie_moe_fixtures.py 生成的小型 MoE）。"))
        }
        let moeLayers = (0..<loaded.model.config.numHiddenLayers).filter(moe.isMoELayer)
        if let layer, !moeLayers.contains(layer) {
            throw MoeError(description: Learner.text(
                "--layer \(layer): not an MoE layer of \(model). HINT: choose one of \(moeLayers).",
                "--layer \(layer)：不是 \(model) 的 MoE 层。HINT：请选择 \(moeLayers) 之一。"))
        }
        let tokenizer = try loaded.requireTokenizer(model)
        let ids = [tokenizer.bosId].compactMap { $0 } + tokenizer.encode(text, addBos: false)
        let recorder = ErnieRecorder()
        var cache = loaded.model.makeCache()
        _ = try loaded.model.logits(ids, cache: &cache, allPositions: false, recorder: recorder)
        let shown = recorder.routing.enumerated().compactMap { i, r in
            r.flatMap { layer == nil || layer == i ? (i, $0) : nil }
        }
        return (ids.map { VisibleText.escapingControls(tokenizer.piece($0)) }, ids, shown)
    }

    func run() throws {
        let (pieces, tokens, layers) = try routes()
        if json {
            print(try jsonString(JSON(tokens: tokens, pieces: pieces, layers: layers.map { i, r in
                let rows = 0..<r.rows
                return LayerJSON(layer: i, chosen: rows.map { Array(r.chosen(row: $0)) },
                                 weights: rows.map { Array(r.weights(row: $0)) },
                                 unbiased: rows.map { r.unbiasedChoice(row: $0) }, load: r.load)
            })))
            return
        }
        print(Self.render(pieces: pieces, layers: layers))
    }

    /// One block per layer: a row per token (its experts with weights; what it would have chosen without the
    /// bias, when that differs), then the load per expert.
    static func render(pieces: [String], layers: [(Int, ExpertRouting)]) -> String {
        var lines: [String] = []
        for (i, r) in layers {
            lines.append(Learner.text("layer \(i): \(r.experts) experts, top \(r.k)",
                                      "第 \(i) 层：\(r.experts) 个专家，选前 \(r.k) 个"))
            var changed = 0
            for t in 0..<r.rows {
                let chosen = zip(r.chosen(row: t), r.weights(row: t))
                    .map { "e\($0) \(String(format: "%.2f", $1))" }.joined(separator: "  ")
                let unbiased = r.unbiasedChoice(row: t)
                var line = EastAsianWidth.pad("  \(t)", toCells: 6)
                    + EastAsianWidth.pad(EastAsianWidth.truncate(pieces[t], toCells: 12), toCells: 14) + chosen
                if Set(unbiased) != Set(r.chosen(row: t)) {
                    changed += 1
                    line += Learner.text("   bias: without it ", "   偏置：若无偏置则选 ")
                        + unbiased.map { "e\($0)" }.joined(separator: " ")
                }
                lines.append(line)
            }
            let load = r.load.enumerated().map { "e\($0) \($1)" }.joined(separator: " · ")
            lines.append(Learner.text("  load (tokens per expert): ", "  负载（每个专家的词元数）：") + load)
            lines.append(Learner.text("  the correction bias changed the choice of \(changed) of \(r.rows) tokens",
                                      "  修正偏置改变了 \(r.rows) 个词元中 \(changed) 个的选择"))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
