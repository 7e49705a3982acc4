// ErnieError — why a checkpoint folder cannot be run as ERNIE-4.5.
//
// Loading is strict (the nanoGPT / mlx-lm rule): every tensor the architecture needs must be present with
// exactly the shape config.json implies, and every tensor in the file must be used. A checkpoint that only
// "mostly" matches produces fluent-looking garbage, which is the worst failure a learner can meet.
// Each message names the file, the tensor and what to do.

import LabCore

/// A checkpoint that does not fit the ERNIE-4.5 architecture described by its config.json.
public enum ErnieError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A tensor the architecture needs is absent.
    case missingTensor(file: String, tensor: String, expectedShape: [Int])
    /// A tensor has a shape other than the one config.json implies.
    case shapeMismatch(file: String, tensor: String, expected: [Int], found: [Int])
    /// A tensor the architecture does not use (a sign of a different model or a config mismatch).
    case unexpectedTensor(file: String, tensor: String, shape: [Int])
    /// A tensor's element type cannot be computed with (ERNIE reads F32, BF16 and F16).
    case unsupportedDType(file: String, tensor: String, dtype: String)
    /// A config.json value the engine cannot honour.
    case unsupportedConfig(file: String, key: String, problem: String)
    /// A tensor holds NaN or ±∞ (`index` is the first such element's position, `value` its text).
    case nonFiniteWeight(file: String, tensor: String, index: [Int], value: String)
    /// The forward pass produced NaN or ±∞ logits; `layer` is the first decoder layer whose output held one
    /// (nil: every layer's output was finite, so the final norm or the output projection made them).
    case nonFiniteActivations(model: String, layer: Int?, position: Int)
    /// The tokenizer has more ids than the embedding has rows, so some of its tokens could not be fed.
    case vocabularyMismatch(tokenizer: String, tokenizerCount: Int, vocabSize: Int)
    /// A token id outside the embedding table.
    case tokenOutOfRange(id: Int, vocabularySize: Int)
    /// The context would exceed `max_position_embeddings`.
    case contextTooLong(length: Int, limit: Int)
    /// The weights converted to `precision` would need more bytes than the machine has (checked before loading).
    case notEnoughMemory(file: String, precision: String, needed: Int, available: Int, smallest: Int)

    /// A tensor of an MoE layer's feed-forward block (router, correction bias, routed or shared experts).
    static func isMoETensor(_ name: String) -> Bool {
        [".mlp.gate.weight", ".mlp.moe_statics.", ".mlp.experts.", ".mlp.shared_experts."].contains { name.contains($0) }
    }

    public var description: String {
        switch self {
        case .missingTensor(let file, let tensor, let shape):
            if Self.isMoETensor(tensor) {
                return "\(file): tensor \"\(tensor)\" \(shape) is missing; an MoE layer needs its router, correction "
                    + "bias and every expert. HINT: the checkpoint is incomplete (download it again), or config.json's "
                    + "moe_num_experts, moe_num_shared_experts or moe_layer_start_index/end_index/interval do not "
                    + "describe these weights."
            }
            return "\(file): tensor \"\(tensor)\" \(shape) is missing. HINT: the checkpoint is incomplete or is not "
                + "an ERNIE-4.5 (Ernie4_5ForCausalLM) checkpoint; download it again or check config.json."
        case .shapeMismatch(let file, let tensor, let expected, let found):
            let keys = Self.isMoETensor(tensor) ? " (moe_num_experts, moe_intermediate_size, moe_num_shared_experts)" : ""
            return "\(file): tensor \"\(tensor)\" has shape \(found), but config.json\(keys) implies \(expected). "
                + "HINT: config.json and the weights come from different models; use the config.json shipped with them."
        case .unexpectedTensor(let file, let tensor, let shape):
            return "\(file): tensor \"\(tensor)\" \(shape) is not part of ERNIE-4.5 as config.json describes it. "
                + "HINT: check num_hidden_layers and tie_word_embeddings in config.json (for an MoE checkpoint also "
                + "model_type \"ernie4_5_moe\" and moe_*), or use an ERNIE-4.5 checkpoint."
        case .unsupportedDType(let file, let tensor, let dtype):
            return "\(file): tensor \"\(tensor)\" is \(dtype); the engine reads F32, BF16 and F16. "
                + "HINT: convert the checkpoint to bf16 (dtype=torch.bfloat16, save_pretrained)."
        case .unsupportedConfig(let file, let key, let problem):
            return "\(file): \"\(key)\" \(problem). HINT: this engine runs ERNIE-4.5 dense and MoE models "
                + "(0.3B, 21B-A3B and same-shaped toys); fix config.json or use such a checkpoint."
        case .nonFiniteWeight(let file, let tensor, let index, let value):
            return "\(file): tensor \"\(tensor)\" holds \(value) at \(index) (its first non-finite element), so every "
                + "output would be garbage. HINT: the file is damaged, or training diverged before it was saved; "
                + "download it again or use an earlier checkpoint."
        case .nonFiniteActivations(let model, let layer, let position):
            let place = layer.map { "first in the output of decoder layer \($0) (model.layers.\($0).*)" }
                ?? "in the logits, after every layer's output was finite (model.norm.weight or the output projection)"
            return "\(model): the forward pass produced NaN or ±∞ at position \(position), \(place); the "
                + "probabilities would be meaningless. HINT: those weights are too large for float32 or damaged; "
                + "check the checkpoint (`lmlab inspect`) or use another one."
        case .vocabularyMismatch(let tokenizer, let count, let vocabSize):
            return "\(tokenizer): the tokenizer has \(count) ids, but config.json's vocab_size (the embedding's rows) "
                + "is \(vocabSize), so ids \(vocabSize)..<\(count) have no embedding. HINT: the tokenizer and the "
                + "weights come from different models; use the tokenizer files shipped with the weights."
        case .tokenOutOfRange(let id, let size):
            return "token id \(id) is outside the embedding table (0..<\(size)). HINT: use the tokenizer that "
                + "ships with the weights."
        case .contextTooLong(let length, let limit):
            return Learner.text(
                "the context has \(length) tokens, above max_position_embeddings \(limit). HINT: shorten the text "
                    + "to at most \(limit) tokens.",
                "上下文有 \(length) 个词元，超出了模型的上下文长度 \(limit)（config.json 里的 max_position_embeddings）。"
                    + "HINT：把文字缩短到不超过 \(limit) 个词元。")
        case .notEnoughMemory(let file, let precision, let needed, let available, let smallest):
            let gb = { (b: Int) in b >= 1_000_000_000 ? String(format: "%.2f GB", Double(b) / 1e9)
                : b >= 1_000_000 ? String(format: "%.1f MB", Double(b) / 1e6) : "\(b) bytes" }
            return "\(file): the weights in \(precision) need \(gb(needed)) of memory (counted from config.json's "
                + "shapes), but this machine has \(gb(available)); nothing was loaded. HINT: use --precision int4 "
                + "(\(gb(smallest))) or --precision as-stored (the file is memory-mapped, not copied), or a machine with "
                + "more memory."
        }
    }
}
