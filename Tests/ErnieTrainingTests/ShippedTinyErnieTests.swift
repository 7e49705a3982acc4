// The shipped tiny ERNIE models (Models/tiny-ernie, Models/tiny-ernie-instruct) against independent references
// (Fixtures/*-reference.json, written by scripts/check_tiny_ernie.py with transformers 5.24.0 and sentencepiece
// 0.2.1): transformers' Ernie4_5ForCausalLM logits ≈ the lab's engine's and the Autograd model's (≤ 1e-4), the
// sentencepiece library's ids = the lab's tokenizer's, transformers' chat template rendering = the lab's.
// And the point of the instruct model: on held-out chat questions it gives the reference answers a higher mean log P
// than the base model does.

import ERNIE
import Foundation
import LabCore
import ModelFiles
import Testing
import Tokenizers
@testable import ErnieTraining

let projectRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

struct ReferenceFile: Decodable {
    struct Case: Decodable {
        var text: String
        var chat: Bool
        var rendered: String?
        var ids: [Int]
        var rows: [String: [Double]]
        var next_logit: [Double]
        var logsumexp: [Double]
    }
    struct Encoding: Decodable { var text: String; var ids: [Int] }
    var folder: String
    var vocab_size: Int
    var cases: [Case]
    var encode: [Encoding]

    static func load(_ name: String) throws -> ReferenceFile {
        let url = Bundle.module.url(forResource: "Fixtures/\(name)-reference", withExtension: "json")!
        return try JSONDecoder().decode(ReferenceFile.self, from: Data(contentsOf: url))
    }
}

/// Max |ours − transformers| over the stored logits (last rows, next-token logits, log-sum-exps) of every case.
func maxLogitDifference(_ ref: ReferenceFile, logits: ([Int]) throws -> [[Float]]) rethrows -> Double {
    var worst = 0.0
    for c in ref.cases {
        let ours = try logits(c.ids)                                                  // [T][V]
        for (row, values) in c.rows {
            for (j, x) in values.enumerated() { worst = max(worst, abs(Double(ours[Int(row)!][j]) - x)) }
        }
        for (i, x) in c.next_logit.enumerated() { worst = max(worst, abs(Double(ours[i][c.ids[i + 1]]) - x)) }
        for (i, x) in c.logsumexp.enumerated() {
            let m = ours[i].max()!
            let lse = Double(m) + Foundation.log(ours[i].reduce(0.0) { $0 + Foundation.exp(Double($1 - m)) })
            worst = max(worst, abs(lse - x))
        }
    }
    return worst
}

@Test(arguments: ["tiny-ernie", "tiny-ernie-instruct", "tiny-ernie-moe"])
func shippedModelMatchesTransformers(name: String) throws {
    guard Bundle.module.url(forResource: "Fixtures/\(name)-reference", withExtension: "json") != nil else {
        Issue.record("Fixtures/\(name)-reference.json is missing: run scripts/check_tiny_ernie.py"); return
    }
    let ref = try ReferenceFile.load(name)
    let folder = projectRoot.appendingPathComponent(ref.folder)
    let engine = try ErnieModel(folder: folder)
    // The exact bf16 path (W widened, activations f32): the AMX / AVX512-BF16 prefill rounds activations to bf16,
    // which moves logits far more than 1e-4 (the bf16 tiny MoE; ErnieAMXPrefillTests bounds that path).
    let engineDiff = try BF16GemmPolicy.$forced.withValue(.widenF32) {
        try maxLogitDifference(ref) { ids in
            var cache = engine.makeCache()
            return try engine.logits(ids, cache: &cache, allPositions: true)
        }
    }
    let model = try TinyErnie(folder: folder)
    let autogradDiff = maxLogitDifference(ref) { ids in
        let v = model.forward(ids, batch: 1).value
        return (0..<ids.count).map { Array(v.data[($0 * ref.vocab_size)..<(($0 + 1) * ref.vocab_size)]) }
    }
    print("\(name) vs transformers 5.24.0: max abs logit diff engine \(engineDiff), Autograd \(autogradDiff)")
    #expect(engineDiff <= 1e-4)
    #expect(autogradDiff <= 1e-4)

    // Tokenizer: sentencepiece's ids for plain texts, transformers' rendering and ids for the chat.
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: folder))
    var mismatches = 0
    for e in ref.encode where tokenizer.encode(e.text, addBos: false) != e.ids {
        mismatches += 1
        Issue.record("\(name): \(e.text.debugDescription) → \(tokenizer.encode(e.text, addBos: false)), sentencepiece \(e.ids)")
    }
    for c in ref.cases where !c.chat {
        #expect([tokenizer.bosId!] + tokenizer.encode(c.text, addBos: false) == c.ids)
    }
    for c in ref.cases where c.chat {
        let messages = [ChatMessage(.user, c.text)]
        #expect(try tokenizer.renderChat(messages) == c.rendered)
        #expect(try tokenizer.encodeChat(messages) == c.ids)
    }
    print("\(name) tokenizer: \(ref.encode.count - mismatches)/\(ref.encode.count) texts encode as sentencepiece 0.2.1 does")
}

