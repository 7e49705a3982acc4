// NeuralSizes — the sizes the lab's neural models may have, checked before anything is allocated.
//
// A config comes from `lmlab train` options or from a checkpoint's metadata, and a checkpoint may come from anyone:
// `"hiddenSize": 1000000000` must be an error naming the file and the setting, not an allocation that fails or
// (this target is built without overflow traps) a wrapped count. The ranges are generous for a CPU lab — the
// shipped models use a tenth of them or less — and `lmlab train --help` quotes them.

/// A size setting outside its range, named by its config key and the `lmlab train` option that sets it.
public struct NeuralSizeError: Error, CustomStringConvertible, Equatable {
    /// The config key, e.g. "hiddenSize".
    public let key: String
    /// The `lmlab train` option, e.g. "--hidden".
    public let option: String
    public let value: Int
    public let range: ClosedRange<Int>

    public var description: String {
        "\(key) (\(option)) \(value) is outside \(range.lowerBound)…\(range.upperBound). "
            + "HINT: give \(option) a value in \(range.lowerBound)…\(range.upperBound)."
    }
}

/// A neural model's config whose sizes can be checked.
public protocol NeuralSizedConfig: Decodable {
    /// - Throws: `NeuralSizeError` for the first size outside its range.
    func validate() throws
}

func checkSize(_ key: String, _ option: String, _ value: Int, _ range: ClosedRange<Int>) throws {
    guard range.contains(value) else { throw NeuralSizeError(key: key, option: option, value: value, range: range) }
}

extension NNLMConfig: NeuralSizedConfig {
    public static let contextRange = 1...16
    public static let embeddingRange = 1...1024
    public static let hiddenRange = 1...4096

    public func validate() throws {
        try checkSize("contextSize", "--context", contextSize, Self.contextRange)
        try checkSize("embeddingSize", "--embedding", embeddingSize, Self.embeddingRange)
        try checkSize("hiddenSize", "--hidden", hiddenSize, Self.hiddenRange)
    }
}

extension RecurrentLMConfig: NeuralSizedConfig {
    public static let embeddingRange = 1...1024
    public static let hiddenRange = 1...4096
    public static let bpttRange = 1...1024

    public func validate() throws {
        try checkSize("embeddingSize", "--embedding", embeddingSize, Self.embeddingRange)
        try checkSize("hiddenSize", "--hidden", hiddenSize, Self.hiddenRange)
        try checkSize("bptt", "--bptt", bptt, Self.bpttRange)
    }
}

extension Seq2SeqConfig: NeuralSizedConfig {
    public static let sizeRange = 1...1024

    public func validate() throws {
        try checkSize("embeddingSize", "--embedding", embeddingSize, Self.sizeRange)
        try checkSize("hiddenSize", "--hidden", hiddenSize, Self.sizeRange)
        try checkSize("attentionSize", "--attention", attentionSize, Self.sizeRange)
    }
}

extension NeuralCheckpoint {
    /// The model's config from the metadata key "config", its sizes checked before the model is built.
    /// - Throws: `NeuralCheckpointError` naming the file and the key.
    public func config<C: NeuralSizedConfig>(_ type: C.Type) throws -> C {
        let config = try decodeJSON(C.self, try require("config"))
        do { try config.validate() } catch let e as NeuralSizeError {
            throw NeuralCheckpointError.badSize(file: url, reason: e.description)
        }
        return config
    }
}
