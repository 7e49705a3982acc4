// GenerationStream hands the caller StreamedOutput pieces (a header block, then text as it is chosen) instead of
// writing to stdout, and holds back a character whose bytes have not all arrived (U+FFFD) until they have.
import Decoding
import Foundation
import Lab
import LabCore
import Testing

/// A model whose greedy choice after each token is fixed: `next[last token]` (the first entry when it has none).
private final class ScriptedModel: LanguageModel {
    typealias State = [Int]
    struct Pieces: Vocabulary {
        let pieces: [String]
        var count: Int { pieces.count }
        func piece(_ id: Int) -> String { pieces[id] }
    }
    let name = "scripted"
    let vocabulary: any Vocabulary
    let next: [Int: Int]
    init(pieces: [String], next: [Int: Int]) { (vocabulary, self.next) = (Pieces(pieces: pieces), next) }
    var startToken: Int? { 0 }
    var endTokens: Set<Int> { [1] }
    func makeState() throws -> [Int] { [] }
    func append(_ tokens: [Int], to state: inout [Int]) throws -> [Float] {
        state += tokens
        let chosen = next[state.last ?? 0] ?? next.values.min() ?? 0, n = vocabulary.count
        return (0..<n).map { $0 == chosen ? log(0.9) : log(0.1 / Float(n - 1)) }
    }
}

/// Greedy from <s> writes x y x y …: "x" is the first byte of a two-byte character that "y" completes.
private func halfCharacterModel() -> ScriptedModel { ScriptedModel(pieces: ["<s>", "</s>", "x", "y"], next: [0: 2, 2: 3, 3: 2]) }

/// "<s>" for 0, "é" for x followed by y, U+FFFD for an x not (yet) followed by y.
private func spell(_ ids: [Int]) -> String {
    var out = "", i = 0
    while i < ids.count {
        switch ids[i] {
        case 0: out += "<s>"
        case 2 where i + 1 < ids.count && ids[i + 1] == 3: out += "é"; i += 1
        case 2: out += "\u{FFFD}"
        default: out += "?"
        }
        i += 1
    }
    return out
}

@Test func streamingEmitsOutputPiecesAndHoldsBackAnUnfinishedCharacter() throws {
    var pieces: [StreamedOutput] = []
    let sampler = Sampler(processors: ProcessorChain([]), choice: .greedy)
    let new = try GenerationStream.run(halfCharacterModel(), sampler: sampler, promptIds: [0], maxNewTokens: 4, endTokens: nil,
                                       text: spell, emit: { pieces.append($0) })
    print("pieces: \(pieces)")
    #expect(new == [2, 3, 2, 3])
    guard case .block(.text(let header)) = pieces.first else { Issue.record("no header block first"); return }
    #expect(header.string.hasPrefix("greedy"))
    let inline = pieces.dropFirst().dropLast().map { piece -> String in
        if case .inline(let s) = piece { return s }
        Issue.record("a block between the header and the closing note: \(piece)")
        return ""
    }
    #expect(inline == ["<s>", "é", "é", "\n"], "no U+FFFD is ever shown while its character is unfinished")
    // The limit, not an end token, stopped it: the last block says so.
    #expect(pieces.last == .block(.text(OutputText("(stopped after 4 new tokens, the --max-new-tokens limit)", .dim))))

    // Ending on a lone first byte shows it as it decodes (U+FFFD), at the end only.
    var last: [StreamedOutput] = []
    _ = try GenerationStream.run(halfCharacterModel(), sampler: sampler, promptIds: [0], maxNewTokens: 3, endTokens: nil,
                                 text: spell, emit: { last.append($0) })
    #expect(Array(last.dropLast().suffix(2)) == [.inline("\u{FFFD}"), .inline("\n")])

    // Without a receiver (--json) nothing is emitted and the ids are the same.
    #expect(try GenerationStream.run(halfCharacterModel(), sampler: sampler, promptIds: [0], maxNewTokens: 4, endTokens: nil,
                                     text: spell, emit: nil) == new)
}

