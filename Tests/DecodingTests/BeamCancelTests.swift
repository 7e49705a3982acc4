// Ctrl-C in a beam search keeps what the search has (session 15: a cancelled `beam` printed nothing): the running
// beams, scored as if they ended there, and the finished hypotheses, best first, with the steps taken. The cancel
// is asked of a scope of this test's own (CancellationScope), so the tests beside it neither see nor swallow it.

import Decoding
import Foundation
import LabCore
import Testing

/// The bigram model of BeamSearchTests, asking its scope to stop once it has read `calls` batches of beams.
private final class StoppingBigram: LanguageModel {
    let bigram = BigramModel()
    let scope: CancellationScope
    let calls: Int
    private(set) var batches = 0
    init(scope: CancellationScope, afterBatches calls: Int) { (self.scope, self.calls) = (scope, calls) }
    var name: String { "bigram" }
    var vocabulary: any Vocabulary { bigram.vocabulary }
    var startToken: Int? { 0 }
    var endTokens: Set<Int> { bigram.endTokens }
    func makeState() throws -> Int { 0 }
    func append(_ tokens: [Int], to state: inout Int) throws -> [Float] { try bigram.append(tokens, to: &state) }
    func appendBatch(_ tokens: [Int], to states: inout [Int]) throws -> [[Float]] {
        batches += 1
        if batches == calls { Cancellation.request(in: scope) }          // Ctrl-C while this step's call runs
        return try tokens.indices.map { try bigram.append([tokens[$0]], to: &states[$0]) }
    }
}

@Test func aCancelledBeamSearchKeepsItsRunningBeamsRanked() throws {
    let scope = CancellationScope()
    let settings = BeamSearchSettings(beams: 2, maxNewTokens: 3, lengthPenalty: 1, earlyStopping: .false)
    try Cancellation.$scope.withValue(scope) {
        // Stopped after the first step: A (ln .55) and B (ln .35) run, nothing has finished.
        let result = try BeamSearch.run(StoppingBigram(scope: scope, afterBatches: 1), prompt: [0], settings: settings,
                                        keepingWhatItHas: true)
        #expect(result.cancelledAfter == 1)
        #expect(result.sequences.map(\.ids) == [[1], [2]])
        #expect(abs(result.sequences[0].score - Float(log(0.55))) < 1e-6)
        #expect(result.sequences.allSatisfy { result.tree.nodes[$0.node].status == .kept })
        // Without keepingWhatItHas the cancel is thrown, as before.
        #expect(throws: CancellationRequested.self) {
            try BeamSearch.run(StoppingBigram(scope: scope, afterBatches: 1), prompt: [0], settings: settings)
        }
        // A search that ends before the cancel is checked is whole: no step was cut.
        let whole = try BeamSearch.run(BigramModel(), prompt: [0], settings: settings, keepingWhatItHas: true)
        #expect(whole.cancelledAfter == nil && whole.sequences.map(\.ids) == [[2, 3]])
    }
    #expect(!scope.isRequested)
}
