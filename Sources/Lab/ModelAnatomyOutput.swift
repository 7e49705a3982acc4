// `lmlab inspect` in words: a model's architecture one line per concept, its parameters by part, and what
// grouped-query attention saves in the KV cache (the counting is ModelAnatomy.swift).
import Foundation
import LabCore

extension ModelAnatomy {
    /// The architecture in words (one line per concept), the parameters by part, and what GQA saves.
    public var output: Output {
        let r = self
        func n(_ v: Int) -> String { TrainingMeter.grouped(v) }
        func mb(_ b: Int) -> String { String(format: "%.1f MB", Double(b) / 1e6) }
        func g(_ x: Double) -> String { String(format: "%g", x) }
        let group = r.queryHeads / max(r.keyValueHeads, 1)
        let tied = r.tiedEmbeddings ? Learner.text("tied to the embedding (logits = h Eᵀ)", "与词嵌入共享（logits = h Eᵀ）")
                                    : Learner.text("separate (lm_head)", "独立的 lm_head")
        let rows: [(String, String)] = [
            (Learner.text("type", "类型"),
             Learner.text("\(r.modelType): decoder-only, \(r.layers) layers of x + Attn(RMSNorm(x)), then x + MLP(RMSNorm(x))",
                          "\(r.modelType)：只有解码器，\(r.layers) 层，每层先 x + Attn(RMSNorm(x))，再 x + MLP(RMSNorm(x))")),
            (Learner.text("hidden", "隐藏维度"),
             Learner.text("\(r.hiddenSize); \(r.queryHeads) query heads and \(r.keyValueHeads) key/value heads of \(r.headDim) (GQA: \(group) query heads share each K/V head)",
                          "\(r.hiddenSize)；\(r.queryHeads) 个查询头、\(r.keyValueHeads) 个键/值头，每头 \(r.headDim) 维（GQA：每 \(group) 个查询头共用一个 K/V 头）")),
            ("MLP", Learner.text("SwiGLU: (SiLU(x W_gate) ⊙ x W_up) W_down, \(r.hiddenSize) → \(r.intermediateSize) → \(r.hiddenSize)",
                                 "SwiGLU：(SiLU(x W_gate) ⊙ x W_up) W_down，\(r.hiddenSize) → \(r.intermediateSize) → \(r.hiddenSize)")),
            (Learner.text("positions", "位置编码"),
             Learner.text("RoPE (interleaved pairs), θ = \(g(r.ropeTheta)), up to \(n(r.maxPositions)) tokens",
                          "RoPE（相邻两维成对旋转），θ = \(g(r.ropeTheta))，最多 \(n(r.maxPositions)) 个词元")),
            (Learner.text("norm", "归一化"), Learner.text("RMSNorm, ε = ", "RMSNorm，ε = ") + g(r.rmsNormEps)),
            (Learner.text("vocabulary", "词表"),
             Learner.text("\(n(r.vocabSize)) tokens; output layer \(tied)", "\(n(r.vocabSize)) 个词元；输出层\(tied)")),
            (Learner.text("weights", "权重"), r.dtypes.joined(separator: Learner.text(", ", "、")) + Learner.text(", ", "，") + mb(r.totalBytes)),
        ] + (r.routing.map { [("MoE", $0.sentence + Learner.text("; the other layers dense", "；其余层为稠密层"))] } ?? [])
        let labelWidth = rows.map { EastAsianWidth.cells($0.0) }.max() ?? 0
        let about = rows.map { EastAsianWidth.pad($0.0, toCells: labelWidth + 2) + $0.1 }.joined(separator: "\n")
        let parts = OutputTable(
            headers: [Learner.text("part", "部分"), Learner.text("parameters", "参数量"), Learner.text("share", "占比")],
            rows: r.parts.map { p in
                [Self.partName(p.name), n(p.parameters), String(format: "%5.1f%%", Double(p.parameters) / Double(max(r.totalParameters, 1)) * 100)]
            } + [[Learner.text("total", "合计"), n(r.totalParameters), ""]],
            alignments: [.left, .right, .right])
        let kv = Learner.text(
            "KV cache: \(n(r.kvBytesPerToken)) bytes per token (f32), \(mb(r.kvBytesPerToken * 4096)) for 4,096 tokens; "
                + "without GQA \(n(r.kvBytesPerTokenWithoutGQA)) bytes (×\(group))",
            "KV 缓存：每个词元 \(n(r.kvBytesPerToken)) 字节（f32），4,096 个词元共 \(mb(r.kvBytesPerToken * 4096))；"
                + "不用 GQA 则为 \(n(r.kvBytesPerTokenWithoutGQA)) 字节（×\(group)）")
        return .group(OutputGroup([.text(OutputText(r.model + Learner.text("  (\(r.source))", "（\(r.source)）"), .strong)),
                                   .text(OutputText(about, hangingIndent: labelWidth + 2)), .table(parts), .text(kv)]))
    }

    /// A part's name (`ModelAnatomy.part(of:)`) in the learner's language; `inspect --json` keeps the English one.
    /// The Chinese names start no line of the architecture above them, so a lesson's `number in line "MLP 层"`
    /// reads the table's row.
    static func partName(_ name: String) -> String {
        switch name {
        case "embedding": return Learner.text(name, "词嵌入")
        case "attention": return Learner.text(name, "注意力")
        case "mlp": return Learner.text(name, "MLP 层")
        case "norms": return Learner.text(name, "归一化层")
        case "output": return Learner.text(name, "输出层")
        default: return Learner.text(name, "其他")
        }
    }
}
