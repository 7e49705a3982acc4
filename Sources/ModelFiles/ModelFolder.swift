// ModelFolder — a directory laid out like a Hugging Face model repo, and what it holds.
//
//   config.json                       architecture (ERNIEConfig)                 required
//   model.safetensors                 weights in one file                        required: this …
//   model.safetensors.index.json      … or an index plus model-0000k-of-0000n.safetensors shards
//   tokenizer.model                   SentencePiece model                        required: this …
//   tokenizer.json                    … or Hugging Face's fast-tokenizer file
//   tokenizer_config.json, special_tokens_map.json, added_tokens.json, generation_config.json   optional
//
// In the Hugging Face cache the files are symlinks into ../../blobs; a link whose blob has not finished
// downloading counts as missing (existence is checked through the link).

import Foundation

/// The files found in a model directory. Listing is cheap: nothing is opened until asked.
public struct ModelFolder: Equatable, Sendable {
    /// How the weights are stored.
    public enum Weights: Equatable, Sendable {
        case single(URL)
        case sharded(index: URL)
        case none
    }

    public let url: URL
    public let config: URL?
    public let weights: Weights
    public let tokenizerModel: URL?
    public let tokenizerJSON: URL?
    public let tokenizerConfig: URL?
    public let specialTokensMap: URL?
    public let addedTokens: URL?
    public let generationConfig: URL?

    /// Lists what `url` contains.
    public init(url: URL) {
        self.url = url
        func file(_ name: String) -> URL? {
            let f = url.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: f.path, isDirectory: &isDirectory) && !isDirectory.boolValue
                ? f : nil
        }
        config = file("config.json")
        if let single = file("model.safetensors") {
            weights = .single(single)
        } else if let index = file(ShardedSafetensors.indexFileName) {
            weights = .sharded(index: index)
        } else {
            weights = .none
        }
        tokenizerModel = file("tokenizer.model")
        tokenizerJSON = file("tokenizer.json")
        tokenizerConfig = file("tokenizer_config.json")
        specialTokensMap = file("special_tokens_map.json")
        addedTokens = file("added_tokens.json")
        generationConfig = file("generation_config.json")
    }

    /// The required pieces that are absent, in words ("config.json", "weights (model.safetensors or …)", …).
    public var missing: [String] {
        var out: [String] = []
        if config == nil { out.append("config.json") }
        if weights == .none { out.append("weights (model.safetensors, or model.safetensors.index.json with its shards)") }
        if tokenizerModel == nil && tokenizerJSON == nil { out.append("tokenizer (tokenizer.model or tokenizer.json)") }
        return out
    }

    /// Optional files that are absent (worth a note, not an error).
    public var missingOptional: [String] {
        [("tokenizer_config.json", tokenizerConfig), ("special_tokens_map.json", specialTokensMap),
         ("added_tokens.json", addedTokens), ("generation_config.json", generationConfig)]
            .filter { $0.1 == nil }.map(\.0)
    }

    public var isComplete: Bool { missing.isEmpty }

    /// Throws unless config, weights and a tokenizer are all present.
    /// - Throws: `ModelLocatorError.incompleteFolder` naming the folder, what is missing and how to get it
    ///   (`.notAModelFolder` when it holds none of them).
    public func requireComplete() throws {
        guard isComplete else { throw incomplete(missing) }
    }

    /// One line per file, for `lmlab models` style listings: "✓ config.json", "✗ tokenizer.model", …
    public var inventory: String {
        func line(_ present: Bool, _ name: String) -> String { (present ? "✓ " : "✗ ") + name }
        var lines = [line(config != nil, "config.json")]
        switch weights {
        case .single: lines.append(line(true, "model.safetensors"))
        case .sharded: lines.append(line(true, "model.safetensors.index.json (sharded)"))
        case .none: lines.append(line(false, "model.safetensors"))
        }
        lines.append(line(tokenizerModel != nil, "tokenizer.model"))
        lines.append(line(tokenizerJSON != nil, "tokenizer.json"))
        lines.append(line(tokenizerConfig != nil, "tokenizer_config.json"))
        lines.append(line(specialTokensMap != nil, "special_tokens_map.json"))
        lines.append(line(addedTokens != nil, "added_tokens.json"))
        lines.append(line(generationConfig != nil, "generation_config.json"))
        return lines.joined(separator: "\n")
    }

    /// Reads and validates config.json.
    /// - Throws: `ModelLocatorError.incompleteFolder` if absent, `ConfigError` if invalid.
    public func loadConfig() throws -> ERNIEConfig {
        guard let config else { throw incomplete(["config.json"]) }
        return try ERNIEConfig.load(from: config)
    }

    /// Opens the weights (one file or all shards), memory-mapped.
    /// - Throws: `ModelLocatorError.incompleteFolder` if absent, `SafetensorsError` if damaged.
    public func openWeights() throws -> TensorCheckpoint {
        switch weights {
        case .single(let file): return try SafetensorsFile(url: file)
        case .sharded(let index): return try ShardedSafetensors(indexURL: index)
        case .none:
            throw incomplete([missing.first { $0.hasPrefix("weights") }!])
        }
    }

    /// The error for a folder without `pieces`: incomplete when it holds some of a model, else no model folder at all.
    private func incomplete(_ pieces: [String]) -> ModelLocatorError {
        config == nil && weights == .none && tokenizerModel == nil && tokenizerJSON == nil
            ? .notAModelFolder(folder: url.path) : .incompleteFolder(folder: url.path, missing: pieces)
    }
}
