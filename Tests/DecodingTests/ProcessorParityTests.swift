// Every logits processor against transformers' (generation/logits_process.py) on 24 random logit vectors per
// setting, half of them on a 0.5 grid so ties fall on the top-k and top-p boundaries.

import Decoding
import Testing

@Suite struct ProcessorParityTests {
    static func chain(_ s: ProcessorFixture.Setting) throws -> ProcessorChain {
        try ProcessorChain(repetitionPenalty: s.repetition_penalty, temperature: s.temperature, topK: s.top_k,
                           topP: s.top_p, minP: s.min_p)
    }

    /// Same −∞ positions, finite values within `tolerance`; returns the max |Δ| over the finite ones.
    static func compare(_ got: [Float], _ want: [Float?]) -> (sameMask: Bool, maxDiff: Float) {
        var same = true
        var diff: Float = 0
        for (g, w) in zip(got, want) {
            if let w { if g == -.infinity { same = false } else { diff = max(diff, abs(g - w)) } }
            else if g != -.infinity { same = false }
        }
        return (same, diff)
    }

    @Test func everySettingMatchesTransformers() throws {
        let fixture = try DecodingFixtures.processors()
        #expect(fixture.cases.count == 20)
        var overall: Float = 0
        var stableUsed = 0
        for c in fixture.cases {
            let chain = try Self.chain(c.setting)
            #expect(c.vectors.count >= 20)
            var caseMax: Float = 0
            for (i, v) in c.vectors.enumerated() {
                let got = chain.apply(v.logits, history: v.history)
                let want = v.expected_stable ?? v.expected
                if v.expected_stable != nil {
                    stableUsed += 1
                    // torch's unstable sort removed a different member of a run of equal logits: the number of
                    // tokens kept is the same, and so is every kept value.
                    #expect(got.filter { $0 > -.infinity }.count == v.expected.compactMap { $0 }.count)
                }
                let (same, diff) = Self.compare(got, want)
                #expect(same, "\(chain) vector \(i): a different set of tokens was removed")
                #expect(diff <= 1e-6, "\(chain) vector \(i): max abs diff \(diff)")
                caseMax = max(caseMax, diff)
            }
            print("\(chain): \(c.vectors.count) vectors, max abs diff \(caseMax)")
            overall = max(overall, caseMax)
        }
        print("processors: max abs diff \(overall) over all settings; \(stableUsed) tie vectors compared with the "
              + "stable-sort column")
    }

    @Test func chainIsDisplayedInTransformersOrder() throws {
        let chain = try ProcessorChain(repetitionPenalty: 1.2, temperature: 0.8, topK: 12, topP: 0.9, minP: 0.05)
        #expect(chain.description == "repetition penalty 1.2 → temperature 0.8 → top-k 12 → top-p 0.9 → min-p 0.05")
    }

    @Test func outOfRangeSettingsThrowEvenWhenTheyWouldChangeNothing() {
        #expect(throws: DecodingError.self) { try ProcessorChain(topP: 1.5) }
        #expect(throws: DecodingError.self) { try ProcessorChain(temperature: 0) }
        #expect(throws: DecodingError.self) { try ProcessorChain(topK: 0) }
        #expect(throws: DecodingError.self) { try ProcessorChain(minP: -0.1) }
        #expect(throws: DecodingError.self) { try ProcessorChain(repetitionPenalty: 0) }
        #expect((try? ProcessorChain(temperature: 1, topP: 1, minP: 0))?.processors.isEmpty == true)
    }

    @Test func topKKeepsEveryTieAtTheBoundary() throws {
        // Hand-checked: the 2nd highest score is 1.0, shared by ids 1 and 3, so both stay beside id 0.
        var z: [Float] = [2, 1, 0, 1, -1]
        try TopK(2).process(&z, history: [])
        #expect(z == [2, 1, -.infinity, 1, -.infinity])
    }

    @Test func topPKeepsTheSmallestNucleus() throws {
        // p = [0.5, 0.25, 0.125, 0.125] (scores log p). Ascending mass: 0.125, 0.25, 0.5, 1.0. With top-p 0.7 the
        // tail with mass ≤ 0.3 goes: the two 0.125 tokens (0.25 ≤ 0.3), not the 0.25 one (0.5 > 0.3).
        var z: [Float] = [0.5, 0.25, 0.125, 0.125].map { Float(log(Double($0))) }
        try TopP(0.7).process(&z, history: [])
        #expect(z[2] == -.infinity && z[3] == -.infinity && z[0] > -.infinity && z[1] > -.infinity)
    }

    @Test func rawAndProcessedDistributionsBothSumToOne() throws {
        let chain = try ProcessorChain(temperature: 0.5, topK: 2)
        let d = chain.distributions([0, 1, 2, 3], history: [])
        #expect(abs(d.raw.reduce(0, +) - 1) < 1e-6 && abs(d.processed.reduce(0, +) - 1) < 1e-6)
        #expect(d.processed[0] == 0 && d.processed[1] == 0 && d.raw[0] > 0)
        // Hand-checked: after T = 0.5 the kept scores are 4 and 6, so p(3) = 1 / (1 + e^−2).
        #expect(abs(d.processed[3] - Float(1 / (1 + exp(-2.0)))) < 1e-6)
    }
}

import Foundation
