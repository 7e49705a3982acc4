// A small deterministic LanguageModel for the explorer tests: a fixed bigram table over eleven words (English and
// Chinese), which counts how often it is called, so a test can prove a slider change does not call the model.
import Decoding
import Foundation
import LabCore

final class TableModel: LanguageModel {
    typealias State = [Int]
    struct Words: Vocabulary {
        let words: [String]
        var count: Int { words.count }
        func piece(_ id: Int) -> String { id >= 0 && id < words.count ? words[id] : "<\(id)>" }
    }

    let name = "table bigram"
    let vocabulary: any Vocabulary = Words(words: ExplorerFixtures.words)
    var startToken: Int? { 0 }
    var endTokens: Set<Int> { [1] }
    /// Calls of `append` (every batched step counts once per sequence).
    private(set) var calls = 0

    func makeState() throws -> [Int] { [] }

    func append(_ tokens: [Int], to state: inout [Int]) throws -> [Float] {
        calls += 1
        state += tokens
        return ExplorerFixtures.logProbs(after: state.last ?? 0)
    }
}

enum ExplorerFixtures {
    static let words = ["<s>", "</s>", "我", "爱", "猫", "狗", "the", "cat", "sat", "on", "mat"]

    /// log softmax of fixed, tie-free scores s(prev, next) = −0.37 · ((7·next + 3·prev) mod 11) − 0.013 · next.
    static func logProbs(after prev: Int) -> [Float] {
        let s: [Double] = (0..<words.count).map { (next: Int) -> Double in
            let band = Double((7 * next + 3 * prev) % 11)
            return -0.37 * band - 0.013 * Double(next)
        }
        let m = s.max()!
        let sum: Double = s.reduce(0.0) { $0 + exp($1 - m) }
        let lse = m + log(sum)
        return s.map { Float($0 - lse) }
    }

    /// Beam search (2 beams, 4 steps) from <s> 我 on the table model.
    static func beamTree() throws -> BeamTree {
        try BeamSearch.run(TableModel(), prompt: [0, 2], settings: BeamSearchSettings(beams: 2, maxNewTokens: 4)).tree
    }
}
