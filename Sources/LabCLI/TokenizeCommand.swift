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
import Hub
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
        let tokenizer = try Self.loadTokenizer(model)
        let report = try Self.tokenize(text, with: tokenizer, bos: bos, chat: chat)
        if json {
            print(try jsonString(report.json))
        } else {
            let width = max(40, TerminalSize.columns())
            print(Self.render(report, width: width).joined(separator: "\n"))
        }
    }

    /// What the command shows for one text.
    struct Report: Equatable {
        /// The text that was encoded (the chat prompt with --chat).
        var input: String
        var ids: [Int]
        var pieces: [String]
        /// The UTF-8 bytes each token stands for in the text.
        var bytes: [[UInt8]]
        var decoded: String
        var tokenizerSummary: String
        /// Ids of added tokens (matched literally before SentencePiece): their bytes row reads "(added)".
        var added: Set<Int> = []
        /// Things the learner should know about how the text was prepared (e.g. a defaulted chat template).
        var notes: [String] = []

        struct JSON: Encodable, Equatable { let ids: [Int]; let pieces: [String]; let decoded: String }
        var json: JSON { JSON(ids: ids, pieces: pieces, decoded: decoded) }
    }

    /// Resolves `--model`: a tokenizer.model file, a folder, or a name for ModelLocator.
    static func loadTokenizer(_ argument: String, locator given: ModelLocator? = nil) throws -> ErnieTokenizer {
        // Short names come from Models/catalog.json (a malformed catalog is an error, never skipped).
        let locator = try given ?? ModelLocator.withProjectCatalog()
        let url = URL(fileURLWithPath: (argument as NSString).expandingTildeInPath)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue {
                guard url.pathExtension == "model" else {
                    throw TokenizeError("--model \(argument): \(url.lastPathComponent) is not a SentencePiece model. "
                        + "HINT: pass the model folder, or its tokenizer.model file.")
                }
                return try ErnieTokenizer(modelFile: url)
            }
            return try tokenizer(in: ModelFolder(url: url))
        }
        if argument.contains("/") {
            throw TokenizeError("--model \(argument): no such file or folder. "
                + "HINT: check the path, or give a model name such as ernie-4.5-0.3b.")
        }
        return try tokenizer(in: locator.locate(argument))
    }

    private static func tokenizer(in folder: ModelFolder) throws -> ErnieTokenizer {
        if folder.tokenizerModel == nil && folder.tokenizerJSON != nil {
            throw TokenizeError("\(folder.url.path): has tokenizer.json but no tokenizer.model; LMLab reads the "
                + "SentencePiece file. HINT: download tokenizer.model too (it is in the same model repository).")
        }
        return try ErnieTokenizer(folder: folder)
    }

    /// Encodes `text` (or its chat prompt) and gathers pieces, bytes and the decoded text.
    static func tokenize(_ text: String, with tok: ErnieTokenizer, bos: Bool, chat: Bool) throws -> Report {
        let input = chat ? try tok.renderChat([ChatMessage(.user, text)]) : text
        let ids = chat ? (bos ? [tok.bosId].compactMap { $0 } : []) + tok.encode(input, addBos: false)
                       : tok.encode(input, addBos: bos || tok.addBosToken)
        let pieces = ids.map(tok.piece)
        let bytes = ids.map { id -> [UInt8] in
            let p = tok.piece(id)
            if tok.addedTokens.token(id) != nil { return Array(p.utf8) }
            if id < tok.sentencePiece.vocabSize, tok.sentencePiece.type(of: id) == .byte,
               let b = UInt8(p.dropFirst(3).prefix(2), radix: 16) { return [b] }
            if id < tok.sentencePiece.vocabSize, tok.sentencePiece.type(of: id) == .control { return [] }
            return Array(p.replacingOccurrences(of: "\u{2581}", with: " ").utf8)
        }
        let extra = tok.count - tok.sentencePiece.vocabSize
        let summary = Learner.text("\(tok.source): \(tok.sentencePiece.vocabSize) pieces" + (extra > 0 ? " + \(extra) added tokens" : ""),
                                   "\(tok.source)：\(tok.sentencePiece.vocabSize) 个词元" + (extra > 0 ? " + \(extra) 个添加的词元" : ""))
        var notes: [String] = []
        if chat, case .success(let template) = tok.chatTemplate, template.source == .defaulted {
            notes.append(Learner.text("note: \(tok.source) has no chat_template; ERNIE-4.5's chat format was used",
                                      "注意：\(tok.source) 没有 chat_template，已使用文心 ERNIE-4.5 的对话格式"))
            for marker in [template.clsToken, template.sepToken] where tok.id(of: marker) == nil {
                notes.append(Learner.text("note: \(marker) is not a token of this tokenizer, so it is spelled in pieces",
                                          "注意：\(marker) 不是这个分词器的词元，因此被拆成多个词元拼出"))
            }
        }
        return Report(input: input, ids: ids, pieces: pieces, bytes: bytes, decoded: tok.decode(ids),
                      tokenizerSummary: summary, added: Set(ids.filter { tok.addedTokens.token($0) != nil }),
                      notes: notes)
    }

    /// The plain-text view: a grid of piece / id / bytes columns, wrapped at `width` cells, then the round trip.
    static func render(_ r: Report, width: Int) -> [String] {
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

    /// A mistake in the arguments, told with the file and the fix (no usage dump: the message says what to do).
    struct TokenizeError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static func quoted(_ s: String) -> String { "\"" + visible(s, emptyMark: "") + "\"" }
}
