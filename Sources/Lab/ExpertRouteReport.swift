// ExpertRouteReport — what `lmlab moe route` shows: for a text, every MoE layer's routing (ERNIE/ExpertRouter.swift)
// — the experts each token chose with their weights, the load per expert, and the choices the correction bias
// changed — as text, as JSON, and as the state of the full-screen explorer (ExpertRouteExplorer.swift).

import ERNIE
import Foundation
import LabCore

/// The routing of a text through the MoE layers of a model.
public struct ExpertRouteReport: Sendable {
    /// The token pieces as shown (control characters escaped), <s> first.
    public let pieces: [String]
    public let tokens: [Int]
    /// The MoE layers shown, by index, each with its routing of the T tokens.
    public let layers: [(layer: Int, routing: ExpertRouting)]

    public init(pieces: [String], tokens: [Int], layers: [(layer: Int, routing: ExpertRouting)]) {
        self.pieces = pieces; self.tokens = tokens; self.layers = layers
    }

    /// Routes `text` (after <s>) through `model` and records each MoE layer's routing; `layer` keeps one layer.
    /// - Throws: `ModelLoadError` naming the model and the fix when it has no experts or `layer` is not an MoE layer.
    public static func route(_ text: String, model name: String, layer: Int? = nil) throws -> ExpertRouteReport {
        let loaded = try ModelLoader.load(name)
        let config = loaded.model.config
        guard let moe = config.moe else {
            throw ModelLoadError(Learner.text(
                "\(name): model_type \"\(config.modelType)\" has no experts to show. HINT: use an ernie4_5_moe checkpoint "
                    + "(tiny-ernie-moe, trained by the lab, or ERNIE-4.5-21B-A3B).",
                "\(name)：model_type 为 \"\(config.modelType)\"，没有专家可看。HINT：请使用 ernie4_5_moe 检查点"
                    + "（实验室训练的 tiny-ernie-moe，或 ERNIE-4.5-21B-A3B）。"))
        }
        let moeLayers = (0..<config.numHiddenLayers).filter(moe.isMoELayer)
        if let layer, !moeLayers.contains(layer) {
            throw ModelLoadError(Learner.text(
                "--layer \(layer): not an MoE layer of \(name). HINT: choose one of \(moeLayers).",
                "--layer \(layer)：不是 \(name) 的 MoE 层。HINT：请选择 \(moeLayers) 之一。"))
        }
        let tokenizer = try loaded.requireTokenizer(name)
        let ids = [tokenizer.bosId].compactMap { $0 } + tokenizer.encode(text, addBos: false)
        let recorder = ErnieRecorder()
        var cache = loaded.model.makeCache()
        _ = try loaded.model.logits(ids, cache: &cache, allPositions: false, recorder: recorder)
        let shown = recorder.routing.enumerated().compactMap { i, r in
            r.flatMap { layer == nil || layer == i ? (layer: i, routing: $0) : nil }
        }
        return ExpertRouteReport(pieces: ids.map { VisibleText.escapingControls(tokenizer.piece($0)) }, tokens: ids,
                                 layers: shown)
    }

    /// How many tokens of `routing` the correction bias sent to other experts than p alone would have.
    public static func biasChanged(_ r: ExpertRouting) -> Int {
        (0..<r.rows).filter { Set(r.unbiasedChoice(row: $0)) != Set(r.chosen(row: $0)) }.count
    }

    /// One layer's JSON: chosen [T][k] (largest p + b first), weights [T][k], unbiased [T][k] (top k of p alone),
    /// load [E].
    public struct LayerJSON: Encodable {
        public let layer: Int
        public let chosen: [[Int]]
        public let weights: [[Float]]
        public let unbiased: [[Int]]
        public let load: [Int]
    }

    /// `--json`: {tokens, pieces, layers: [{layer, chosen, weights, unbiased, load}]}.
    public struct JSON: Encodable {
        public let tokens: [Int]
        public let pieces: [String]
        public let layers: [LayerJSON]
    }

    public var json: JSON {
        JSON(tokens: tokens, pieces: pieces, layers: layers.map { i, r in
            let rows = 0..<r.rows
            return LayerJSON(layer: i, chosen: rows.map { Array(r.chosen(row: $0)) },
                             weights: rows.map { Array(r.weights(row: $0)) },
                             unbiased: rows.map { r.unbiasedChoice(row: $0) }, load: r.load)
        })
    }

    /// One block per layer: a row per token (its experts with weights, heaviest first; what it would have chosen without the
    /// bias, when that differs), then the load per expert and how many choices the bias changed.
    public var text: String {
        var lines: [String] = []
        for (i, r) in layers {
            lines.append(Learner.text("layer \(i): \(r.experts) experts, top \(r.k)",
                                      "第 \(i) 层：\(r.experts) 个专家，选前 \(r.k) 个"))
            for t in 0..<r.rows {
                // Heaviest first: the router ranks by score plus bias, so its order can put a lighter expert first.
                let chosen = zip(r.chosen(row: t), r.weights(row: t)).sorted { $0.1 > $1.1 }
                    .map { "e\($0) \(String(format: "%.2f", $1))" }.joined(separator: "  ")
                let unbiased = r.unbiasedChoice(row: t)
                var line = EastAsianWidth.pad("  \(t)", toCells: 6)
                    + EastAsianWidth.pad(EastAsianWidth.truncate(pieces[t], toCells: 12), toCells: 14) + chosen
                // Short, so a row fits a notebook cell at 60 columns: a wrapped label looked like a row of its own.
                if Set(unbiased) != Set(r.chosen(row: t)) {
                    line += Learner.text("  unbiased: ", "  不加偏置：")
                        + unbiased.map { "e\($0)" }.joined(separator: " ")
                }
                lines.append(line)
            }
            let load = r.load.enumerated().map { "e\($0) \($1)" }.joined(separator: " · ")
            lines.append(Learner.text("  load (tokens per expert): ", "  负载（每个专家的词元数）：") + load)
            lines.append(Learner.text("  the correction bias changed the choice of \(Self.biasChanged(r)) of \(r.rows) tokens",
                                      "  修正偏置改变了 \(r.rows) 个词元中 \(Self.biasChanged(r)) 个的选择"))
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
