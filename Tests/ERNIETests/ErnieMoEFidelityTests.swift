// Fidelity of the engine to transformers' Ernie4_5_MoeForCausalLM on random tiny MoE checkpoints in the Hub layout
// (scripts/make_ernie_moe_fixtures.py): the same experts chosen, the same log-probabilities through prefill, decode
// and batched decode, the same greedy and beam continuations; and strict loading of damaged MoE checkpoints.

import Foundation
import Testing
import Decoding
import LabCore
import ModelFiles
import Tokenizers
@testable import ERNIE

/// Tests/ERNIETests/Fixtures/moe-*/expected.json.
struct ErnieMoEExpected: Decodable {
    struct LayerRouting: Decodable {
        let layer: Int
        /// [T][k]: the experts transformers chose for each input position, the largest p + b first.
        let chosen: [[Int]]
    }
    struct ScoredText: Decodable {
        let text: String
        let ids: [Int]
        let logprobs: [Float?]
    }
    let input_ids: [Int]
    /// log P(input_ids[t+1] | input_ids[0…t]), transformers in float64.
    let next_logprobs: [Float]
    /// The whole distribution at every position [T][V] (only for V ≤ 256).
    let logprobs: [[Float]]?
    let torch_f32_vs_f64_max_abs_diff: Float
    let greedy: [Int]
    let greedy_min_margin: Float
    /// transformers' 4-beam search (length_penalty 1, early_stopping false, no end token), best first.
    let beams: [[Int]]
    let beam_scores: [Float]
    let routing: [LayerRouting]
    let routing_min_margin: Float
    let bias_moved_choices: Int
    let scored: [ScoredText]?
}

enum MoEFixtures {
    static let names = ["moe-dense-first", "moe-bias-bf16", "moe-tokenizer"]

    static func expected(_ name: String) throws -> ErnieMoEExpected {
        try JSONDecoder().decode(ErnieMoEExpected.self,
                                 from: Data(contentsOf: Fixtures.folder(name).appendingPathComponent("expected.json")))
    }
}

/// The largest |ours − reference| over the next-token log-probs of `rows` (row t predicts ids[t+1]).
private func nextTokenDiff(_ rows: [[Float]], _ e: ErnieMoEExpected) -> Float {
    var worst: Float = 0
    for t in 0..<(e.input_ids.count - 1) { worst = max(worst, abs(rows[t][e.input_ids[t + 1]] - e.next_logprobs[t])) }
    if let full = e.logprobs { worst = max(worst, maxAbsDiff(rows, full)) }
    return worst
}

@Suite("ERNIE MoE fidelity to transformers", .exactBF16Gemm)
struct ErnieMoEFidelityTests {
    @Test("the checkpoints load as MoE: dense and routed layers where config.json puts them",
          arguments: MoEFixtures.names)
    func layout(name: String) throws {
        let model = try Fixtures.model(name), e = try MoEFixtures.expected(name)
        let moe = try #require(model.config.moe)
        let routed = model.weights.layers.indices.filter {
            if case .routed = model.weights.layers[$0].feedForward { return true } else { return false }
        }
        #expect(routed == e.routing.map(\.layer))
        #expect(routed == model.weights.layers.indices.filter(moe.isMoELayer))
    }

    @Test("prefill: chosen experts and log-probs equal transformers'", arguments: MoEFixtures.names)
    func prefill(name: String) throws {
        let model = try Fixtures.model(name), e = try MoEFixtures.expected(name)
        let recorder = ErnieRecorder()
        var cache = model.makeCache()
        let logits = try model.logits(e.input_ids, cache: &cache, allPositions: true, recorder: recorder)
        let diff = nextTokenDiff(logits.map(logProbabilities), e)
        for layer in e.routing {
            let routing = try #require(recorder.routing[layer.layer])
            let ours = (0..<routing.rows).map { Array(routing.chosen(row: $0)) }
            #expect(ours == layer.chosen, "layer \(layer.layer): chosen experts")
        }
        print("[\(name)] prefill: max abs log-prob diff \(diff) (transformers f32 vs f64: "
              + "\(e.torch_f32_vs_f64_max_abs_diff)); routing margin \(e.routing_min_margin), "
              + "\(e.bias_moved_choices) choices moved by the correction bias")
        #expect(diff <= tolerance)
    }

    @Test("decode: one token at a time through the KV cache equals transformers'", arguments: MoEFixtures.names)
    func decode(name: String) throws {
        let model = try Fixtures.model(name), e = try MoEFixtures.expected(name)
        var cache = model.makeCache()
        let rows = try e.input_ids.map { try model.append([$0], to: &cache) }
        let diff = nextTokenDiff(rows, e)
        print("[\(name)] token-by-token decode: max abs log-prob diff \(diff)")
        #expect(diff <= tolerance)
    }

