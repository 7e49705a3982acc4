// `lmlab inspect`: a model opened up (lesson 8) — its architecture from config.json and its parameters counted from
// the checkpoint's own tensor shapes, grouped by part, with what grouped-query attention saves in the KV cache.
//
// Nothing here is a constant of ERNIE: every number is read from the folder, so the same command explains the
// tiny ERNIE shipped in Models/ and the real ERNIE-4.5-0.3B.
import ArgumentParser
import Foundation
import Hub
import LabCore
import ModelFiles
import TerminalUI

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Open a model up: architecture, parameters by part, bytes, and the KV cache GQA saves.",
        discussion: """
        Reads config.json and the safetensors header only (no weights are loaded), so it is instant even for the \
        0.3B model.

        Examples:
          lmlab inspect tiny-ernie
          lmlab inspect ernie-4.5-0.3b --json
        """)

    @Argument(help: "A model folder or a model name (see `lmlab models`).")
    var model: String

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    struct Part: Codable, Equatable {
        let name: String
        let parameters: Int
        let bytes: Int
    }

    struct Report: Codable, Equatable {
        let model: String
        let folder: String
        let modelType: String
        let layers: Int
        let hiddenSize: Int
        let queryHeads: Int
        let keyValueHeads: Int
        let headDim: Int
        let intermediateSize: Int
        let vocabSize: Int
        let ropeTheta: Double
        let maxPositions: Int
        let rmsNormEps: Double
        let tiedEmbeddings: Bool
        let dtypes: [String]
        let parts: [Part]
        let totalParameters: Int
        let totalBytes: Int
        /// K and V of one token over all layers, in bytes at 4 bytes per value (the engine's f32 cache).
        let kvBytesPerToken: Int
        /// The same without GQA (every query head with its own K and V).
        let kvBytesPerTokenWithoutGQA: Int
        /// An ernie4_5_moe checkpoint's routed layers: "E experts of width Fe, top k, S shared, layers […]"; nil if dense.
        var experts: String? = nil
    }

    func run() throws {
        let r = try report()
        print(json ? try jsonString(r) : Self.render(r))
    }

    /// Reads the config and the checkpoint header and counts.
    func report() throws -> Report {
        let folder = try ProbCommand.folder(model)
        let config = try folder.loadConfig()
        let checkpoint = try folder.openWeights()
        var sums: [String: (Int, Int)] = [:]
        var dtypes = Set<String>()
        for name in checkpoint.tensorNames {
            let info = try checkpoint.info(name)
            let part = Self.part(of: name)
            let old = sums[part] ?? (0, 0)
            sums[part] = (old.0 + info.elementCount, old.1 + info.dataOffsets.count)
            dtypes.insert(info.dtype.rawValue)
        }
        let order = ["embedding", "attention", "mlp", "norms", "output"]
        let parts = sums.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
            .map { Part(name: $0, parameters: sums[$0]!.0, bytes: sums[$0]!.1) }
        let kv = 2 * config.numHiddenLayers * config.numKeyValueHeads * config.headDim * 4
        return Report(
            model: model, folder: folder.url.path, modelType: config.modelType, layers: config.numHiddenLayers,
            hiddenSize: config.hiddenSize, queryHeads: config.numAttentionHeads, keyValueHeads: config.numKeyValueHeads,
            headDim: config.headDim, intermediateSize: config.intermediateSize, vocabSize: config.vocabSize,
            ropeTheta: config.ropeTheta, maxPositions: config.maxPositionEmbeddings, rmsNormEps: config.rmsNormEps,
            tiedEmbeddings: config.tieWordEmbeddings, dtypes: dtypes.sorted(), parts: parts,
            totalParameters: parts.reduce(0) { $0 + $1.parameters }, totalBytes: parts.reduce(0) { $0 + $1.bytes },
            kvBytesPerToken: kv, kvBytesPerTokenWithoutGQA: kv / config.numKeyValueHeads * config.numAttentionHeads,
            experts: config.moe.map { moe in
                "\(moe.numExperts) experts of width \(moe.intermediateSize), top \(moe.topK) per token, "
                    + "\(moe.numSharedExperts) shared, in layers \((0..<config.numHiddenLayers).filter(moe.isMoELayer))"
            })
    }

    /// Which part of the decoder a checkpoint tensor belongs to, by its Hugging Face name.
    static func part(of name: String) -> String {
        if name.contains("embed_tokens") { return "embedding" }
        if name.contains("lm_head") { return "output" }
        if name.contains("norm") { return "norms" }
        if name.contains("self_attn") { return "attention" }
        if name.contains("mlp") { return "mlp" }
        return "other"
    }

    static func render(_ r: Report) -> String {
        func n(_ v: Int) -> String { TrainingMeter.grouped(v) }
        func mb(_ b: Int) -> String { String(format: "%.1f MB", Double(b) / 1e6) }
        let group = r.queryHeads / max(r.keyValueHeads, 1)
        var lines = [
            "\(r.model)  (\(r.folder))",
            "type        \(r.modelType): decoder-only, \(r.layers) layers of x + Attn(RMSNorm(x)), then x + MLP(RMSNorm(x))",
            "hidden      \(r.hiddenSize); \(r.queryHeads) query heads and \(r.keyValueHeads) key/value heads of \(r.headDim) (GQA: \(group) query heads share each K/V head)",
            "MLP         SwiGLU: (SiLU(x W_gate) ⊙ x W_up) W_down, \(r.hiddenSize) → \(r.intermediateSize) → \(r.hiddenSize)",
        ] + (r.experts.map { ["MoE         \($0); the other layers dense"] } ?? []) + [
            "positions   RoPE (interleaved pairs), θ = \(String(format: "%g", r.ropeTheta)), up to \(n(r.maxPositions)) tokens",
            "norm        RMSNorm, ε = \(String(format: "%g", r.rmsNormEps))",
            "vocabulary  \(n(r.vocabSize)) tokens; output layer \(r.tiedEmbeddings ? "tied to the embedding (logits = h Eᵀ)" : "separate (lm_head)")",
            "weights     \(r.dtypes.joined(separator: ", ")), \(mb(r.totalBytes))",
            "",
            DisplayWidth.pad("part", toCells: 12) + DisplayWidth.pad("parameters", toCells: 16, alignRight: true) + "   share",
        ]
        for p in r.parts {
            let share = Double(p.parameters) / Double(max(r.totalParameters, 1)) * 100
            lines.append(DisplayWidth.pad(p.name, toCells: 12) + DisplayWidth.pad(n(p.parameters), toCells: 16, alignRight: true)
                         + String(format: "  %5.1f%%", share))
        }
        lines.append(DisplayWidth.pad("total", toCells: 12) + DisplayWidth.pad(n(r.totalParameters), toCells: 16, alignRight: true))
        lines.append("")
        lines.append("KV cache    \(n(r.kvBytesPerToken)) bytes per token (f32), \(mb(r.kvBytesPerToken * 4096)) for 4,096 tokens; "
                     + "without GQA \(n(r.kvBytesPerTokenWithoutGQA)) bytes (×\(group))")
        return lines.joined(separator: "\n")
    }
}
