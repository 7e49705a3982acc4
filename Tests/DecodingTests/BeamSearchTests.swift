// Beam search against transformers' generate(num_beams=…) on tiny ERNIE checkpoints, beams 1 ≡ greedy, and a
// bigram model small enough to follow by hand.

import Decoding
import ERNIE
import Foundation
import LabCore
import Testing

@Suite struct BeamSearchTests {
    @Test func beamSearchMatchesTransformersGenerate() throws {
        let fixture = try DecodingFixtures.generate()
        let runs = fixture.runs.filter { $0.strategy == "beam" }
        #expect(runs.count == 14)
        var worst: Float = 0
        for run in runs {
            let model = try DecodingFixtures.ernie(run.model)
            let early: EarlyStopping
            switch run.early_stopping {
            case .flag(true)?: early = .true
            case .never?: early = .never
            default: early = .false
            }
            let settings = BeamSearchSettings(beams: run.num_beams!, maxNewTokens: run.max_new_tokens,
                                              lengthPenalty: run.length_penalty!, earlyStopping: early,
                                              numReturnSequences: run.num_return_sequences ?? 1,
                                              endTokens: Set(run.eos_token_id ?? []),
                                              processors: try ProcessorChain(repetitionPenalty: run.repetition_penalty))
            let result = try BeamSearch.run(model, prompt: run.prompt, settings: settings)
            let label = "\(run.model) beams \(settings.beams) α \(settings.lengthPenalty) early \(early) eos "
                + "\(run.eos_token_id ?? []) \(settings.processors)"
            #expect(result.sequences.map(\.ids) == run.sequences.map(\.ids), "\(label)")
            var diff: Float = 0
            for (a, b) in zip(result.sequences, run.sequences) { diff = max(diff, abs(a.score - b.score!)) }
            #expect(diff < 1e-4, "\(label): max abs score diff \(diff)")
            worst = max(worst, diff)
            print("\(label): \(result.sequences.map(\.ids)), max abs score diff \(diff), \(result.tree.nodes.count) nodes")
        }
        print("beam search: max abs diff of sequences_scores \(worst) over \(runs.count) runs")
    }

    @Test(arguments: [Set<Int>(), [237]])
    func oneBeamIsGreedy(endTokens: Set<Int>) throws {
        let model = try DecodingFixtures.ernie("gqa-tied")
        let prompt = [5, 9, 14]
        let greedy = try Sampler(choice: .greedy).generate(model, prompt: prompt, maxNewTokens: 12, endTokens: endTokens)
        for alpha: Float in [0, 1, 2] {
            let beam = try BeamSearch.run(model, prompt: prompt, settings: BeamSearchSettings(
                beams: 1, maxNewTokens: 12, lengthPenalty: alpha, endTokens: endTokens))
            #expect(beam.sequences.map(\.ids) == [greedy], "α \(alpha)")
        }
    }

    /// Vocabulary 0 <s>, 1 A, 2 B, 3 </s>; P(next | previous) from a fixed table. Greedy takes A (0.55) then
    /// </s> (0.40): P = 0.22. Two beams also keep B (0.35), whose </s> has 0.90: P = 0.315, the better sentence.
    ///
    /// Step 0 ranks K = max(2, 1 + 1)·2 = 4 candidates: A .55 (kept), B .35 (kept), <s> .05 (pruned: two beams
    /// already run), </s> .05 (ends, but ranked 4th ≥ 2 beams: pruned). Step 1 ranks B</s> .315, A</s> .22,
    /// AB .165, AA .1375: both ending candidates are in the first two and finish, AB and AA are kept.
    /// α = 0, early stopping true: the finished list is full, stop. Scores ln .315 and ln .22.
    /// α = 1, early stopping false: scores ln .315 / 2 and ln .22 / 2; the best running beam AB could at best
    /// reach ln .165 / 2 = −0.901 < ln .22 / 2 = −0.757, so the search stops here too.
    @Test func bigramByHand() throws {
        let model = BigramModel()
        for (alpha, early) in [(Float(0), EarlyStopping.true), (1, .false)] {
            let result = try BeamSearch.run(model, prompt: [0], settings: BeamSearchSettings(
                beams: 2, maxNewTokens: 3, lengthPenalty: alpha, earlyStopping: early, numReturnSequences: 2))
            #expect(result.sequences.map(\.ids) == [[2, 3], [1, 3]])
            let divisor = Float(pow(2.0, Double(alpha)))
            #expect(abs(result.sequences[0].score - Float(log(0.315)) / divisor) < 1e-6)
            #expect(abs(result.sequences[1].score - Float(log(0.22)) / divisor) < 1e-6)
            let statuses = result.tree.nodes.map { "\($0.token.map(String.init) ?? "root"):\($0.status.rawValue)" }
            #expect(statuses == ["root:root", "1:kept", "2:kept", "0:pruned", "3:pruned",
                                 "3:finished", "3:finished", "2:kept", "1:kept"], "\(statuses)")
            #expect(result.tree.nodes[5].parent == 2 && result.tree.nodes[6].parent == 1)
            #expect(abs(result.tree.nodes[5].cumulativeLogProb - Float(log(0.315))) < 1e-6)
        }
        let greedy = try Sampler(choice: .greedy).generate(model, prompt: [0], maxNewTokens: 3)
        #expect(greedy == [1, 3])
    }
}

/// A bigram model: P(next | previous) is row `previous` of a fixed table. State = the last token.
final class BigramModel: LanguageModel {
    struct Pieces: Vocabulary {
        var count: Int { 4 }
        func piece(_ id: Int) -> String { ["<s>", "A", "B", "</s>"][id] }
    }
    let table: [[Double]] = [
        [0.05, 0.55, 0.35, 0.05],   // after <s>
        [0.05, 0.25, 0.30, 0.40],   // after A
        [0.02, 0.04, 0.04, 0.90],   // after B
        [0.25, 0.25, 0.25, 0.25],   // after </s>
    ]
    var name: String { "bigram" }
    var vocabulary: any Vocabulary { Pieces() }
    var startToken: Int? { 0 }
    var endTokens: Set<Int> { [3] }
    func makeState() throws -> Int { 0 }
    func append(_ tokens: [Int], to state: inout Int) throws -> [Float] {
        state = tokens.last!
        return table[state].map { Float(log($0)) }
    }
}
