// The fixtures of scripts/make_decoding_fixtures.py (transformers 5.24.0, torch 2.13.0+cpu) and the tiny ERNIE
// checkpoints of Tests/ERNIETests/Fixtures (scripts/make_ernie_fixtures.py), read from the source tree.

import ERNIE
import Foundation

/// Tests/DecodingTests/Fixtures/processors.json.
struct ProcessorFixture: Decodable {
    struct Setting: Decodable {
        let temperature: Float?
        let top_k: Int?
        let top_p: Float?
        let min_p: Float?
        let repetition_penalty: Float?
    }
    struct Vector: Decodable {
        let logits: [Float]
        let history: [Int]
        /// transformers' processed scores; nil = −∞.
        let expected: [Float?]
        /// transformers' code with a stable sort, present when torch's unstable sort chose another tied token.
        let expected_stable: [Float?]?
    }
    struct Case: Decodable {
        let setting: Setting
        let vectors: [Vector]
    }
    let vocab: Int
    let cases: [Case]
}

/// Tests/DecodingTests/Fixtures/generate.json.
struct GenerateFixture: Decodable {
    struct Sequence: Decodable {
        let ids: [Int]
        let score: Float?
    }
    struct Run: Decodable {
        let model: String
        let prompt: [Int]
        let strategy: String
        let max_new_tokens: Int
        let eos_token_id: [Int]?
        let num_beams: Int?
        let length_penalty: Float?
        let early_stopping: EarlyStoppingValue?
        let num_return_sequences: Int?
        /// Applied inside the search (to greedy's scores and to every beam's log-probs), when present.
        let repetition_penalty: Float?
        let sequences: [Sequence]
    }
    /// JSON true / false / "never".
    enum EarlyStoppingValue: Decodable {
        case flag(Bool), never
        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = .flag(b) } else if try c.decode(String.self) == "never" {
                self = .never
            } else {
                throw DecodingError.dataCorruptedError(in: c, debugDescription: "early_stopping: true, false or \"never\"")
            }
        }
    }
    let runs: [Run]
}

enum DecodingFixtures {
    static func url(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
    }

    static func processors() throws -> ProcessorFixture {
        try JSONDecoder().decode(ProcessorFixture.self, from: Data(contentsOf: url("processors.json")))
    }

    static func generate() throws -> GenerateFixture {
        try JSONDecoder().decode(GenerateFixture.self, from: Data(contentsOf: url("generate.json")))
    }

    /// A tiny ERNIE checkpoint of Tests/ERNIETests/Fixtures/<name>.
    static func ernie(_ name: String) throws -> ErnieModel {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        return try ErnieModel(folder: tests.appendingPathComponent("ERNIETests/Fixtures/\(name)"))
    }
}
