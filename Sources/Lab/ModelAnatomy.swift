// ModelAnatomy — a model opened up (lesson 8, `lmlab inspect`): its architecture from config.json and its
// parameters counted from the checkpoint's own tensor shapes, grouped by part, with what grouped-query attention
// saves in the KV cache.
//
// Nothing here is a constant of ERNIE: every number is read from the folder (config.json and the safetensors
// header only, no weights), so the same code explains the tiny ERNIE shipped in Models/ and the real 0.3B.

import Foundation
import ModelFiles

/// The numbers `lmlab inspect` shows (JSON keys as `inspect --json` prints them).
public struct ModelAnatomy: Codable, Equatable, Sendable {
    /// One part of the decoder and what it holds.
    public struct Part: Codable, Equatable, Sendable {
        public let name: String
        public let parameters: Int
        public let bytes: Int
    }

    public let model: String
    public let folder: String
    public let modelType: String
    public let layers: Int
    public let hiddenSize: Int
    public let queryHeads: Int
    public let keyValueHeads: Int
    public let headDim: Int
    public let intermediateSize: Int
    public let vocabSize: Int
    public let ropeTheta: Double
    public let maxPositions: Int
    public let rmsNormEps: Double
    public let tiedEmbeddings: Bool
    public let dtypes: [String]
    public let parts: [Part]
    public let totalParameters: Int
    public let totalBytes: Int
    /// K and V of one token over all layers, in bytes at 4 bytes per value (the engine's f32 cache).
    public let kvBytesPerToken: Int
    /// The same without GQA (every query head with its own K and V).
    public let kvBytesPerTokenWithoutGQA: Int
    /// An ernie4_5_moe checkpoint's routed layers: "E experts of width Fe, top k, S shared, layers […]"; nil if dense.
    public var experts: String? = nil

    /// Reads the config and the checkpoint header of `folder` and counts.
    /// - Parameter name: the model as the learner named it.
    /// - Throws: the config's or the checkpoint's error, naming the file and the fix.
    public static func read(_ folder: ModelFolder, name: String) throws -> ModelAnatomy {
        let config = try folder.loadConfig()
        let checkpoint = try folder.openWeights()
        var sums: [String: (parameters: Int, bytes: Int)] = [:]
        var dtypes = Set<String>()
        for tensor in checkpoint.tensorNames {
            let info = try checkpoint.info(tensor)
            let old = sums[part(of: tensor)] ?? (0, 0)
            sums[part(of: tensor)] = (old.parameters + info.elementCount, old.bytes + info.dataOffsets.count)
            dtypes.insert(info.dtype.rawValue)
        }
        let order = ["embedding", "attention", "mlp", "norms", "output"]
        let parts = sums.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
            .map { Part(name: $0, parameters: sums[$0]!.parameters, bytes: sums[$0]!.bytes) }
        let kv = 2 * config.numHiddenLayers * config.numKeyValueHeads * config.headDim * 4
        return ModelAnatomy(
            model: name, folder: folder.url.path, modelType: config.modelType, layers: config.numHiddenLayers,
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
    public static func part(of name: String) -> String {
        if name.contains("embed_tokens") { return "embedding" }
        if name.contains("lm_head") { return "output" }
        if name.contains("norm") { return "norms" }
        if name.contains("self_attn") { return "attention" }
        if name.contains("mlp") { return "mlp" }
        return "other"
    }
}
