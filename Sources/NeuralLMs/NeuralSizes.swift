// NeuralSizes — the sizes the lab's neural models may have, checked before anything is allocated.
//
// A config comes from `lmlab train` options or from a checkpoint's metadata, and a checkpoint may come from anyone:
// `"hiddenSize": 1000000000` must be an error naming the file and the setting, not an allocation that fails or
// (this target is built without overflow traps) a wrapped count. The ranges are generous for a CPU lab — the
// shipped models use a tenth of them or less — and `lmlab train --help` quotes them.
import LabCore

/// A size setting outside its range, named by its config key and the `lmlab train` option that sets it.
public struct NeuralSizeError: Error, CustomStringConvertible, Equatable {
    /// The config key, e.g. "hiddenSize".
    public let key: String
    /// The `lmlab train` option, e.g. "--hidden".
    public let option: String
    public let value: Int
    public let range: ClosedRange<Int>

    public var description: String {
        let (low, high) = (range.lowerBound, range.upperBound)
        return Learner.text("\(key) (\(option)) \(value) is outside \(low)…\(high). HINT: give \(option) a value in \(low)…\(high).",
                            "\(key)（\(option)）\(value) 超出了 \(low)…\(high)。HINT：给 \(option) 一个 \(low)…\(high) 之间的值。")
    }
}

/// A neural model's config whose sizes can be checked.
public protocol NeuralSizedConfig: Decodable {
    /// Every size: its config key, the `lmlab train` option that sets it, its value and its allowed range.
    var sizes: [(key: String, option: String, value: Int, range: ClosedRange<Int>)] { get }
}

extension NeuralSizedConfig {
    /// - Throws: `NeuralSizeError` for the first size outside its range.
    public func validate() throws {
        for s in sizes where !s.range.contains(s.value) {
            throw NeuralSizeError(key: s.key, option: s.option, value: s.value, range: s.range)
        }
    }
}

extension NNLMConfig: NeuralSizedConfig {
    public static let contextRange = 1...16
    public static let embeddingRange = 1...1024
    public static let hiddenRange = 1...4096

    public var sizes: [(key: String, option: String, value: Int, range: ClosedRange<Int>)] {
        [("contextSize", "--context", contextSize, Self.contextRange),
         ("embeddingSize", "--embedding", embeddingSize, Self.embeddingRange),
         ("hiddenSize", "--hidden", hiddenSize, Self.hiddenRange)]
    }
}

extension RecurrentLMConfig: NeuralSizedConfig {
    public static let embeddingRange = 1...1024
    public static let hiddenRange = 1...4096
    public static let bpttRange = 1...1024

    public var sizes: [(key: String, option: String, value: Int, range: ClosedRange<Int>)] {
        [("embeddingSize", "--embedding", embeddingSize, Self.embeddingRange),
         ("hiddenSize", "--hidden", hiddenSize, Self.hiddenRange), ("bptt", "--bptt", bptt, Self.bpttRange)]
    }
}

extension Seq2SeqConfig: NeuralSizedConfig {
    public static let sizeRange = 1...1024

    public var sizes: [(key: String, option: String, value: Int, range: ClosedRange<Int>)] {
        [("embeddingSize", "--embedding", embeddingSize, Self.sizeRange), ("hiddenSize", "--hidden", hiddenSize, Self.sizeRange),
         ("attentionSize", "--attention", attentionSize, Self.sizeRange)]
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
