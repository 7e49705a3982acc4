// End to end, text → P(text): the ERNIE-like test tokenizer (trained by the sentencepiece library with ERNIE's
// settings) in front of a tiny random ERNIE. transformers' LlamaTokenizerFast gave the ids and transformers (float64)
// the log-prob of every token (scripts/make_ernie_fixtures.py, "with-tokenizer"). This is the path `lmlab prob` takes:
// <s> + encode(text) for plain text, the chat template for --chat.

import Decoding
import Foundation
import Testing
import ModelFiles
import Tokenizers
@testable import ERNIE

private struct ScoredText: Decodable {
    let text: String
    let chat: Bool
    let ids: [Int]
    let logprobs: [Float?]
}

private struct TokenizerExpected: Decodable {
    let tokenizer_len: Int
    let scored: [ScoredText]
}

@Suite("ERNIE scoring text through its tokenizer")
struct ErnieTextScoringTests {
    @Test("ids and per-token log P of plain and chat text equal transformers'")
    func scoreTexts() throws {
        let folder = ModelFolder(url: Fixtures.folder("with-tokenizer"))
        let expected = try JSONDecoder().decode(
            TokenizerExpected.self,
            from: Data(contentsOf: folder.url.appendingPathComponent("expected.json")))
        let tokenizer = try ErnieTokenizer(folder: folder)
        let model = try ErnieModel(folder: folder, vocabulary: tokenizer)
        #expect(tokenizer.count == expected.tokenizer_len)
        for item in expected.scored {
            let ids = item.chat
                ? try tokenizer.encodeChat([ChatMessage(.user, item.text)], addGenerationPrompt: true)
                : [try #require(tokenizer.bosId)] + tokenizer.encode(item.text, addBos: false)
            #expect(ids == item.ids, "\(item.text): ids")
            let score = try SentenceScore.score(ids, with: model, pieces: tokenizer.piece)
            var worst: Float = 0
            for (entry, reference) in zip(score.entries, item.logprobs) {
                switch (entry.logProb, reference) {
                case (nil, nil): break
                case (let a?, let b?): worst = max(worst, abs(Float(a) - b))   // the engine's own Float, widened exactly
                default: Issue.record("\(item.text): position \(entry.position) scored on one side only")
                }
            }
            let total = item.logprobs.compactMap { $0 }.reduce(0) { $0 + Double($1) }
            print("[with-tokenizer] \"\(item.text)\" chat=\(item.chat): \(ids.count) tokens "
                  + "\(score.entries.map(\.piece)), max abs diff \(worst), total \(score.totalLogProb) vs \(total)")
            #expect(worst <= tolerance)
            #expect(abs(score.totalLogProb - total) <= 1e-3)
        }
    }
}
