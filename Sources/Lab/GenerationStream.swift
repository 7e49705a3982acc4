// GenerationStream — greedy decoding and sampling shown as they happen (`generate`, `sample` without --show-dist):
// a header naming the processors, the prompt, then each new piece the moment it is chosen. Pieces can merge
// across tokens and a character split over byte tokens decodes to U+FFFD until its last byte arrives, so the whole
// text so far is decoded each time and only what was added is written.
import Decoding
import Foundation
import LabCore
import Tokenizers

extension LoadedModel {
    /// The text of `ids`: the tokenizer's decoding (special tokens kept), or the vocabulary's pieces joined.
    public func text(_ ids: [Int]) -> String { Self.text(ids, tokenizer: tokenizer, vocabulary: model.vocabulary) }

    /// The same for any model: a server's (--api) through the local tokenizer, or a tokenizer-less one's pieces.
    public static func text(_ ids: [Int], tokenizer: ErnieTokenizer?, vocabulary: any Vocabulary) -> String {
        tokenizer.map { $0.decode(ids, skipSpecialTokens: false) } ?? ids.map(vocabulary.piece).joined()
    }
}

public enum GenerationStream {
    /// Greedy decoding or sampling with `sampler`, each new piece written to stdout as it is chosen after a header
    /// line naming the processors; `quiet` writes nothing (the caller prints JSON). Returns the new ids.
    public static func run<M: LanguageModel>(_ lm: M, sampler: Sampler, promptIds: [Int], maxNewTokens: Int,
                                             endTokens: Set<Int>?, quiet: Bool, text: ([Int]) -> String) throws -> [Int] {
        let json = quiet
        if !json {
            let header: String
            switch sampler.choice {
            case .greedy: header = Learner.text("greedy, processors: ", "贪心解码，处理器：") + "\(sampler.processors)"
            case .sample(let seed):
                header = Learner.text("sample, processors: \(sampler.processors)   (seed \(seed))",
                                      "采样，处理器：\(sampler.processors)   （种子 \(seed)）")
            }
            // Unbuffered writes throughout, so the header, the prompt and each new piece appear in order.
            FileHandle.standardOutput.write(Data((header + "\n").utf8))
            FileHandle.standardOutput.write(Data(text(promptIds).utf8))
        }
        // Streaming: decode the whole text so far and print what was added. Pieces can merge across tokens,
        // and a character split over byte tokens decodes to U+FFFD until its last byte arrives: hold those back.
        var shown = promptIds
        var printed = text(promptIds)
        func flush(final: Bool) {
            var now = text(shown)
            if !final { while now.hasSuffix("\u{FFFD}") { now.removeLast() } }
            guard now.hasPrefix(printed) else { return }
            FileHandle.standardOutput.write(Data(String(now.dropFirst(printed.count)).utf8))
            printed = now
        }
        let new = try sampler.generate(lm, prompt: promptIds, maxNewTokens: maxNewTokens, endTokens: endTokens) { event in
            guard !json else { return }
            shown.append(event.token)
            flush(final: false)
        }
        if !json {
            flush(final: true)
            FileHandle.standardOutput.write(Data("\n".utf8))
        }
        return new
    }
}