    @Test("batched decode: three sequences at different positions in one pass", arguments: MoEFixtures.names)
    func batchedDecode(name: String) throws {
        let model = try Fixtures.model(name), e = try MoEFixtures.expected(name)
        let cuts = [3, 11, 20]
        var states = try cuts.map { cut -> KVCache in
            var cache = model.makeCache()
            _ = try model.append(Array(e.input_ids[..<cut]), to: &cache)
            return cache
        }
        let rows = try model.appendBatch(cuts.map { e.input_ids[$0] }, to: &states)
        var worst: Float = 0
        for (row, cut) in zip(rows, cuts) { worst = max(worst, abs(row[e.input_ids[cut + 1]] - e.next_logprobs[cut])) }
        if let full = e.logprobs { worst = max(worst, maxAbsDiff(rows, cuts.map { full[$0] })) }
        print("[\(name)] appendBatch at positions \(cuts): max abs log-prob diff \(worst)")
        #expect(worst <= tolerance)
    }

    @Test("greedy: the argmax continuation is transformers'", arguments: MoEFixtures.names)
    func greedy(name: String) throws {
        let model = try Fixtures.model(name), e = try MoEFixtures.expected(name)
        let produced = try greedyContinuation(model, prompt: e.input_ids, count: e.greedy.count)
        print("[\(name)] greedy \(produced.prefix(8))… (reference min margin \(e.greedy_min_margin))")
        #expect(produced == e.greedy)
    }

    @Test("beam search: the 4 hypotheses of transformers' beam search, in order", arguments: MoEFixtures.names)
    func beams(name: String) throws {
        let model = try Fixtures.model(name), e = try MoEFixtures.expected(name)
        let settings = BeamSearchSettings(beams: 4, maxNewTokens: e.beams[0].count, lengthPenalty: 1,
                                          earlyStopping: .false, numReturnSequences: 4, endTokens: [])
        let result = try BeamSearch.run(model, prompt: e.input_ids, settings: settings)
        let scores = result.sequences.map(\.score)
        print("[\(name)] beams \(result.sequences.map { $0.ids.prefix(4) })…, scores \(scores) vs \(e.beam_scores)")
        #expect(result.sequences.map(\.ids) == e.beams)
        #expect(zip(scores, e.beam_scores).allSatisfy { abs($0 - $1) <= tolerance * 10 })
    }

    @Test("text through the tokenizer: per-token log P equals transformers'")
    func scoreText() throws {
        let folder = ModelFolder(url: Fixtures.folder("moe-tokenizer"))
        let e = try MoEFixtures.expected("moe-tokenizer")
        let tokenizer = try ErnieTokenizer(folder: folder)
        let model = try ErnieModel(folder: folder, vocabulary: tokenizer)
        for item in try #require(e.scored) {
            let ids = [try #require(tokenizer.bosId)] + tokenizer.encode(item.text, addBos: false)
            #expect(ids == item.ids, "\(item.text): ids")
            let score = try SentenceScore.score(ids, with: model, pieces: tokenizer.piece)
            let worst = zip(score.entries, item.logprobs).compactMap { entry, reference in
                entry.logProb.flatMap { a in reference.map { abs(a - Double($0)) } }
            }.max() ?? .infinity
            print("[moe-tokenizer] \"\(item.text)\": \(ids.count) tokens, max abs diff \(worst)")
            #expect(worst <= Double(tolerance))
        }
    }

    @Test("shards: the experts in a second file behind model.safetensors.index.json give the same logits")
    func sharded() throws {
        let source = Fixtures.folder("moe-dense-first")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moe-shards-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(at: source.appendingPathComponent("config.json"),
                                         to: folder.appendingPathComponent("config.json"))
        let file = try SafetensorsFile(url: source.appendingPathComponent("model.safetensors"))
        var first = SafetensorsWriter(metadata: ["format": "pt"]), second = SafetensorsWriter(metadata: ["format": "pt"])
        var map: [String: String] = [:]
        for name in file.tensorNames {
            let t = try file.tensor(name), expert = name.contains(".mlp.experts.")
            if expert { try second.add(name, dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes)) }
            else { try first.add(name, dtype: t.dtype, shape: t.shape, bytes: Array(t.bytes)) }
            map[name] = expert ? "model-00002-of-00002.safetensors" : "model-00001-of-00002.safetensors"
        }
        try first.write(to: folder.appendingPathComponent("model-00001-of-00002.safetensors"))
        try second.write(to: folder.appendingPathComponent("model-00002-of-00002.safetensors"))
        try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
            .write(to: folder.appendingPathComponent("model.safetensors.index.json"))

        let ids = try MoEFixtures.expected("moe-dense-first").input_ids
        var a = try Fixtures.model("moe-dense-first").makeCache(), b = a
        let whole = try Fixtures.model("moe-dense-first").logits(ids, cache: &a, allPositions: true)
        let shards = try ErnieModel(folder: folder).logits(ids, cache: &b, allPositions: true)
        #expect(whole == shards)
    }
}
