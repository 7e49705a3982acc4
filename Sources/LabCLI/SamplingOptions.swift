// SamplingOptions — temperature, top-k, top-p, min-p and the seed, as `generate --strategy sample` and `sample` take
// them: one `@OptionGroup`, checked once, turned into Decoding's ProcessorChain in transformers' order.
import ArgumentParser
import Decoding
import Lab

struct SamplingOptions: ParsableArguments {
    @Option(name: .long, parsing: .unconditional, help: "Divide the scores by T (\(Temperature.minimum) or more).")
    var temperature: Float?
    @Option(name: .long, parsing: .unconditional, help: "Keep the K most likely tokens (1…\(Self.topKLimit)).")
    var topK: Int?
    @Option(name: .long, parsing: .unconditional, help: "Keep the smallest set of tokens with probability ≥ P (0 < P ≤ 1).")
    var topP: Float?
    @Option(name: .long, parsing: .unconditional, help: "Keep tokens at least P × the most likely one's probability (0…1).")
    var minP: Float?
    @Option(name: .long, parsing: .unconditional, help: "The random seed, a whole number ≥ 0 (default 0).")
    var seed: UInt64?

    /// The largest --top-k (a k above the vocabulary keeps every token, as transformers does).
    static let topKLimit = 1_000_000

    func validate() throws {
        try checkRange("--top-k", topK, 1...Self.topKLimit)
        if let topP, !(topP > 0) {
            throw ValidationError(OptionConflict.topPKeepsNothing(topP))
        }
        _ = try processors()
    }

    var isSet: Bool { temperature != nil || topK != nil || topP != nil || minP != nil || seed != nil }

    /// The processors in transformers' order (temperature → top-k → top-p → min-p); a bad value is a usage error.
    func processors() throws -> ProcessorChain {
        try decodingSettings { try ProcessorChain(temperature: temperature, topK: topK, topP: topP, minP: minP) }
    }

    /// The sampling explorer's sliders, set to these options (unset: the processor is off).
    var settings: SamplingSettings {
        SamplingSettings(temperature: temperature ?? 1, topK: topK, topP: topP ?? 1, minP: minP ?? 0)
    }
}
