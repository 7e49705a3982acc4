// The tensors an ernie4_5 or ernie4_5_moe checkpoint holds, by checkpoint name and shape, derived from config.json
// alone (shared/ERNIE45.md §5; nn.Linear stores [out, in]; no biases). The trainer builds its parameters from this
// list (ErnieTraining/TinyErnie.swift) and `lmlab inspect` counts a model's parameter budget from it when the
// weights are not on disk (Lab/ModelAnatomy.swift).

extension ERNIEConfig {
    /// Every trained tensor of a checkpoint of this config, in a fixed order (the trainer's optimizer keeps its state
    /// by position): the embedding, each layer's two norm gains, q/k/v/o and its feed-forward block
    /// (`feedForwardShapes`), the final norm, and `lm_head.weight` only when the output is not tied to the
    /// embedding. The MoE correction biases are statistics, not trained weights, and are not listed.
    public var checkpointShapes: [(name: String, shape: [Int])] {
        let (d, q, kv) = (hiddenSize, queryWidth, keyValueWidth)
        var out: [(String, [Int])] = [("model.embed_tokens.weight", [vocabSize, d])]
        for i in 0..<numHiddenLayers {
            let p = "model.layers.\(i)."
            out += [(p + "input_layernorm.weight", [d]),
                    (p + "self_attn.q_proj.weight", [q, d]), (p + "self_attn.k_proj.weight", [kv, d]),
                    (p + "self_attn.v_proj.weight", [kv, d]), (p + "self_attn.o_proj.weight", [d, q]),
                    (p + "post_attention_layernorm.weight", [d])]
            out += feedForwardShapes(layer: i)
        }
        out.append(("model.norm.weight", [d]))
        if !tieWordEmbeddings { out.append(("lm_head.weight", [vocabSize, d])) }
        return out
    }

    /// The tensors a checkpoint holds beside the trained ones: each MoE layer's router correction bias
    /// `mlp.moe_statics.e_score_correction_bias` [1, E], a statistic that moves which experts are chosen and is
    /// updated from the experts' load, not by gradients. Empty for a dense config.
    public var statisticShapes: [(name: String, shape: [Int])] {
        guard let moe else { return [] }
        return (0..<numHiddenLayers).filter(moe.isMoELayer).map { (Self.correctionBiasName(layer: $0), [1, moe.numExperts]) }
    }

    /// model.layers.{i}.mlp.moe_statics.e_score_correction_bias.
    public static func correctionBiasName(layer i: Int) -> String { "model.layers.\(i).mlp.moe_statics.e_score_correction_bias" }

    /// mlp.* names and shapes of layer i: the dense SwiGLU, or (an MoE layer by config.json's rule) the router,
    /// E experts and the shared experts.
    public func feedForwardShapes(layer i: Int) -> [(name: String, shape: [Int])] {
        let (d, p) = (hiddenSize, "model.layers.\(i).mlp.")
        func swiGLU(_ prefix: String, _ f: Int) -> [(String, [Int])] {
            [(prefix + "gate_proj.weight", [f, d]), (prefix + "up_proj.weight", [f, d]), (prefix + "down_proj.weight", [d, f])]
        }
        guard let moe, moe.isMoELayer(i) else { return swiGLU(p, intermediateSize) }
        var out: [(String, [Int])] = [(p + "gate.weight", [moe.numExperts, d])]
        for e in 0..<moe.numExperts { out += swiGLU(p + "experts.\(e).", moe.intermediateSize) }
        if moe.numSharedExperts > 0 { out += swiGLU(p + "shared_experts.", moe.numSharedExperts * moe.intermediateSize) }
        return out
    }
}
