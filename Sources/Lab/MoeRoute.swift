// What `lmlab moe route` shows: which experts each token of a text went to in every MoE layer (ERNIE's
// ExpertRouter, kept by ErnieRecorder), with what weight, how many tokens each expert got, and which choices the
// correction bias changed.
import ERNIE
import Foundation
import LabCore

public enum MoeRoute {
    public struct MoeError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Routes `text` (after <s>) through `model` and returns each MoE layer's routing (only `layer` when given) with
    /// the token pieces.
    /// - Throws: `MoeError` when the model has no experts or `layer` is not one of its MoE layers.
    public static func route(_ text: String, model: String, layer: Int?) throws -> (pieces: [String], tokens: [Int], layers: [(Int, ExpertRouting)]) {
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

    /// One block per layer: a row per token (its experts with weights; what it would have chosen without the
    /// bias, when that differs), then the load per expert.
    public static func render(pieces: [String], layers: [(Int, ExpertRouting)]) -> String {
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
