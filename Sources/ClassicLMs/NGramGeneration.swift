// NGramGeneration — writing text with an n-gram model: greedy or sampled, one token at a time until </s>.
//
// Greedy picks argmax_w P(w | h) and, with a model this small, soon loops ("the cat says meow . the cat says …" is
// the typical lesson moment). Sampling draws w ~ P(· | h) from a SeededRNG, so a seed reproduces the same text
// on every machine. Temperature τ reshapes the distribution: P_τ(w) ∝ P(w)^{1/τ}.
import Foundation
import LabCore

/// How the next token is chosen.
public enum NGramDecoding: Sendable, Equatable {
    case greedy
    case sample(temperature: Double)
}

extension NGramModel {
    /// Generates up to `maxTokens` tokens after `prompt` (ids, no padding), stopping at </s> (not included).
    /// <unk> and <s> are never produced.
    public func generate(prompt: [Int] = [], maxTokens: Int, decoding: NGramDecoding,
                         rng: inout SeededRNG) -> [Int] {
        var history = prompt
        var out: [Int] = []
        while out.count < maxTokens {
            var p = distribution(after: history)
            p[tokens.unknownId] = 0
            p[tokens.beginId] = 0
            let next: Int
            switch decoding {
            case .greedy:
                // First maximum: ties go to the smaller id, which is the more frequent token (TokenVocabulary order).
                var best = 0
                for i in p.indices where p[i] > p[best] { best = i }
                next = best
            case .sample(let tau):
                precondition(tau > 0, "generate: temperature must be > 0")
                let w = p.map { Float($0 > 0 ? Foundation.pow($0, 1 / tau) : 0) }
                guard w.contains(where: { $0 > 0 }) else { return out }
                next = rng.nextCategorical(w)
            }
            if next == tokens.endId { break }
            out.append(next)
            history.append(next)
        }
        return out
    }
}
