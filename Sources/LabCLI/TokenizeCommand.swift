// `lmlab tokenize`: show where a tokenizer cuts a text — pieces, ids, bytes, and the decoded round trip.
//
//   $ lmlab tokenize "Hello, 世界! 12" --model Tests/TokenizersTests/Fixtures/ernie     (an ERNIE-like test tokenizer)
//   piece │ Hello          │ ,    │ ▁世         │ 界       │ !    │ ▁    │ 1  │ 2
//   id    │ 883            │ 2456 │ 1242        │ 2506     │ 2430 │ 2403 │ 6  │ 7
//   bytes │ 48 65 6C 6C 6F │ 2C   │ 20 E4 B8 96 │ E7 95 8C │ 21   │ 20   │ 31 │ 32
//
// Columns are aligned by display width (a CJK character takes two cells), "▁" marks a space that belongs to the
// piece, and control characters are shown escaped (\n). Lesson 1 and lesson 8 use it to show that a model reads
// pieces, not words.
import ArgumentParser
import Foundation
import Lab
import LabCore
import ModelFiles
import TerminalUI
import Tokenizers

struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Show how a tokenizer splits a text: pieces, ids, bytes, and the decoded round trip.",
        discussion: """
        --model takes a model folder (with tokenizer.model and its json files), a bare tokenizer.model file, \
        or a model name that lmlab can locate (e.g. ernie-4.5-0.3b). Text that begins with "-" goes after "--".

        Examples:
          lmlab tokenize "Hello, world!" --model ernie-4.5-0.3b
          lmlab tokenize "我爱我的猫" --model path/to/tokenizer.model --json
          lmlab tokenize "Hello!" --model ernie-4.5-0.3b --chat
          lmlab tokenize --model ernie-4.5-0.3b -- "-5 degrees"
        """)

    @Argument(help: "The text to tokenize.")
    var text: String

    @Option(name: .long, help: "A model folder, a tokenizer.model file, or a model name.")
    var model: String

    @Flag(name: .long, help: "Print JSON: {\"ids\": [...], \"pieces\": [...], \"decoded\": \"...\"}.")
    var json = false

    @Flag(name: .long, help: "Put the BOS token first (the folder's add_bos_token decides otherwise).")
    var bos = false

    @Flag(name: .long, help: "Treat the text as a user message and tokenize the chat prompt (ERNIE's template).")
    var chat = false

    func run() throws {
        _ = TerminalLocale.activate()
        let tokenizer = try ModelLoader.tokenizer(model)
        let report = try TokenizedText.make(StandardInputText.resolve(text), with: tokenizer, bos: bos, chat: chat)
        if json {
            print(try jsonString(report.json))
        } else {
            let width = max(40, TerminalSize.columns())
            print(Self.render(report, width: width).joined(separator: "\n"))
        }
    }

    /// The plain-text view: a grid of piece / id / bytes columns, wrapped at `width` cells, then the round trip.
    static func render(_ r: TokenizedText, width: Int) -> [String] {
        var lines = [Learner.text("tokenizer: ", "分词器：") + r.tokenizerSummary] + r.notes
            + [Learner.text("text:      ", "文本：    ") + quoted(r.input), ""]
        let cells: [(piece: String, id: String, bytes: String)] = r.ids.indices.map {
            (visible(r.pieces[$0]), String(r.ids[$0]),
             r.added.contains(r.ids[$0]) ? Learner.text("(added)", "(添加的)") : r.bytes[$0].map { hex($0) }.joined(separator: " "))
        }
        let labels = [Learner.text("piece", "词元"), "id", Learner.text("bytes", "字节")]
        let labelWidth = 6
        var start = 0
        while start < cells.count {
            // Take as many columns as fit in `width`.
            var end = start
            var used = labelWidth
            while end < cells.count {
                let w = columnWidth(cells[end]) + 3
                if end > start && used + w > width { break }
                used += w
                end += 1
            }
            for (row, label) in labels.enumerated() {
                var line = EastAsianWidth.pad(label, toCells: labelWidth)
                for c in cells[start..<end] {
                    let value = row == 0 ? c.piece : row == 1 ? c.id : c.bytes
                    line += "│ " + EastAsianWidth.pad(value, toCells: columnWidth(c)) + " "
                }
                lines.append(trimTrailing(line))
            }
            lines.append("")
            start = end
        }
        let roundTrip = r.decoded == r.input ? Learner.text("round trip: identical", "往返：与输入完全一致")
                                             : Learner.text("round trip: DIFFERS from the input", "往返：与输入不同")
        lines.append(Learner.text("\(r.ids.count) tokens, \(r.input.utf8.count) bytes, \(r.input.count) characters",
                                  "\(r.ids.count) 个词元，\(r.input.utf8.count) 个字节，\(r.input.count) 个字符"))
        lines.append(Learner.text("decoded:   ", "解码：    ") + quoted(r.decoded))
        lines.append(roundTrip)
        return lines
    }

    private static func columnWidth(_ c: (piece: String, id: String, bytes: String)) -> Int {
        max(EastAsianWidth.cells(c.piece), c.id.count, EastAsianWidth.cells(c.bytes))
    }

    private static func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    private static func trimTrailing(_ s: String) -> String {
        var s = s
        while s.last == " " { s.removeLast() }
        return s
    }

    /// A piece as drawn in the grid: control characters escaped so every piece stays on one line.
    static func visible(_ piece: String, emptyMark: String = "∅") -> String {
        let out = VisibleText.escapingControls(piece)
        return out.isEmpty ? emptyMark : out
    }

    private static func quoted(_ s: String) -> String { "\"" + visible(s, emptyMark: "") + "\"" }
}
