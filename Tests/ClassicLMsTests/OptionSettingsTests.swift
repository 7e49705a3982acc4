// `lmlab embed` and `lmlab ngram` options as the library checks them: each refusal names the option and the fix.
import Testing
import LabCore
@testable import ClassicLMs

private func word2vec(arch: String = "skipgram", window: Int = 10, epochs: Int = 20, minCount: Int = 5,
                      alpha: Double = 0.025, dimension: Int = 100) throws(OptionError) -> Word2VecConfig {
    try Word2VecConfig(architecture: arch, dimension: dimension, window: window, negative: 5, epochs: epochs,
                       minCount: minCount, sample: 1e-3, alpha: alpha, minAlpha: 0.0001, threads: 2, seed: 7)
}

@Test func word2vecOptionsBecomeItsConfig() throws {
    let c = try word2vec(arch: "cbow", window: 3)
    #expect(c.architecture == .cbow && c.window == 3 && c.epochs == 20 && c.seed == 7 && c.dimension == 100)
    func refusal(_ make: () throws -> Word2VecConfig) -> String {
        do { _ = try make(); return "" } catch { return "\(error)" }
    }
    let messages = [refusal { try word2vec(arch: "glove") }, refusal { try word2vec(window: 100_000) },
                    refusal { try word2vec(epochs: 0) }, refusal { try word2vec(minCount: 0) },
                    refusal { try word2vec(alpha: .infinity) }, refusal { try word2vec(dimension: 5000) }]
    #expect(messages[0] == "--arch 'glove' is not known. HINT: use skipgram or cbow.")
    #expect(messages[1].hasPrefix("--window 100000 is outside 1…1000."))
    #expect(messages[2].hasPrefix("--epochs 0 is outside 1…10000."))
    #expect(messages[3] == "--min-count 0: must be at least 1. HINT: 5 is usual.")
    #expect(messages[4].hasPrefix("--alpha inf must be a number above 0"))
    #expect(messages[5].contains("dimension = 5000"), "Word2VecConfig.validate's own check: \(messages[5])")
}

@Test func smoothingIsNamedByTheOption() throws {
    #expect(try NGramSmoothing(named: "mle", k: 0.1, discount: 0.75) == .mle)
    #expect(try NGramSmoothing(named: "laplace", k: 0.1, discount: 0.75) == .laplace)
    #expect(try NGramSmoothing(named: "addk", k: 0.1, discount: 0.75) == .addK(0.1))
    #expect(try NGramSmoothing(named: "kn", k: 0.1, discount: 0.5) == .kneserNey(discount: 0.5))
    let unknown = #expect(throws: OptionError.self) { try NGramSmoothing(named: "witten-bell", k: 0.1, discount: 0.75) }
    #expect(unknown?.description == "--smoothing 'witten-bell' is not known. HINT: use mle, laplace, addk or kn.")
    let k = #expect(throws: OptionError.self) { try NGramSmoothing(named: "addk", k: .infinity, discount: 0.75) }
    #expect(k?.description.hasPrefix("--k inf must be a number above 0 and at most 100.") == true)
    let d = #expect(throws: OptionError.self) { try NGramSmoothing(named: "kn", k: 0.1, discount: 1) }
    #expect(d?.description == "--discount 1.0 must be in (0, 1). HINT: 0.75 is usual.")
    // An add-k k is only looked at when add-k is asked for.
    #expect(try NGramSmoothing(named: "kn", k: -1, discount: 0.75) == .kneserNey(discount: 0.75))
}
