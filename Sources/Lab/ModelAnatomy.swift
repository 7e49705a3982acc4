// ModelAnatomy — a model opened up (lesson 8, `lmlab inspect`): its architecture from config.json and its
// parameters counted from the checkpoint's own tensor shapes, grouped by part, with what grouped-query attention
// saves in the KV cache.
//
// Nothing here is a constant of ERNIE: every number is read from the folder (config.json and the safetensors
// header only, no weights), so the same code explains the tiny ERNIE shipped in Models/ and the real 0.3B.

import Foundation
import LabCore
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
    /// An ernie4_5_moe checkpoint's routed layers.
    public struct Experts: Codable, Equatable, Sendable {
        public let experts: Int
        public let width: Int
        public let topK: Int
        public let shared: Int
        public let layers: [Int]

        /// "8 experts of width 170, top 2 per token, 1 shared, in layers [1, 2, 3]" in the learner's language.
        public var sentence: String {
            Learner.text("\(experts) experts of width \(width), top \(topK) per token, \(shared) shared, in layers \(layers)",
                         "\(experts) 个专家，宽 \(width)，每个词元选前 \(topK) 个，\(shared) 个共享，在第 \(layers) 层")
        }
    }

    /// The routed layers in English, as `inspect --json` has always written them ("E experts of width Fe, top k per
    /// token, S shared, in layers […]"); nil if dense.
    public var experts: String? = nil
    /// The same as numbers; nil if dense.
    public var routing: Experts? = nil
    /// True when the weights were not on disk and the parameters were counted from config.json's shapes.
    public var countedFromConfig: Bool? = nil

    /// Reads the config and the checkpoint header of `folder` and counts.
    /// - Parameter name: the model as the learner named it.
    /// - Throws: the config's or the checkpoint's error, naming the file and the fix.
    public static func read(_ folder: ModelFolder, name: String) throws -> ModelAnatomy {
        let config = try folder.loadConfig()
        if case .none = folder.weights { return try counted(config, name: name, folder: folder.url.path) }
        let checkpoint = try folder.openWeights()
        var tensors: [(name: String, count: Int, bytes: Int, dtype: String)] = []
        for tensor in checkpoint.tensorNames {
            let info = try checkpoint.info(tensor)
            tensors.append((tensor, info.elementCount, info.dataOffsets.count, info.dtype.rawValue))
        }
        return build(config, name: name, folder: folder.url.path, tensors: tensors)
    }

    /// `read` for a model the learner named; a catalog model that is not downloaded but whose published shape the
    /// lab knows (`publishedConfigs`) is counted from that shape instead of failing.
    /// - Throws: the locator's error (where it looked, how to get the model) for any other missing model.
    public static func inspect(_ argument: String) throws -> ModelAnatomy {
        do {
            return try read(try ModelNameSuggestion.written({ "inspect \($0)" }) { try ModelLoader.folder(argument) },
                            name: argument)
        } catch let error as ModelLocatorError {
            guard case .notFound = error, let config = publishedConfigs[argument] else { throw error }
            return try counted(config, name: argument, folder: "")
        }
    }

    /// Where the numbers come from, for the report's first line.
    public var source: String {
        guard countedFromConfig == true else { return folder }
        return folder.isEmpty
            ? Learner.text("counted from the published config's shapes; weights not downloaded — `lmlab download \(model)` fetches them",
                           "按公开配置的形状计算；权重未下载 —— `lmlab download \(model)` 可以下载")
            : Learner.text("\(folder): counted from config.json's shapes, no weights in the folder",
                           "\(folder)：按 config.json 的形状计算，文件夹里没有权重")
    }

    /// The published shapes of the catalog models whose config the lab knows without downloading anything.
    public static let publishedConfigs: [String: ERNIEConfig] = ["ernie-4.5-0.3b": .ernie45_0_3B, "ernie-4.5-0.3b-base": .ernie45_0_3B]

    /// The parameter budget a config implies: every tensor of a checkpoint of its shape (dense or MoE: the router,
    /// the experts and the correction biases too), at the config's dtype (2 bytes for bfloat16/float16, else 4).
    /// Used when the weights are not on disk.
    /// - Throws: `ConfigError` when the config is invalid.
    public static func counted(_ config: ERNIEConfig, name: String, folder: String) throws -> ModelAnatomy {
        try config.validate()
        let dtype = config.dtype ?? "float32"
        let width = ["bfloat16", "float16"].contains(dtype) ? 2 : 4
        let tensors = (config.checkpointShapes + config.statisticShapes).map { t -> (name: String, count: Int, bytes: Int, dtype: String) in
            let n = t.shape.reduce(1, *)
            return (t.name, n, n * width, dtype)
        }
        var anatomy = build(config, name: name, folder: folder, tensors: tensors)
        anatomy.countedFromConfig = true
        return anatomy
    }

    private static func build(_ config: ERNIEConfig, name: String, folder: String,
                              tensors: [(name: String, count: Int, bytes: Int, dtype: String)]) -> ModelAnatomy {
        var sums: [String: (parameters: Int, bytes: Int)] = [:]
        var dtypes = Set<String>()
        for t in tensors {
            let old = sums[part(of: t.name)] ?? (0, 0)
            sums[part(of: t.name)] = (old.parameters + t.count, old.bytes + t.bytes)
            dtypes.insert(t.dtype)
        }
        let order = ["embedding", "attention", "mlp", "norms", "output"]
        let parts = sums.keys.sorted { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
            .map { Part(name: $0, parameters: sums[$0]!.parameters, bytes: sums[$0]!.bytes) }
        let kv = 2 * config.numHiddenLayers * config.numKeyValueHeads * config.headDim * 4
        let routing = config.moe.map { moe in
            Experts(experts: moe.numExperts, width: moe.intermediateSize, topK: moe.topK, shared: moe.numSharedExperts,
                    layers: (0..<config.numHiddenLayers).filter(moe.isMoELayer))
        }
        return ModelAnatomy(
            model: name, folder: folder, modelType: config.modelType, layers: config.numHiddenLayers,
            hiddenSize: config.hiddenSize, queryHeads: config.numAttentionHeads, keyValueHeads: config.numKeyValueHeads,
            headDim: config.headDim, intermediateSize: config.intermediateSize, vocabSize: config.vocabSize,
            ropeTheta: config.ropeTheta, maxPositions: config.maxPositionEmbeddings, rmsNormEps: config.rmsNormEps,
            tiedEmbeddings: config.tieWordEmbeddings, dtypes: dtypes.sorted(), parts: parts,
            totalParameters: parts.reduce(0) { $0 + $1.parameters }, totalBytes: parts.reduce(0) { $0 + $1.bytes },
            kvBytesPerToken: kv, kvBytesPerTokenWithoutGQA: kv / config.numKeyValueHeads * config.numAttentionHeads,
            experts: routing.map { r in Learner.$language.withValue(.en) { r.sentence } }, routing: routing)
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
