// NGramSentences — `lmlab ngram generate`: an n-gram model writing sentences through the lab's one decode step
// (Decoding's Sampler, as `lmlab generate` uses it): <unk> and <s> are never written, a temperature τ divides
// log P (P^(1/τ) renormalised), and every sentence continues one seeded stream, so a seed reproduces the text.

import ClassicLMs
import Decoding
import LabCore
import Tokenizers

extension NGramModel {
    /// `count` sentences continuing `prompt` (ids), each at most `maxTokens` new tokens, as text of `tokenization`
    /// (words joined with their spacing, characters run together).
    /// - Parameters:
    ///   - greedy: always the most probable token (τ is then unused).
    ///   - temperature: τ > 0; 1 samples the model as it is.
    /// - Throws: `Temperature`'s error for a τ it refuses, or the sampler's.
    public func sentences(prompt: [Int], count: Int, maxTokens: Int, greedy: Bool, temperature: Double, seed: UInt64,
                          tokenization: CorpusTokenization) throws -> [String] {
        var processors: [any LogitsProcessor] = [SuppressTokens([tokens.unknownId, tokens.beginId])]
        if !greedy && temperature != 1 { processors.append(try Temperature(Float(temperature))) }
        let sampler = Sampler(processors: ProcessorChain(processors), choice: greedy ? .greedy : .sample(seed: seed))
        var rng = SeededRNG(seed: seed)
        return try (0..<count).map { _ in
            try Cancellation.check()                                 // Ctrl-C: between two sentences too
            let pieces = (prompt + (try sampler.sentence(self, prompt: prompt, maxTokens: maxTokens, rng: &rng))).map(tokens.piece)
            return tokenization == .words ? WordTokenizer.join(pieces) : pieces.joined()
        }
    }
}
