// The tensors a dense ernie4_5 checkpoint holds, by checkpoint name and shape, derived from config.json alone
// (shared/ERNIE45.md §5; nn.Linear stores [out, in]; no biases). The trainer builds its parameters from this list
// (ErnieTraining/TinyErnie.swift) and `lmlab inspect` counts a model's parameter budget from it when the weights
// are not on disk (Lab/ModelAnatomy.swift).

extension ERNIEConfig {
    /// Every tensor of a dense checkpoint of this config, in a fixed order (the trainer's optimizer keeps its state
    /// by position): the embedding, each layer's two norm gains, q/k/v/o and gate/up/down projections, the final
    /// norm, and `lm_head.weight` only when the output is not tied to the embedding. An MoE config's experts are
    /// not listed (`moe` is ignored).
    public var denseCheckpointShapes: [(name: String, shape: [Int])] {
        let (d, q, kv, f) = (hiddenSize, queryWidth, keyValueWidth, intermediateSize)
        var out: [(String, [Int])] = [("model.embed_tokens.weight", [vocabSize, d])]
        for i in 0..<numHiddenLayers {
            let p = "model.layers.\(i)."
            out += [(p + "input_layernorm.weight", [d]),
                    (p + "self_attn.q_proj.weight", [q, d]), (p + "self_attn.k_proj.weight", [kv, d]),
                    (p + "self_attn.v_proj.weight", [kv, d]), (p + "self_attn.o_proj.weight", [d, q]),
                    (p + "post_attention_layernorm.weight", [d]),
                    (p + "mlp.gate_proj.weight", [f, d]), (p + "mlp.up_proj.weight", [f, d]),
                    (p + "mlp.down_proj.weight", [d, f])]
        }
        out.append(("model.norm.weight", [d]))
        if !tieWordEmbeddings { out.append(("lm_head.weight", [vocabSize, d])) }
        return out
    }
}