@Test func instructModelAnswersHeldOutQuestionsBetterThanBase() throws {
    let base = projectRoot.appendingPathComponent("Models/tiny-ernie")
    let instruct = projectRoot.appendingPathComponent("Models/tiny-ernie-instruct")
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: instruct))
    let heldout = try ChatExample.load(projectRoot.appendingPathComponent(TinyErnieRecipe.instructHeldout))
    let training = Set(try ChatExample.load(projectRoot.appendingPathComponent(TinyErnieRecipe.instructTrain)).map(\.question))
    #expect(heldout.allSatisfy { !training.contains($0.question) }, "held-out questions must not be trained on")

    /// Mean over held-out chats of log P(answer + sep | prompt), computed by the inference engine.
    func meanAnswerLogProb(_ folder: URL) throws -> Double {
        let engine = try ErnieModel(folder: folder)
        var total = 0.0
        for e in heldout {
            let (prompt, answer) = try e.encoded(with: tokenizer)
            var cache = engine.makeCache()
            let rows = try engine.logits(prompt + answer.dropLast(), cache: &cache, allPositions: true)
            for (k, target) in answer.enumerated() {
                total += Double(logProbabilities(rows[prompt.count - 1 + k])[target])
            }
        }
        return total / Double(heldout.count)
    }
    let (b, i) = (try meanAnswerLogProb(base), try meanAnswerLogProb(instruct))
    print("held-out chats (\(heldout.count)): mean log P(reference answer) instruct \(i), base \(b)")
    #expect(i > b + 1)
}

/// What 4 bits cost on a trained model (issue 21): the shipped tiny ERNIE scored in f32 and with int8 and int4 weights on
/// the held-out stories' first sentences. Random-weight fixtures (PrecisionEffectTests) exaggerate quantisation; a
/// trained model's weights are smoother, and int4 should cost a few hundredths of a nat per token.
@Test func int4CostsLittleOnTheTrainedTinyErnie() throws {
    let folder = projectRoot.appendingPathComponent("Models/tiny-ernie")
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: folder))
    let text = try String(contentsOf: projectRoot.appendingPathComponent("Lessons/data/stories.en.heldout.txt"), encoding: .utf8)
    let sentences = text.split(separator: "\n").prefix(40).map(String.init)
    /// Per scored token: log P of the actual next token, and the argmax.
    func score(_ precision: WeightPrecision) throws -> (logP: [Double], top1: [Int]) {
        let engine = try ErnieModel(folder: folder, precision: precision)
        var logP: [Double] = [], top1: [Int] = []
        for s in sentences {
            let ids = [engine.config.bosTokenId] + (try tokenizer.encode(s))
            var cache = engine.makeCache()
            let rows = try engine.logits(ids, cache: &cache, allPositions: true)
            for t in 0..<(ids.count - 1) {
                let lp = logProbabilities(rows[t])
                logP.append(Double(lp[ids[t + 1]]))
                top1.append(lp.indices.max { lp[$0] < lp[$1] }!)
            }
        }
        return (logP, top1)
    }
    let f32 = try score(.f32)
    var scored: [WeightPrecision: (logP: [Double], top1: [Int])] = [:]
    for precision in [WeightPrecision.int8, .int4] {
        let q = try score(precision)
        scored[precision] = q
        let meanAbs = zip(q.logP, f32.logP).map { abs($0 - $1) }.reduce(0, +) / Double(f32.logP.count)
        let agree = Double(zip(q.top1, f32.top1).filter { $0 == $1 }.count) / Double(f32.top1.count)
        let ppl = { (l: [Double]) in exp(-l.reduce(0, +) / Double(l.count)) }
        print(String(format: "tiny-ernie %@ vs f32 on %d held-out tokens: mean |Δ log P| %.4f, top-1 agreement %.1f%%, "
                     + "perplexity %.3f vs %.3f", precision.rawValue, f32.logP.count, meanAbs, 100 * agree, ppl(q.logP), ppl(f32.logP)))
        #expect(meanAbs < (precision == .int4 ? 0.1 : 0.02))         // measured 0.068 and 0.005 (retrained model)
        #expect(agree >= (precision == .int4 ? 0.8 : 0.95))           // measured 95.1 % and 99.7 %
    }
    // Why groups of 32: the same with one scale per 64 weights (stored twice, so the kernels are unchanged).
    let int4 = try #require(scored[.int4]), wide = try Int4Quantization.$scaleSpan.withValue(64) { try score(.int4) }
    let cost = { (q: [Double]) in zip(q, f32.logP).map { abs($0 - $1) }.reduce(0, +) / Double(f32.logP.count) }
    print(String(format: "tiny-ernie int4 mean |Δ log P| vs f32: groups of 32 %.4f, groups of 64 %.4f", cost(int4.logP),
                 cost(wide.logP)))
    #expect(cost(wide.logP) > cost(int4.logP))
}

/// The course's first example on the shipped base model (issue 18; lesson 1's cat-tiny cells): after the pet stories
/// (Lessons/data/stories.*.pets.*), P("I have a cute cat.") > P("My cat can fly.") and the same in Chinese, although
/// neither sentence occurs in the corpus.
@Test func shippedTinyErnieRanksTheCuteCatAboveTheFlyingCat() throws {
    let folder = projectRoot.appendingPathComponent("Models/tiny-ernie")
    let tokenizer = try ErnieTokenizer(folder: ModelFolder(url: folder))
    let engine = try ErnieModel(folder: folder)
    /// ln P(text | <s>), the chain rule over the text's tokens.
    func logP(_ text: String) throws -> Double {
        let ids = [engine.config.bosTokenId] + tokenizer.encode(text)
        var cache = engine.makeCache()
        let rows = try engine.logits(ids, cache: &cache, allPositions: true)
        return (0..<(ids.count - 1)).reduce(0.0) { $0 + Double(logProbabilities(rows[$1])[ids[$1 + 1]]) }
    }
    for (cute, flying) in [("I have a cute cat.", "My cat can fly."), ("我有一只可爱的猫。", "我的猫会飞。")] {
        let (a, b) = (try logP(cute), try logP(flying))
        print("tiny-ernie: ln P(\(cute)) \(a), ln P(\(flying)) \(b)")
        #expect(a > b + 5, "\(cute) \(a) vs \(flying) \(b)")
    }
}
