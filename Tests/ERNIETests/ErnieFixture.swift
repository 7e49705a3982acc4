// ErnieFixture — the tiny random checkpoints and what transformers computed on them
// (scripts/make_ernie_fixtures.py, transformers 5.24.0, torch 2.13.0+cpu).

import Foundation
@testable import ERNIE

/// Tests/ERNIETests/Fixtures/<name>/expected.json.
struct ErnieExpected: Decodable {
    let name: String
    let dtype: String
    /// The fixed 32-token input.
    let input_ids: [Int]
    /// log P(· | input_ids[0…t]) for t = 0…31, [32][V], transformers in float64 on the stored weights.
    let logprobs: [[Float]]
    /// How far transformers' own float32 run is from `logprobs` (the scale of float32 rounding here).
    let torch_f32_vs_f64_max_abs_diff: Float
    /// transformers' greedy continuation of input_ids, 32 tokens (float32 generate, equal to the float64 argmax).
    let greedy: [Int]
    /// Smallest gap between the best and second-best log-prob along the greedy path.
    let greedy_min_margin: Float
    /// Residual stream at the last input position: [embedding, after layer 0, …].
    let hidden_last: [[Float]]
    /// bf16 checkpoint only: transformers computing in bfloat16, and its max |Δ| to transformers' float32 run.
    let logprobs_bf16: [[Float]]?
    let bf16_vs_f32_max_abs_diff: Float?
}

enum Fixtures {
    static let names = ["gqa-tied", "mqa-untied", "mha-tied", "gqa-tied-bf16"]

    static func folder(_ name: String) -> URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent(name)
    }

    static func expected(_ name: String) throws -> ErnieExpected {
        let data = try Data(contentsOf: folder(name).appendingPathComponent("expected.json"))
        return try JSONDecoder().decode(ErnieExpected.self, from: data)
    }

    static func model(_ name: String) throws -> ErnieModel { try ErnieModel(folder: folder(name)) }
}

/// max |a − b| over two equally shaped tables.
func maxAbsDiff(_ a: [[Float]], _ b: [[Float]]) -> Float {
    precondition(a.count == b.count, "rows \(a.count) vs \(b.count)")
    return zip(a, b).map { maxAbsDiff($0, $1) }.max() ?? 0
}

func maxAbsDiff(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}

/// The index of the largest element (first on ties), as torch.argmax.
func argmaxIndex(_ x: [Float]) -> Int {
    var best = 0
    for i in x.indices where x[i] > x[best] { best = i }
    return best
}

/// `count` argmax tokens after `prompt`, one decode step each (what generate(do_sample=False) does).
func greedyContinuation(_ model: ErnieModel, prompt: [Int], count: Int) throws -> [Int] {
    var cache = model.makeCache()
    var next = argmaxIndex(try model.append(prompt, to: &cache))
    var produced: [Int] = []
    for _ in 0..<count {
        produced.append(next)
        next = argmaxIndex(try model.append([next], to: &cache))
    }
    return produced
}
