// GenerationStream — greedy decoding and sampling shown as they happen (`generate`, `sample` without --show-dist):
// a header naming the processors, the prompt, then each new piece the moment it is chosen, as StreamedOutput values
// the caller prints (the CLI and a lesson cell through OutputPrinter.stream). Pieces can merge
// across tokens and a character split over byte tokens decodes to U+FFFD until its last byte arrives, so the whole
// text so far is decoded each time and only what was added is written. Ctrl-C stops it between two tokens
// (Sampler): what was written stays, and the run throws `CancellationRequested`. The text is a stranger's (a
// lesson's prompt, a model's tokens): control characters are shown escaped (VisibleText), line breaks kept, so an
// ESC or OSC sequence in it never reaches the terminal; --json's text, which JSON escapes itself, stays exact.
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

/// What a streamed generation shows, piece by piece: a block on lines of its own (the header), or text that
/// continues the current line the moment it is known (the prompt, each new piece, the closing line break).
public enum StreamedOutput: Sendable, Equatable {
    case block(Output)
    case inline(String)
}

public enum GenerationStream {
    /// Greedy decoding or sampling with `sampler`: a header naming the processors, the prompt, then each new piece
    /// handed to `emit` as it is chosen; nil `emit` shows nothing (the caller prints JSON). Returns the new ids.
    public static func run<M: LanguageModel>(_ lm: M, sampler: Sampler, promptIds: [Int], maxNewTokens: Int,
                                             endTokens: Set<Int>?, text: ([Int]) -> String,
                                             emit: ((StreamedOutput) -> Void)?) throws -> [Int] {
        if let emit {
            let header: String
            let processors = sampler.processors.learnerDescription
            switch sampler.choice {
            case .greedy: header = Learner.text("greedy, processors: ", "贪心解码，logits 处理器：") + processors
            case .sample(let seed):
                header = Learner.text("sample, processors: \(processors)   (seed \(seed))",
                                      "采样，logits 处理器：\(processors)   （种子 \(seed)）")
            }
            emit(.block(.text(OutputText(header))))
            emit(.inline(VisibleText.escapingControls(text(promptIds), keepingNewlines: true)))
        }
        // Streaming: decode the whole text so far and emit what was added. Pieces can merge across tokens,
        // and a character split over byte tokens decodes to U+FFFD until its last byte arrives: hold those back.
        var shown = promptIds
        var printed = text(promptIds)
        func flush(final: Bool) {
            var now = text(shown)
            if !final { while now.hasSuffix("\u{FFFD}") { now.removeLast() } }
            guard now.hasPrefix(printed), now.count > printed.count else { return }
            emit?(.inline(VisibleText.escapingControls(String(now.dropFirst(printed.count)), keepingNewlines: true)))
            printed = now
        }
        let new: [Int]
        do {
            new = try sampler.generate(lm, prompt: promptIds, maxNewTokens: maxNewTokens, endTokens: endTokens) { e in
                guard emit != nil else { return }
                shown.append(e.token)
                flush(final: false)
            }
        } catch let cancelled as CancellationRequested {
            // Ctrl-C between two tokens: the text so far stays and its line ends, with no note on why the text ends
            // (it was cut off); whoever runs the command says it was cancelled (the REPL, a cell, the command line).
            if emit != nil { flush(final: true); emit?(.inline("\n")) }
            throw cancelled
        }
        if let emit {
            flush(final: true)
            emit(.inline("\n"))
            let last = new.suffix(3).map(lm.vocabulary.piece)
            let cut = BytePieces.unfinishedCharacter(last)
            if cut > 0 {   // the token limit fell inside a character spelled in bytes: say why the text ends in �
                let bytes = last.suffix(cut).joined(separator: " ")
                let tokens = cut == 1 ? "token is the first byte" : "\(cut) tokens are the first bytes"
                emit(.block(.text(OutputText(Learner.text(
                    "(the text stops inside a character: its last \(tokens), \(bytes), shown as �; "
                        + "a larger --max-new-tokens finishes it)",
                    "（文本停在一个字的中间：最后 \(cut) 个词元是这个字的前 \(cut) 个字节 \(bytes)，显示为 �；"
                        + "把 --max-new-tokens 调大就能写完它）"), .dim))))
            } else if new.count == maxNewTokens, let last = new.last, !(endTokens ?? lm.endTokens).contains(last) {
                // The limit, not the model, ended the text: said, so a sentence cut short is not read as the model's.
                emit(.block(.text(OutputText(Learner.text(
                    "(stopped after \(maxNewTokens) new tokens, the --max-new-tokens limit)",
                    "（写满 --max-new-tokens 的 \(maxNewTokens) 个新词元就停了）"), .dim))))
            }
        }
        return new
    }
}