/// Greedy from <s> spells 飞 (E9 A3 9E) in byte pieces, again and again.
private func bytePieceModel() -> ScriptedModel {
    ScriptedModel(pieces: ["<s>", "</s>", "<0xE9>", "<0xA3>", "<0x9E>"], next: [0: 2, 2: 3, 3: 4, 4: 2])
}

@Test func aTextCutInsideACharacterSaysWhyItEndsInTheReplacementCharacter() throws {
    let decode = { (ids: [Int]) in
        String(decoding: ids.compactMap { [2: UInt8(0xE9), 3: 0xA3, 4: 0x9E][$0] }, as: UTF8.self)
    }
    func notes(_ maxNewTokens: Int, _ language: LessonLanguage) throws -> [String] {
        var pieces: [StreamedOutput] = []
        _ = try Learner.$language.withValue(language) {
            try GenerationStream.run(bytePieceModel(), sampler: Sampler(processors: ProcessorChain([]), choice: .greedy),
                                     promptIds: [0], maxNewTokens: maxNewTokens, endTokens: nil, text: decode,
                                     emit: { pieces.append($0) })
        }
        return pieces.dropFirst().compactMap { if case .block(.text(let t)) = $0 { return t.string } else { return nil } }
    }
    #expect(try notes(2, .en) == ["(the text stops inside a character: its last 2 tokens are the first bytes, <0xE9> <0xA3>, "
                                  + "shown as �; a larger --max-new-tokens finishes it)"])
    #expect(try notes(1, .zh).first?.hasPrefix("（文本停在一个字的中间：最后 1 个词元") == true)
    #expect(try notes(3, .en) == ["(stopped after 3 new tokens, the --max-new-tokens limit)"], "飞 is whole")
    #expect(try notes(3, .zh) == ["（写满 --max-new-tokens 的 3 个新词元就停了）"])
    #expect(try notes(4, .en) == ["(the text stops inside a character: its last token is the first byte, <0xE9>, "
                                  + "shown as �; a larger --max-new-tokens finishes it)"])
}

/// A prompt and a continuation from a stranger (a lesson's prompt, a model's pieces) reach the terminal with their
/// control characters escaped: an OSC 52 in a cell's prompt once wrote the clipboard (hostile-input audit 14, F8).
/// Line breaks stay; --json (no receiver) keeps the exact text.
@Test func streamedTextShowsControlCharactersEscapedAndKeepsLineBreaks() throws {
    let pieces = ["\u{1B}]52;c;cHduZWQ=\u{7} One day", "</s>", " \u{1B}[2J", "ok\n"]
    let model = ScriptedModel(pieces: pieces, next: [0: 2, 2: 3, 3: 2])
    let text = { (ids: [Int]) in ids.map { pieces[$0] }.joined() }
    var shown: [StreamedOutput] = []
    let new = try GenerationStream.run(model, sampler: Sampler(processors: ProcessorChain([]), choice: .greedy),
                                       promptIds: [0], maxNewTokens: 2, endTokens: nil, text: text,
                                       emit: { shown.append($0) })
    let inline = shown.compactMap { if case .inline(let s) = $0 { return s } else { return nil } }
    #expect(inline == ["\\u{1b}]52;c;cHduZWQ=\\u{7} One day", " \\u{1b}[2J", "ok\n", "\n"], "\(inline)")
    #expect(text(new) == " \u{1B}[2Jok\n", "the ids, and so --json's text, are untouched")
    // Beam search's ranked lines: the same.
    let result = try BeamSearch.run(model, prompt: [0], settings: BeamSearchSettings(beams: 1, maxNewTokens: 2))
    let ranked = BeamReport.ranked(result, prompt: [0], showIds: false, text: text)
    #expect(ranked.count == 1 && !ranked[0].contains("\u{1B}") && ranked[0].contains("\\u{1b}[2J"), "\(ranked)")
}
