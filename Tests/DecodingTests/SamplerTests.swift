// Greedy decoding against transformers, and the properties of seeded sampling on a tiny ERNIE checkpoint:
// the limits that collapse to greedy, a χ² goodness-of-fit test of 10,000 draws, and reproducibility by seed.

import Decoding
import ERNIE
import Foundation
import LabCore
import Testing

@Suite struct SamplerTests {
    static let prompt = [3, 7, 11, 19]   // any ids < 384 (both checkpoints' vocabularies are larger)

    @Test func greedyMatchesTransformersGenerate() throws {
        let fixture = try DecodingFixtures.generate()
        let runs = fixture.runs.filter { $0.strategy == "greedy" }
        #expect(runs.count == 6)
        for run in runs {
            let model = try DecodingFixtures.ernie(run.model)
            let chain = try ProcessorChain(repetitionPenalty: run.repetition_penalty)
            let ids = try Sampler(processors: chain, choice: .greedy).generate(model, prompt: run.prompt, maxNewTokens: run.max_new_tokens,
                                                            endTokens: Set(run.eos_token_id ?? []))
            #expect(ids == run.sequences[0].ids, "\(run.model) eos \(run.eos_token_id ?? [])")
            print("greedy \(run.model) eos \(run.eos_token_id ?? []) \(chain): \(ids) (transformers \(run.sequences[0].ids))")
        }
    }

    /// top-k 1, temperature → 0 (its smallest accepted value) and top-p → 0 all leave only the argmax, whatever the seed.
    @Test(arguments: ["gqa-tied", "mqa-untied"])
    func limitsThatCollapseToGreedy(model name: String) throws {
        let model = try DecodingFixtures.ernie(name)
        let greedy = try Sampler(choice: .greedy).generate(model, prompt: Self.prompt, maxNewTokens: 12, endTokens: [])
        let chains: [ProcessorChain] = [
            try ProcessorChain(topK: 1),
            try ProcessorChain(temperature: Temperature.minimum),
            try ProcessorChain(topP: 1e-6),
        ]
        for chain in chains {
            for seed: UInt64 in [1, 2, 3] {
                let ids = try Sampler(processors: chain, choice: .sample(seed: seed))
                    .generate(model, prompt: Self.prompt, maxNewTokens: 12, endTokens: [])
                #expect(ids == greedy, "\(chain), seed \(seed)")
            }
        }
        // And with a flat distribution the sampler really does leave the greedy path (the test above can fail).
        let free = try Sampler(choice: .sample(seed: 1)).generate(model, prompt: Self.prompt, maxNewTokens: 12,
                                                                  endTokens: [])
        #expect(free != greedy)
    }

    @Test func sameSeedSameTokens() throws {
        let model = try DecodingFixtures.ernie("gqa-tied")
        let sampler = Sampler(processors: try ProcessorChain(temperature: 1.2, topP: 0.95), choice: .sample(seed: 42))
        var events: [StepEvent] = []
        let a = try sampler.generate(model, prompt: Self.prompt, maxNewTokens: 16, endTokens: []) { events.append($0) }
        let b = try sampler.generate(model, prompt: Self.prompt, maxNewTokens: 16, endTokens: [])
        let c = try Sampler(processors: sampler.processors, choice: .sample(seed: 43))
            .generate(model, prompt: Self.prompt, maxNewTokens: 16, endTokens: [])
        #expect(a == b)
        #expect(a != c)
        // Streaming: one event per token, in order, each with the token's processed probability > 0.
        #expect(events.map(\.token) == a && events.map(\.step) == Array(0..<16))
        #expect(events.allSatisfy { $0.processedProb > 0 && $0.candidates >= 1 })
        print("seed 42: \(a); seed 43: \(c)")
    }

    /// 10,000 draws from the processed distribution pass Pearson's χ² test against it (p > 0.001), and fail it
    /// against the unprocessed distribution (so the test can tell the two apart).
    @Test func drawsFollowTheProcessedDistribution() throws {
        let model = try DecodingFixtures.ernie("gqa-tied")
        var state = try model.makeState()
        let logProbs = try model.append(Self.prompt, to: &state)
        let sampler = Sampler(processors: try ProcessorChain(temperature: 0.9, topK: 30, topP: 0.9),
                              choice: .sample(seed: 2026))
        var rng = SeededRNG(seed: 2026)
        var counts = [Int](repeating: 0, count: logProbs.count)
        var distribution: NextTokenDistribution?
        let n = 10_000
        for _ in 0..<n {
            let (token, d) = sampler.choose(logProbs, history: Self.prompt, rng: &rng)
            counts[token] += 1
            distribution = d
        }
        let d = try #require(distribution)
        #expect(zip(counts, d.processed).allSatisfy { $0.1 > 0 || $0.0 == 0 }, "a removed token was drawn")
        let fit = chiSquare(counts, expected: d.processed, n: n)
        let wrong = chiSquare(counts, expected: d.raw, n: n)
        print("χ² vs processed: \(fit.statistic) on \(fit.df) df, p = \(fit.p); vs raw: \(wrong.statistic), p = \(wrong.p)")
        #expect(fit.p > 0.001)
        #expect(wrong.p < 0.001)
    }
}

/// Pearson's χ² = Σ (O − E)² / E over the bins with E ≥ 5 (the rest pooled into one bin), and its p-value
/// from the Wilson–Hilferty normal approximation of the χ² distribution (accurate to ~1e-3 in p for df ≥ 3).
func chiSquare(_ observed: [Int], expected probs: [Float], n: Int) -> (statistic: Double, df: Int, p: Double) {
    var bins: [(o: Double, e: Double)] = []
    var pooled = (o: 0.0, e: 0.0)
    for (o, p) in zip(observed, probs) {
        let e = Double(p) * Double(n)
        if e >= 5 { bins.append((Double(o), e)) } else { pooled.o += Double(o); pooled.e += e }
    }
    if pooled.e > 0 || pooled.o > 0 { bins.append(pooled) }
    let x = bins.reduce(0.0) { $0 + ($1.e > 0 ? pow($1.o - $1.e, 2) / $1.e : ($1.o > 0 ? .infinity : 0)) }
    let k = Double(bins.count - 1)
    let z = (pow(x / k, 1.0 / 3) - (1 - 2 / (9 * k))) / (2 / (9 * k)).squareRoot()
    return (x, bins.count - 1, 0.5 * erfc(z / 2.0.squareRoot()))
}
